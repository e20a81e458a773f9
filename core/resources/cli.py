"""Command line for the resource estimator: ``python -m core estimate | accelerators | architectures``.

``estimate`` runs the same functions as the resource-planning page::

    python -m core estimate --arch llama-3.1-8b --mode train --precision amp --batch 4 --seq 2048 \\
        --gpu h100-sxm --json

prints ``peak_bytes`` (tensors at the peak, comparable with ``torch.cuda.max_memory_allocated``),
``breakdown`` (named byte counts summing to ``peak_bytes``), ``device_bytes`` (plus allocator
slack and CUDA context), and with ``--gpu``: ``fits``, ``min_devices``, ``throughput`` {unit, low,
expected, high}; always ``assumptions``. Semantics: ``amp`` = fp32 parameters with bf16
autocast; ``bf16`` = parameters (and AdamW state) in bf16; ``inference`` with ``--new-tokens`` =
autoregressive generation with a KV cache, otherwise one forward pass; ``train`` uses the model's
pre-training objective over every position; ``lora`` freezes the base weights in the given
precision. ``accelerators`` (alias ``gpus``) and ``architectures`` print the catalogues.
"""

from __future__ import annotations

import argparse
import json
import math
from typing import Any, TypeVar

from core.resources.accelerators import Accelerator
from core.resources.architectures import Architecture
from core.resources.memory import Workload, estimate_memory
from core.resources.vocabulary import ENGINES, KV_CACHE_DTYPES, MODES, OPTIMIZERS, PARALLELISMS, PRECISIONS
from core.text import quote_prefix

Word = TypeVar("Word", bound=str)

_CONFIG_FLAGS = ("layers", "hidden", "heads", "kv_heads", "head_dim", "mlp_size", "vocab", "max_context")


def add_resource_commands(sub: Any) -> None:
    """Register ``estimate``, ``accelerators`` (alias ``gpus``) and ``architectures`` on argparse sub-parsers."""
    est = sub.add_parser(
        "estimate",
        help="estimate memory, fit and speed of a workload",
        description="Estimate device memory (and with --gpu: fit and throughput) of a workload.",
    )
    model = est.add_argument_group("model (one of --arch or --params)")
    model.add_argument("--arch", help="architecture key from `python -m core architectures`")
    model.add_argument("--params", help="parameter count of a custom model, e.g. 7e9")
    for flag in _CONFIG_FLAGS:
        model.add_argument(f"--{flag.replace('_', '-')}", help=f"custom model: {flag.replace('_', ' ')}")
    model.add_argument("--mlp-kind", help="custom model: gelu, swiglu or relu")
    model.add_argument("--family", help="custom model family (default decoder)")
    model.add_argument("--tied-embeddings", action="store_true", help="custom model: input/output embeddings tied")
    # Values arrive as text so a bad one becomes one clear ValueError rather than an argparse exit.
    est.add_argument("--mode", help=f"one of {', '.join(MODES)}")
    est.add_argument("--precision", help=f"one of {', '.join(PRECISIONS)} (default amp for train, bf16 otherwise)")
    est.add_argument("--optimizer", help=f"one of {', '.join(OPTIMIZERS)} (training; default adamw)")
    est.add_argument("--batch", default="1", help="global batch: sequences or images per step (default 1)")
    est.add_argument("--seq", help="tokens per sequence (default 2048, capped at the model's context)")
    est.add_argument("--prompt-tokens", help="generation: prompt length in tokens")
    est.add_argument("--new-tokens", help="generation: tokens to generate (turns inference into generation)")
    est.add_argument("--image-size", help="vision models: input side in pixels")
    est.add_argument("--grad-checkpointing", action="store_true", help="recompute activations in backward")
    est.add_argument("--lora-rank", help="LoRA rank (mode lora; default 16)")
    est.add_argument("--lora-targets", help="comma-separated among q,k,v,o,gate,up,down (default q,k,v,o)")
    est.add_argument("--zero-stage", default="0", help="ZeRO stage 0-3 over data-parallel devices (3 = FSDP)")
    est.add_argument("--parallelism", default="data", help=f"one of {', '.join(PARALLELISMS)} for --gpus > 1")
    est.add_argument("--offload-optimizer", action="store_true", help="keep optimizer state in CPU memory")
    est.add_argument(
        "--engine",
        default="pytorch",
        help=f"software stack, one of {', '.join(ENGINES)} (default pytorch: eager PyTorch / Hugging Face)",
    )
    est.add_argument(
        "--kv-cache-dtype",
        default="auto",
        help=f"KV-cache dtype, one of {', '.join(KV_CACHE_DTYPES)} (default auto: the stack's usual choice)",
    )
    est.add_argument(
        "--gpu", help="accelerator key from `python -m core accelerators`: adds fits, min_devices, throughput"
    )
    est.add_argument("--gpus", default="1", help="number of devices (default 1)")
    est.add_argument("--json", action="store_true", help="print JSON instead of a table")
    from core.hosted.cli import add_compare_flags

    add_compare_flags(est)
    est.set_defaults(handler=run_estimate)

    # "gpus" is accepted too: the page's URL (/gpus) and existing scripts use that word.
    accelerators = sub.add_parser("accelerators", aliases=["gpus"], help="print the accelerator catalogue")
    accelerators.add_argument("--json", action="store_true", help="print JSON instead of a table")
    accelerators.set_defaults(handler=run_accelerators)
    archs = sub.add_parser("architectures", help="print the architecture catalogue")
    archs.add_argument("--json", action="store_true", help="print JSON instead of a table")
    archs.set_defaults(handler=run_architectures)


