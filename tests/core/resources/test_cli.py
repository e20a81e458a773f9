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
