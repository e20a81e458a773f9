"""The command line: estimate, accelerators (alias gpus), architectures."""

from __future__ import annotations

import json

import pytest

from core.__main__ import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_estimate_json_has_the_documented_keys(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "estimate",
        "--arch",
        "llama-3.2-1b",
        "--mode",
        "train",
        "--precision",
        "amp",
        "--batch",
        "4",
        "--seq",
        "2048",
        "--gpu",
        "h200-sxm",
        "--json",
    )
    report = json.loads(out)
    assert code == 0
    assert sum(report["breakdown"].values()) == report["peak_bytes"]
    assert report["device_bytes"] > report["peak_bytes"]
    assert report["fits"] is True and report["min_devices"] == 1
    assert set(report["throughput"]) >= {"unit", "low", "expected", "high"}
    assert report["throughput"]["unit"] == "tokens/s"
    assert abs(report["peak_bytes"] - 47_074_724_864) / 47_074_724_864 < 0.10  # measured on the H200
    assert report["assumptions"]


def test_estimate_generation_of_a_custom_model(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "estimate",
        "--params",
        "7e9",
        "--mode",
        "inference",
        "--prompt-tokens",
        "512",
        "--new-tokens",
        "128",
        "--json",
    )
    report = json.loads(out)
    assert code == 0 and report["breakdown"]["KV cache"] > 0 and "fits" not in report


def test_estimate_vision_table_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "estimate", "--arch", "resnet50", "--mode", "train", "--batch", "64", "--gpu", "t4")
    assert code == 0 and "images/s" in out and "device memory" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--arch", "gpt2", "--mode", "train", "--batch", "0"], "Batch size"),
        (["--arch", "gpt2", "--mode", "train", "--batch", "-2"], "Batch size"),
        (["--arch", "gpt2", "--mode", "train", "--batch", "nan"], "--batch"),
        (["--arch", "gpt2", "--mode", "train", "--seq", "5000"], "context"),
        (["--arch", "nope", "--mode", "train"], "Unknown architecture"),
        (["--arch", "gpt2"], "--mode"),
        (["--mode", "train"], "exactly one"),
        (["--arch", "gpt2", "--params", "1e9", "--mode", "train"], "exactly one"),
        (["--arch", "gpt2", "--mode", "inference", "--lora-rank", "8"], "lora"),
        (["--arch", "gpt2", "--mode", "train", "--precision", "fp4"], "--precision"),
        (["--arch", "gpt2", "--mode", "train", "--gpu", "h900"], "Unknown accelerator"),
        (["--params", "abc", "--mode", "train"], "--params"),
        (["--arch", "gpt2", "--mode", "train", "--new-tokens", "5"], "generation"),
        (["--arch", "resnet50", "--mode", "inference", "--seq", "12"], "do not apply"),
    ],
)
def test_invalid_input_exits_2_with_one_sentence(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, "estimate", *argv)
    assert code == 2 and out == ""
    assert err.startswith("error: ") and message in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("command", "key"), [("accelerators", "h200-sxm"), ("gpus", "h200-sxm"), ("architectures", "llama-3.1-8b")]
)
def test_catalogue_commands_print_json(capsys: pytest.CaptureFixture[str], command: str, key: str) -> None:
    code, out, _ = run(capsys, command, "--json")
    rows = json.loads(out)
    assert code == 0 and key in {row["key"] for row in rows}


ENGINE_ARGS = (
    "estimate",
    "--arch",
    "llama-2-7b",
    "--mode",
    "inference",
    "--batch",
    "64",
    "--prompt-tokens",
    "2048",
    "--new-tokens",
    "128",
    "--gpu",
    "h100-sxm",
    "--json",
)


@pytest.mark.parametrize("engine", ["vllm", "sglang", "tensorrt-llm"])
def test_engines_report_their_kv_pool_and_concurrency(capsys: pytest.CaptureFixture[str], engine: str) -> None:
    code, out, _ = run(capsys, *ENGINE_ARGS, "--engine", engine, "--precision", "fp8")
    report = json.loads(out)
    assert code == 0
    assert report["kv_pool_bytes"] > 0 and report["max_concurrent_sequences"] >= 1
    assert report["breakdown"]["KV pool"] > 0 and sum(report["breakdown"].values()) == report["peak_bytes"]
    assert report["fit"] in ("fits", "tight", "does not fit") and report["fits"] == (report["fit"] != "does not fit")
    assert isinstance(report["fit_margin_bytes"], int)


def test_generation_json_has_the_contracts_timing_bands(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, *ENGINE_ARGS, "--engine", "vllm")
    throughput = json.loads(out)["throughput"]
    for name in ("time_to_first_token_s", "time_per_output_token_s"):
        band = throughput[name]
        assert 0 < band["low"] <= band["expected"] <= band["high"]
    for phase in ("prefill", "decode"):
        assert set(throughput["phases"][phase]) >= {"low", "expected", "high"}


def test_pytorch_is_the_default_stack_and_has_no_pool(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, *ENGINE_ARGS)
    report = json.loads(out)
    assert report["workload"]["engine"] == "pytorch" and report["workload"]["kv_cache_dtype"] == "auto"
    assert "kv_pool_bytes" not in report and report["breakdown"]["KV pool"] == 0


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--engine", "tgi"), "--engine must be one of"),
        (("--kv-cache-dtype", "fp4"), "--kv-cache-dtype must be one of"),
        (("--engine", "vllm", "--kv-cache-dtype", "int8"), "choose fp8"),
        (("--engine", "llama.cpp", "--precision", "fp8"), "Q4_K_M"),
    ],
)
def test_bad_stack_flags_exit_2_with_one_sentence(
    capsys: pytest.CaptureFixture[str], extra: tuple[str, ...], message: str
) -> None:
    code, _, err = run(capsys, *ENGINE_ARGS, *extra)
    assert code == 2 and message in err


def test_a_precision_the_device_lacks_exits_2_naming_the_alternative(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys, "estimate", "--arch", "gpt2", "--mode", "inference", "--precision", "bf16", "--gpu", "t4"
    )
    assert code == 2 and "choose fp16" in err


@pytest.mark.parametrize(
    ("gpu", "context_line"),
    [
        ("v100-16gb", "CUDA context 0.35 GB (volta family)."),
        ("a100-80gb-sxm", "CUDA context 0.45 GB (ampere family)."),
        ("h200-sxm", "CUDA context 0.55 GB (hopper family)."),
    ],
)
def test_the_assumptions_state_the_chosen_devices_cuda_context(
    capsys: pytest.CaptureFixture[str], gpu: str, context_line: str
) -> None:
    _, out, _ = run(capsys, "estimate", "--arch", "bert-large-uncased", "--mode", "train", "--gpu", gpu, "--json")
    report = json.loads(out)
    assert context_line in report["assumptions"]
    assert [a for a in report["assumptions"] if "CUDA context" in a] == [context_line]


def test_without_a_device_the_assumptions_state_the_h200s_measured_context(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "estimate", "--arch", "bert-large-uncased", "--mode", "train", "--json")
    assert "CUDA context 0.55 GB (measured on the H200; no device chosen)." in json.loads(out)["assumptions"]