def _whole(text: str | None, flag: str) -> int | None:
    if text is None:
        return None
    try:
        value = float(str(text).strip())
    except ValueError:
        raise ValueError(f"{flag} must be a whole number; got {quote_prefix(text)}.") from None
    if not math.isfinite(value) or value != int(value):
        raise ValueError(f"{flag} must be a whole number; got {quote_prefix(text)}.")
    return int(value)


def _choice(text: str | None, flag: str, choices: tuple[Word, ...]) -> Word | None:
    if text is None:
        return None
    value = text.strip().lower()
    for choice in choices:
        if value == choice:
            return choice
    raise ValueError(f"{flag} must be one of {', '.join(choices)}; got {quote_prefix(text)}.")


def _architecture(args: argparse.Namespace) -> Architecture:
    if (args.arch is None) == (args.params is None):
        raise ValueError("Give exactly one of --arch KEY or --params N.")
    if args.arch is not None:
        from core.resources.architectures import load_architectures

        catalogue = load_architectures()
        key = args.arch.strip()
        if key not in catalogue:
            raise ValueError(
                f"Unknown architecture {quote_prefix(key)}; list them with `python -m core architectures`."
            )
        return catalogue[key]
    try:
        params = float(args.params)
    except ValueError:
        raise ValueError(f"--params must be a number such as 7e9; got {quote_prefix(args.params)}.") from None
    known: dict[str, Any] = {flag: _whole(getattr(args, flag), f"--{flag.replace('_', '-')}") for flag in _CONFIG_FLAGS}
    known["mlp_kind"] = _choice(args.mlp_kind, "--mlp-kind", ("gelu", "swiglu", "relu"))
    known["family"] = args.family
    known["tied_embeddings"] = True if args.tied_embeddings else None
    return Architecture.custom_model(params, **known)


def _accelerator(key: str) -> Accelerator:
    from core.resources.accelerators import load_accelerators

    catalogue = load_accelerators()
    if key.strip() not in catalogue:
        raise ValueError(f"Unknown accelerator {quote_prefix(key)}; list them with `python -m core accelerators`.")
    return catalogue[key.strip()]


