"""Calibration against measured GPU runs, and the public estimators side by side.

The measurements (``tests/core/resources/data/h200_measured.jsonl``, copied from the project's
shared calibration set; one JSON object per case, described in the README next to it) were taken
on one NVIDIA H200 with PyTorch 2.11 eager and transformers 5.17. This module turns each case
name into an (architecture, workload) pair, runs the estimator on it, and returns rows the app
shows as a table: predicted bytes, measured ``torch.cuda.max_memory_allocated`` bytes, error.

The architectures are the configurations that were measured (the calibration README's table),
not catalogue rows, so the comparison holds even if a catalogue figure is edited. ResNet-50's
saved activations per image are derived here layer by layer from torchvision's structure.

Run ``python -m core.resources.calibration`` to print docs/estimator-anchors.md.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.resources.accelerators import Accelerator, with_device_facts
from core.resources.architectures import Architecture, largest_module_params
from core.resources.memory import Workload, estimate_memory
from core.resources.speed import estimate_throughput
from core.resources.vocabulary import Precision
from core.text import quote_prefix

DEFAULT_CALIBRATION_PATH = (
    Path(__file__).resolve().parent.parent.parent / "tests" / "core" / "resources" / "data" / "h200_measured.jsonl"
)

# The device the set was measured on, from NVIDIA's H200 datasheet (dense figures):
# https://www.nvidia.com/en-us/data-center/h200/ (141 GB HBM3e, 4.8 TB/s, 989 BF16 / 494 TF32 TFLOP/s dense).
H200 = with_device_facts(
    Accelerator(
        key="h200-sxm",
        vendor="NVIDIA",
        model="H200 SXM",
        kind="gpu",
        memory_gb=141,
        memory_bandwidth_gbps=4800,
        fp32_tflops=67,
        tf32_tflops=494.5,
        bf16_tflops=989.5,
        fp8_tflops=1979,
        int8_tops=1979,
        interconnect_gbps=900,
        source_url="https://www.nvidia.com/en-us/data-center/h200/",
    )
)

_DTYPES: dict[str, Precision] = {
    "float32": "fp32",
    "bfloat16": "bf16",
    "float16": "fp16",
    "fp32": "fp32",
    "bf16": "bf16",
    "fp16": "fp16",
    "amp": "amp",
}


def resnet_saved_activation_values(
    stage_blocks: tuple[int, ...] = (3, 4, 6, 3), image_size: int = 224, classes: int = 1000
) -> int:
    """Values (fp32-equivalent) torchvision's bottleneck ResNet saves for backward per image.

    Each convolution's output is saved by its BatchNorm and each BatchNorm's output by the
    in-place ReLU (or the next convolution); the ReLUs are in place, so they add nothing. The
    downsample branch saves its convolution's output. Max-pool indices are int64 (2 values).
    """
    side = image_size // 2
    values = 2 * 64 * side * side  # stem conv output + its BatchNorm output
    side //= 2
    values += 64 * side * side * 3  # max-pool output + int64 indices
    widths = (64, 128, 256, 512)
    for stage, blocks in enumerate(stage_blocks):
        width = widths[stage]
        for block in range(blocks):
            stride = 2 if stage > 0 and block == 0 else 1
            out_side = side // stride
            values += 2 * width * side * side  # 1x1 reduce conv + BN, at the input resolution
            values += 2 * width * out_side * out_side  # 3x3 conv + BN (torchvision v1.5 strides here)
            values += 2 * 4 * width * out_side * out_side  # 1x1 expand conv + BN
            if block == 0:
                values += 4 * width * out_side * out_side  # downsample conv output
            side = out_side
    return values + 4 * widths[-1] + 2 * classes  # pooled features, logits, log-softmax


def measured_architectures() -> dict[str, Architecture]:
    """The four architectures measured on the H200, as the calibration README lists them."""
    common: dict[str, Any] = {"family": "decoder", "mlp_kind": "swiglu", "vocab": 128_256, "max_context": 131_072}
    return {
        "llama-3.2-1b": Architecture(
            key="llama-3.2-1b",
            name="Llama 3.2 1B",
            params=1_235_814_400,
            layers=16,
            hidden=2048,
            heads=32,
            kv_heads=8,
            head_dim=64,
            mlp_size=8192,
            tied_embeddings=True,
            **common,
        ),
        "llama-3.2-3b": Architecture(
            key="llama-3.2-3b",
            name="Llama 3.2 3B",
            params=3_212_749_824,
            layers=28,
            hidden=3072,
            heads=24,
            kv_heads=8,
            head_dim=128,
            mlp_size=8192,
            tied_embeddings=True,
            **common,
        ),
        "llama-3.1-8b": Architecture(
            key="llama-3.1-8b",
            name="Llama 3.1 8B",
            params=8_030_261_248,
            layers=32,
            hidden=4096,
            heads=32,
            kv_heads=8,
            head_dim=128,
            mlp_size=14336,
            tied_embeddings=False,
            **common,
        ),
        "resnet50": Architecture(
            key="resnet50",
            name="ResNet-50",
            family="cnn",
            params=25_557_032,
            image_size=224,
            gflops_per_sample=8.18,
            activation_mb_per_sample=resnet_saved_activation_values() * 4 / 1e6,
        ),
    }


def load_calibration(path: Path | str = DEFAULT_CALIBRATION_PATH) -> list[dict[str, Any]]:
    """The measured cases, one dict per line of the JSON-lines file."""
    records = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"Line {number} of {path} is not valid JSON: {error.msg}.") from None
        if not isinstance(record, dict) or "case" not in record:
            raise ValueError(f"Line {number} of {path} has no 'case' field.")
        records.append(record)
    return records


def case_to_workload(case: str) -> tuple[str, Workload]:
    """(architecture key, workload) for a case name such as 'train/llama-3.2-1b/b4_s2048/amp/ckpt'."""
    parts = case.split("/")
    kind = parts[0]
    if kind == "weights" and len(parts) == 3:
        precision = _DTYPES.get(parts[2])
        if precision is None:
            raise ValueError(f"Unknown dtype {quote_prefix(parts[2])} in case {quote_prefix(case)}.")
        return parts[1], Workload(mode="inference", precision=precision, load_only=True, random_init=True)
    if kind == "generate" and len(parts) == 3:
        match = re.fullmatch(r"b(\d+)_p(\d+)_n(\d+)", parts[2])
        if not match:
            raise ValueError(f"Generation case {quote_prefix(case)} must end in b<B>_p<P>_n<N>.")
        b, p, n = (int(g) for g in match.groups())
        return parts[1], Workload(mode="inference", precision="bf16", batch=b, prompt_tokens=p, new_tokens=n)
    if kind == "infer" and len(parts) == 4:
        match = re.fullmatch(r"b(\d+)(?:_s(\d+))?", parts[2])
        precision = _DTYPES.get(parts[3])
        if not match or precision is None:
            raise ValueError(f"Inference case {quote_prefix(case)} must read infer/<model>/b<B>[_s<S>]/<dtype>.")
        seq = int(match.group(2)) if match.group(2) else None
        return parts[1], Workload(mode="inference", precision=precision, batch=int(match.group(1)), seq=seq)
    if kind == "train" and len(parts) >= 4:
        model = parts[1]
        match = re.fullmatch(r"b(\d+)(?:_s(\d+))?", parts[2])
        if not match:
            raise ValueError(f"Training case {quote_prefix(case)} must have b<B>[_s<S>] as its third part.")
        batch = int(match.group(1))
        seq = int(match.group(2)) if match.group(2) else None
        flags = parts[3:]
        ckpt = "ckpt" in flags
        mode_flag = flags[0]
        if seq is None:  # vision: SGD with momentum, as measured
            precision = _DTYPES.get(mode_flag)
            if precision is None:
                raise ValueError(f"Unknown precision {quote_prefix(mode_flag)} in case {quote_prefix(case)}.")
            return model, Workload(mode="train", precision=precision, optimizer="sgd-momentum", batch=batch)
        if mode_flag == "lora":
            return model, Workload(
                mode="lora",
                precision="bf16",
                batch=batch,
                seq=seq,
                grad_checkpointing=ckpt,
                lora_rank=16,
                lora_targets=("q", "k", "v", "o"),
            )
        precision = _DTYPES.get(mode_flag)
        if precision not in ("amp", "bf16", "fp32", "fp16"):
            raise ValueError(f"Unknown training mode {quote_prefix(mode_flag)} in case {quote_prefix(case)}.")
        return model, Workload(
            mode="train", precision=precision, optimizer="adamw", batch=batch, seq=seq, grad_checkpointing=ckpt
        )
    raise ValueError(f"Unrecognised calibration case {quote_prefix(case)}.")


@dataclass(frozen=True)
class CalibrationRow:
    """Predicted against measured peak tensor memory for one case (bytes; error in percent of measured)."""

    case: str
    model: str
    predicted_bytes: int
    measured_bytes: int
    error_pct: float
    peak_phase: str
    predicted_reserved_bytes: int
    measured_reserved_bytes: int | None

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def _architecture(key: str, architectures: Mapping[str, Architecture] | None) -> Architecture:
    table = architectures if architectures is not None else measured_architectures()
    if key not in table:
        raise ValueError(
            f"No architecture {quote_prefix(key)} for the calibration case; known: {', '.join(sorted(table))}."
        )
    return table[key]


def memory_cases(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records that measured memory (every case but the device probe)."""
    return [r for r in records if "peak_alloc" in r and r["case"] != "device_probe"]


