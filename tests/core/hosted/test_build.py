"""data/build_hosted_models.py: rebuilding the catalogue from a litellm price map (a stand-in map, offline)."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import sys
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

DATA = Path(__file__).resolve().parents[3] / "data"


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_hosted_models", DATA / "build_hosted_models.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_hosted_models", module)
    spec.loader.exec_module(module)
    return module


BUILD = _builder()
PUBLISHED = list(csv.DictReader((DATA / "hosted_models.csv").open(encoding="utf-8", newline="")))


def _price_map_from_catalogue() -> dict[str, Any]:
    """A price map with exactly the published figures, under the selection's litellm keys."""
    selection = {
        row["key"]: row["litellm_key"] for row in csv.DictReader((DATA / "hosted_models_selection.csv").open())
    }
    price_map: dict[str, Any] = {}
    for row in PUBLISHED:
        entry: dict[str, Any] = {}
        if row["usd_per_million_input_tokens"]:
            entry["input_cost_per_token"] = float(row["usd_per_million_input_tokens"]) / 1e6
        if row["usd_per_million_output_tokens"]:
            entry["output_cost_per_token"] = float(row["usd_per_million_output_tokens"]) / 1e6
        if row["usd_per_image"]:
            entry["output_cost_per_image"] = float(row["usd_per_image"])
        if row["usd_per_audio_minute"]:
            entry["input_cost_per_second"] = float(row["usd_per_audio_minute"]) / 60
        if row["context_tokens"]:
            entry["max_input_tokens"] = int(row["context_tokens"])
        price_map[selection[row["key"]]] = entry
    return price_map


def test_the_build_reproduces_the_published_file_from_the_same_prices(tmp_path: Path) -> None:
    wheel = tmp_path / "litellm-1.110.2-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr(BUILD.PRICE_MAP, json.dumps(_price_map_from_catalogue()))
    out = tmp_path / "hosted_models.csv"
    assert BUILD.main([str(wheel), "--date", "2026-12-02", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == (DATA / "hosted_models.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda m: m.pop("gpt-4o"), "openai-gpt-4o: litellm 9.9 has no entry 'gpt-4o'"),
        (lambda m: m["whisper-1"].pop("input_cost_per_second"), "openai-whisper-1: no usd_per_audio_minute"),
        (lambda m: m["gpt-4o"].update(input_cost_per_token=0), "openai-gpt-4o: no usd_per_million_input_tokens"),
    ],
)
def test_a_missing_key_or_price_stops_the_build_with_a_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: Any, problem: str
) -> None:
    price_map = _price_map_from_catalogue()
    change(price_map)
    source = tmp_path / "prices.json"
    source.write_text(json.dumps(price_map))
    out = tmp_path / "out.csv"
    assert BUILD.main([str(source), "--litellm-version", "9.9", "--out", str(out)]) == 1
    assert problem in capsys.readouterr().err and not out.exists()


def test_the_units_are_converted_without_float_noise() -> None:
    assert BUILD._amount(1.5e-07, 1e6) == "0.15"
    assert BUILD._amount(3.083e-05, 60) == "0.0018498"
    assert BUILD._amount(None, 1e6) == ""
    assert io.StringIO(BUILD.render([])).read().startswith("key,provider,model,modality,")