def build_workload(args: argparse.Namespace) -> Workload:
    """The Workload the flags describe (ValueError with one sentence for anything wrong)."""
    mode = _choice(args.mode, "--mode", MODES)
    if mode is None:
        raise ValueError(f"Give --mode, one of {', '.join(MODES)}.")
    targets = None
    if args.lora_targets is not None:
        targets = tuple(t.strip().lower() for t in args.lora_targets.split(",") if t.strip())
    return Workload(
        mode=mode,
        precision=_choice(args.precision, "--precision", PRECISIONS),
        optimizer=_choice(args.optimizer, "--optimizer", OPTIMIZERS),
        batch=_whole(args.batch, "--batch") or 0,
        seq=_whole(args.seq, "--seq"),
        prompt_tokens=_whole(args.prompt_tokens, "--prompt-tokens"),
        new_tokens=_whole(args.new_tokens, "--new-tokens"),
        image_size=_whole(args.image_size, "--image-size"),
        grad_checkpointing=bool(args.grad_checkpointing),
        lora_rank=_whole(args.lora_rank, "--lora-rank"),
        lora_targets=targets,
        zero_stage=_whole(args.zero_stage, "--zero-stage") or 0,
        parallelism=_choice(args.parallelism, "--parallelism", PARALLELISMS) or "data",
        devices=_whole(args.gpus, "--gpus") or 0,
        offload_optimizer=bool(args.offload_optimizer),
        engine=_choice(args.engine, "--engine", ENGINES) or "pytorch",
        kv_cache_dtype=_choice(args.kv_cache_dtype, "--kv-cache-dtype", KV_CACHE_DTYPES) or "auto",
    )


def estimate_report(arch: Architecture, workload: Workload, accelerator: Accelerator | None) -> dict[str, Any]:
    """The JSON document ``estimate --json`` prints."""
    chosen = None
    if accelerator is not None:
        from core.resources.fit import best_layout

        chosen = best_layout(arch, workload, accelerator, workload.devices)
    memory = estimate_memory(arch, workload, chosen)
    report: dict[str, Any] = {
        "architecture": arch.key,
        "family": arch.family,
        "params": arch.published_or_counted_params,
        "workload": workload.to_dict(),
        **memory.to_dict(),
    }
    assumptions = list(memory.assumptions)
    if accelerator is not None:
        from core.resources.fit import (
            absent_workspace_bytes,
            fit_answer,
            min_devices_to_fit,
            no_gpu_runtime_note,
            with_device_context,
        )
        from core.resources.memory import CUBLAS_TERM
        from core.resources.speed import estimate_throughput

        speed = estimate_throughput(arch, workload, accelerator, layout=chosen)
        answer = fit_answer(arch, workload, accelerator, chosen)
        n, layout = min_devices_to_fit(arch, workload, accelerator)
        report["cuda_context_bytes"] = accelerator.context_bytes
        assumptions = with_device_context(assumptions, accelerator)
        absent = absent_workspace_bytes(memory, accelerator)
        if absent:
            report["breakdown"] = {**report["breakdown"], CUBLAS_TERM: 0}
            report["peak_bytes"] -= absent
            assumptions.append(str(no_gpu_runtime_note(accelerator)))
        if answer.engine is not None:
            # The engine reserves its pool up front: that is what the device's allocator holds.
            engine = answer.engine
            breakdown = {name: 0 for name in report["breakdown"]}
            breakdown["weights"] = engine.weights_bytes
            breakdown["activations"] = engine.workspace_bytes
            breakdown["KV pool"] = max(engine.kv_pool_bytes, engine.kv_needed_bytes)
            report["breakdown"] = breakdown
            report["peak_bytes"] = engine.peak_bytes
            report["allocator_slack_bytes"] = 0
            report["kv_pool_bytes"] = engine.kv_pool_bytes
            report["kv_needed_bytes"] = engine.kv_needed_bytes
            report["max_concurrent_sequences"] = engine.max_concurrent_sequences
            assumptions.append(
                f"{workload.engine}: the pool of {engine.kv_pool_bytes / 1e9:,.2f} GB holds "
                f"{engine.max_concurrent_sequences:,} sequences of {engine.kv_per_sequence_bytes / 1e6:,.1f} MB "
                f"(batch {workload.batch:,} needs {engine.kv_needed_bytes / 1e9:,.2f} GB)."
            )
        report["device_bytes"] = report["peak_bytes"] + report["allocator_slack_bytes"] + accelerator.context_bytes
        throughput: dict[str, Any] = {
            "unit": speed.unit,
            "low": speed.low,
            "expected": speed.expected,
            "high": speed.high,
            "regime": speed.regime,
            "devices": speed.devices,
            "phases": speed.phases,
        }
        for name in ("time_to_first_token_s", "time_per_output_token_s"):
            band = getattr(speed, name)
            if band is not None:
                throughput[name] = {"low": band[0], "expected": band[1], "high": band[2]}
        report.update(
            {
                "gpu": accelerator.key,
                "gpu_memory_bytes": accelerator.memory_bytes,
                "gpu_memory_source": accelerator.memory_source or "the catalogue's GB read as GiB, less 1 %",
                "fit": answer.fit,
                "fit_margin_bytes": answer.margin_bytes,
                "fits": answer.fits,
                "min_devices": n,
                "min_devices_layout": layout.name if layout else None,
                "throughput": throughput,
            }
        )
        if answer.fit != "fits":
            assumptions.append(answer.advice())
        assumptions += speed.assumptions
    report["assumptions"] = assumptions
    return report