def calibration_rows(
    path: Path | str = DEFAULT_CALIBRATION_PATH, architectures: Mapping[str, Architecture] | None = None
) -> list[CalibrationRow]:
    """One row per memory case: the estimator's peak against the measured peak."""
    rows = []
    for record in memory_cases(load_calibration(path)):
        key, workload = case_to_workload(record["case"])
        estimate = estimate_memory(_architecture(key, architectures), workload)
        measured = int(record["peak_alloc"])
        rows.append(
            CalibrationRow(
                case=record["case"],
                model=key,
                predicted_bytes=estimate.peak_bytes,
                measured_bytes=measured,
                error_pct=100.0 * (estimate.peak_bytes - measured) / measured,
                peak_phase=estimate.peak_phase,
                predicted_reserved_bytes=estimate.peak_bytes + estimate.allocator_slack_bytes,
                measured_reserved_bytes=record.get("peak_reserved"),
            )
        )
    return rows


@dataclass(frozen=True)
class ThroughputCheck:
    """A measured speed next to the estimated band on the H200."""

    case: str
    phase: str
    unit: str
    measured: float
    low: float
    expected: float
    high: float
    note: str

    @property
    def within_band(self) -> bool:
        return self.low <= self.measured <= self.high

    def to_dict(self) -> dict[str, Any]:
        return {**{name: getattr(self, name) for name in self.__dataclass_fields__}, "within_band": self.within_band}


def throughput_rows(
    path: Path | str = DEFAULT_CALIBRATION_PATH,
    architectures: Mapping[str, Architecture] | None = None,
    accelerator: Accelerator = H200,
) -> list[ThroughputCheck]:
    """Measured training, inference, prefill and decode speeds next to the estimated bands."""
    rows = []
    for record in memory_cases(load_calibration(path)):
        case = record["case"]
        if case.startswith("weights/"):
            continue
        key, workload = case_to_workload(case)
        speed = estimate_throughput(_architecture(key, architectures), workload, accelerator)
        if workload.is_generation:
            prefill = speed.phases["prefill"]
            if "prefill_tok_per_s" in record:
                rows.append(
                    ThroughputCheck(
                        case,
                        "prefill",
                        "tokens/s",
                        float(record["prefill_tok_per_s"]),
                        float(prefill["low"]),
                        float(prefill["expected"]),
                        float(prefill["high"]),
                        "compute-bound prefill",
                    )
                )
            if "decode_tok_per_s" in record:
                decode = speed.phases["decode"]
                rows.append(
                    ThroughputCheck(
                        case,
                        "decode",
                        "tokens/s",
                        float(record["decode_tok_per_s"]),
                        float(decode["low"]),
                        float(decode["expected"]),
                        float(decode["high"]),
                        "Hugging Face eager generate is host-bound: the eager host floor (ops per block x "
                        "time per op), not the GPU, sets the step",
                    )
                )
            continue
        measured = record.get("tok_per_s") or record.get("images_per_s")
        if measured is None:
            continue
        rows.append(
            ThroughputCheck(
                case,
                "train" if workload.trains else "forward",
                speed.unit,
                float(measured),
                speed.low,
                speed.expected,
                speed.high,
                speed.regime,
            )
        )
    return rows


# --- the public estimators, as their code computes (see docs/estimator-anchors.md) ----------------