def estimate_from_args(args: argparse.Namespace) -> dict[str, Any]:
    """The JSON document of ``estimate`` for parsed flags (ValueError with one sentence for anything wrong)."""
    arch = _architecture(args)
    workload = build_workload(args)
    accelerator = _accelerator(args.gpu) if args.gpu is not None else None
    return estimate_report(arch, workload, accelerator)


def run_estimate(args: argparse.Namespace) -> int:
    arch = _architecture(args)
    workload = build_workload(args)
    accelerator = _accelerator(args.gpu) if args.gpu is not None else None
    report = estimate_report(arch, workload, accelerator)
    from core.hosted.cli import api_report

    api = api_report(args, arch, workload)
    if api is not None:
        report["api"] = api
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(
        f"{arch.name} ({arch.key}), {workload.mode}, {workload.precision}, batch {workload.batch}, {report['layout']}"
    )
    for name, value in report["breakdown"].items():
        if value:
            print(f"  {name:<24} {value / 1e9:10.2f} GB")
    print(f"  {'peak tensors':<24} {report['peak_bytes'] / 1e9:10.2f} GB  ({report['peak_phase']})")
    print(f"  {'+ allocator slack':<24} {report['allocator_slack_bytes'] / 1e9:10.2f} GB")
    print(f"  {'+ CUDA context':<24} {report['cuda_context_bytes'] / 1e9:10.2f} GB")
    print(f"  {'device memory':<24} {report['device_bytes'] / 1e9:10.2f} GB")
    if accelerator is not None:
        speed = report["throughput"]
        print(
            f"{accelerator.model}: fits={report['fits']}, min devices {report['min_devices']} "
            f"({report['min_devices_layout']}); {speed['expected']:,.0f} {speed['unit']} expected "
            f"({speed['low']:,.0f}-{speed['high']:,.0f}, {speed['regime']})"
        )
    if api is not None:
        print(
            f"API {api['model']} ({api['provider']}): ${api['usd_per_request']:.6f} per request "
            f"({api['input_tokens_per_request']:,.0f} in + {api['output_tokens_per_request']:,.0f} out tokens), "
            f"${api['usd_per_month']:,.2f} a month at {api['requests_per_month']:,.0f} requests "
            f"(price of {api['price_date']})"
        )
    for line in report["assumptions"]:
        print(f"- {line}")
    return 0


def _print_catalogue(name: str, as_json: bool, columns: tuple[str, ...]) -> int:
    from core.store import read_catalogue

    rows = read_catalogue(name)
    if as_json:
        print(json.dumps(rows, indent=2, default=str))
        return 0
    print("  ".join(f"{c:<18}" for c in columns))
    for row in rows:
        print("  ".join(f"{'' if row.get(c) is None else str(row.get(c)):<18}" for c in columns))
    return 0


def run_accelerators(args: argparse.Namespace) -> int:
    return _print_catalogue(
        "accelerators", args.json, ("key", "memory_gb", "memory_bandwidth_gbps", "bf16_tflops", "cloud_usd_per_hour")
    )


def run_architectures(args: argparse.Namespace) -> int:
    return _print_catalogue("architectures", args.json, ("key", "family", "params", "layers", "hidden"))