def accelerate_estimate_bytes(arch: Architecture, workload: Workload) -> int:
    """Hugging Face accelerate's ``estimate-memory`` figure for the case.

    accelerate sizes the model in fp32 (4 bytes per parameter) and divides by 2, 4 or 8 for
    float16, int8 and int4 (src/accelerate/commands/estimate.py, ``gather_data``). Its
    "Training using Adam" column is the MAXIMUM (not the sum) of model, gradients, optimizer and
    "step" sizes (``estimate_training_usage``): 16 bytes/param in float32, 8 in float16/bfloat16.
    No activations, no batch. LoRA is not modelled, so the full-training figure stands in.
    """
    params = arch.published_or_counted_params
    fp32 = 4 * params
    if not workload.trains:
        divisor = {"fp32": 1, "amp": 1, "bf16": 2, "fp16": 2, "fp8": 4, "int8": 4, "int4": 8}[
            workload.precision or "bf16"
        ]
        return fp32 // divisor
    if workload.precision in ("fp32", "amp"):
        return max(fp32, fp32, 2 * fp32, 4 * fp32)
    return max(fp32, fp32 + fp32 // 2, 2 * fp32, 2 * fp32)


def deepspeed_zero2_bytes(arch: Architecture, gpus: int = 1) -> int:
    """DeepSpeed ``estimate_zero2_model_states_mem_needs`` per GPU, no offload: 4 x params + 16 x params / GPUs.

    Model states only (fp16 params and gradients + fp32 Adam states and master weights); no
    activations (deepspeed/runtime/zero/stage_1_and_2.py).
    """
    params = arch.published_or_counted_params
    return 4 * params + (16 * params) // gpus


def deepspeed_zero3_bytes(arch: Architecture, gpus: int = 1) -> int:
    """DeepSpeed ``estimate_zero3_model_states_mem_needs`` per GPU, no offload: 4 x largest layer + 18 x params / GPUs.

    (deepspeed/runtime/zero/stage3.py; ``largest_layer_params`` is the largest module's own parameters.)
    """
    params = arch.published_or_counted_params
    return 4 * largest_module_params(arch) + (18 * params) // gpus


@dataclass(frozen=True)
class AnchorRow:
    case: str
    measured_bytes: int
    greenlight_bytes: int
    accelerate_bytes: int
    deepspeed_zero2_bytes: int | None
    deepspeed_zero3_bytes: int | None

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def anchor_rows(
    path: Path | str = DEFAULT_CALIBRATION_PATH, architectures: Mapping[str, Architecture] | None = None
) -> list[AnchorRow]:
    """Every memory case with the measurement, Greenlight and the two public estimators (bytes)."""
    rows = []
    for record in memory_cases(load_calibration(path)):
        key, workload = case_to_workload(record["case"])
        arch = _architecture(key, architectures)
        greenlight = estimate_memory(arch, workload).peak_bytes
        trains = workload.trains
        rows.append(
            AnchorRow(
                record["case"],
                int(record["peak_alloc"]),
                greenlight,
                accelerate_estimate_bytes(arch, workload),
                deepspeed_zero2_bytes(arch) if trains else None,
                deepspeed_zero3_bytes(arch) if trains else None,
            )
        )
    return rows


def _gb(value: int | None, measured: int) -> str:
    if value is None:
        return "n/a"
    return f"{value / 1e9:.2f} ({100 * (value - measured) / measured:+.0f} %)"


def anchors_markdown(path: Path | str = DEFAULT_CALIBRATION_PATH) -> str:
    """docs/estimator-anchors.md: the calibration cases with each estimator's figure, computed."""
    lines = [
        "# Memory estimators side by side",
        "",
        "Generated by `python -m core.resources.calibration > docs/estimator-anchors.md` from",
        "`tests/core/resources/data/h200_measured.jsonl`; do not edit by hand. GB = 1e9 bytes; in brackets the",
        "error against the measured `torch.cuda.max_memory_allocated` on the H200.",
        "",
        "- **accelerate**: Hugging Face accelerate's `estimate-memory` formula. Inference: parameters x 4 bytes,",
        '  / 2 for float16 or bfloat16. Training ("Training using Adam"): the maximum of model, gradients,',
        "  optimizer and step sizes, 16 bytes per parameter in float32 and 8 in float16; no activations.",
        "- **ZeRO-2 / ZeRO-3**: DeepSpeed's `estimate_zero2_model_states_mem_needs` (4 x params + 16 x params /",
        "  GPUs) and `estimate_zero3_model_states_mem_needs` (4 x largest layer + 18 x params / GPUs) on one GPU",
        "  without offload: model states only. They describe training, so inference cases show n/a.",
        "- **Greenlight**: `core.resources.memory.estimate_memory` (tensors at the peak, no allocator slack).",
        "",
        "| case | measured GB | Greenlight | accelerate | DeepSpeed ZeRO-2 | DeepSpeed ZeRO-3 |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in anchor_rows(path):
        m = row.measured_bytes
        lines.append(
            f"| `{row.case}` | {m / 1e9:.2f} | {_gb(row.greenlight_bytes, m)} | "
            f"{_gb(row.accelerate_bytes, m)} | {_gb(row.deepspeed_zero2_bytes, m)} | "
            f"{_gb(row.deepspeed_zero3_bytes, m)} |"
        )
    lines += [
        "",
        "Why they differ: the public formulas count model states only. Training peaks here are dominated by",
        "activations and the loss's fp32 copies of the logits (3 x tokens x vocabulary x 4 bytes at the start of",
        "the backward pass), which neither formula has; accelerate also takes the largest of its terms instead",
        "of their sum. The `weights` cases include the random-initialisation transient of tied embeddings.",
        "",
        "## Throughput on the H200: measured against the estimated band",
        "",
        "| case | phase | unit | measured | low | expected | high | inside band | note |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for check in throughput_rows(path):
        lines.append(
            f"| `{check.case}` | {check.phase} | {check.unit} | {check.measured:,.0f} | {check.low:,.0f} | "
            f"{check.expected:,.0f} | {check.high:,.0f} | {'yes' if check.within_band else 'no'} | "
            f"{check.note} |"
        )
    lines += published_markdown()
    return "\n".join(lines) + "\n"


def _figure(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    if "bytes" in unit:
        return f"{value / 1e9:,.2f} GB"
    if "seconds" in unit:
        return f"{value * 1e3:,.1f} ms"
    return f"{value:,.4g}"


def _verdict(required: float | None, capacity: float | None) -> str:
    if required is None or capacity is None:
        return "n/a"
    return f"{'fits' if required <= capacity else 'does not fit'} ({required / 1e9:,.1f} GB)"


def published_markdown() -> list[str]:
    """The published figures beside the estimate and three public estimators (data/published_accuracy.csv)."""
    from core.resources.published import load_accuracy

    rows = load_accuracy()
    if not rows:
        return []
    held = sum(r.holds for r in rows)
    lines = [
        "",
        "## Published figures: the estimate beside what others measured",
        "",
        "From `data/published_accuracy.csv` (`python -m core.resources.published`, computed from",
        "`shared/calibration/published_figures.csv`, half of a larger set whose other half checks the estimator",
        f"unseen). {held} of {len(rows)} hold: throughput inside a band at most 3x wide, memory within the source's",
        "tolerance, fit right (ran there: not 'does not fit'; ran out of memory: 'does not fit').",
        "",
        "- **llm-analysis**: its roofline with the defaults of its own examples (flops efficiency 0.7 for",
        "  inference, 0.5 for training; HBM efficiency 0.9), dense peak, 16-bit KV cache; transformers only.",
        "- **gpu_poor**: its README's inference breakdown, weights + 16-bit KV cache + 500 MB overhead.",
        "- **accelerate**: `accelerate estimate-memory` as above (no activations, no KV cache).",
        "",
        "| figure | stack | published | Greenlight low / expected / high | holds | llm-analysis | gpu_poor |"
        " accelerate |",
        "| --- | --- | ---: | --- | --- | ---: | ---: | ---: |",
    ]
    for r in rows:
        if r.kind == "fit":
            published = "ran" if (r.reason == "" and r.fit != "does not fit") or "ran there" in r.reason else "OOM"
            published = "OOM" if "ran out of memory" in r.reason or (r.holds and r.fit == "does not fit") else published
            ours = r.fit
            gpu_poor, accelerate = _verdict(r.gpu_poor, r.capacity_bytes), _verdict(r.accelerate, r.capacity_bytes)
            llm = "n/a"
        else:
            unit = r.unit_or_field
            published = _figure(r.published, unit)
            ours = (
                _figure(r.expected, unit)
                if r.kind == "memory"
                else f"{_figure(r.low, unit)} / {_figure(r.expected, unit)} / {_figure(r.high, unit)}"
            )
            llm = _figure(r.llm_analysis, unit)
            gpu_poor, accelerate = _figure(r.gpu_poor, "bytes"), _figure(r.accelerate, "bytes")
            if r.kind != "memory":
                gpu_poor = accelerate = "n/a"
        mark = "yes" if r.holds else f"no: {r.reason}"
        lines.append(
            f"| [`{r.id}`]({r.source.split()[0]}) | {r.engine} | {published} | {ours} | {mark} | {llm} | "
            f"{gpu_poor} | {accelerate} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    """Print docs/estimator-anchors.md: ``python -m core.resources.calibration [CALIBRATION.jsonl]``."""
    parser = argparse.ArgumentParser(prog="python -m core.resources.calibration", description=main.__doc__)
    parser.add_argument("path", nargs="?", default=str(DEFAULT_CALIBRATION_PATH), help="measured cases (JSON lines)")
    path = Path(parser.parse_args(argv).path)
    if not path.is_file():
        print(f"error: no calibration file at {path}", file=sys.stderr)
        return 2
    sys.stdout.write(anchors_markdown(path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
