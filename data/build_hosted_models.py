"""Build ``data/hosted_models.csv``, the hosted-model price catalogue, from litellm's public price map.

Usage (from the repository root)::

    .venv/bin/pip download litellm --no-deps -d /tmp/litellm
    .venv/bin/python data/build_hosted_models.py /tmp/litellm/litellm-*.whl [--date YYYY-MM-DD]

The argument is either the litellm wheel (the price map is read out of it with ``zipfile``; nothing is
installed) or the JSON file itself (then give ``--litellm-version``). The script never uses the network.

Which models are in the catalogue is decided by hand in ``data/hosted_models_selection.csv`` (our key,
litellm's key, the provider and model name as the provider writes them, the modality, the architecture
catalogue key of the open weights where the model has them, and the provider's price page). This script
only looks the prices up, so a refresh is: download a newer wheel, run the script, review the diff.

Units written (see ``core/hosted/catalogue.py``):

* ``usd_per_million_input_tokens`` / ``usd_per_million_output_tokens``: litellm's ``input_cost_per_token``
  and ``output_cost_per_token`` x 10^6 (embeddings have no output price);
* ``usd_per_image``: litellm's ``output_cost_per_image`` (one generated image at the default size);
* ``usd_per_audio_minute``: litellm's ``input_cost_per_second`` x 60 (transcription);
* ``context_tokens``: ``max_input_tokens``.

``price_date`` is the day the price was read (``--date``, default today) and ``source`` names the litellm
release and key the figure came from. The build stops with a list of problems if a selected key is missing
or lacks the price its modality needs.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent
SELECTION = DATA_DIR / "hosted_models_selection.csv"
OUTPUT = DATA_DIR / "hosted_models.csv"
PRICE_MAP = "litellm/model_prices_and_context_window_backup.json"

COLUMNS = (
    "key",
    "provider",
    "model",
    "modality",
    "usd_per_million_input_tokens",
    "usd_per_million_output_tokens",
    "usd_per_image",
    "usd_per_audio_minute",
    "context_tokens",
    "architecture",
    "price_date",
    "source",
    "source_url",
)
_WHEEL_VERSION = re.compile(r"litellm-(\d+(?:\.\d+)+)-")


def read_price_map(path: Path, version: str | None) -> tuple[dict[str, Any], str]:
    """The price map and the litellm version it belongs to."""
    if path.suffix == ".whl":
        match = _WHEEL_VERSION.search(path.name)
        if match is None:
            raise SystemExit(f"Cannot tell the litellm version from the wheel name {path.name}.")
        with zipfile.ZipFile(path) as wheel:
            return json.loads(wheel.read(PRICE_MAP)), version or match.group(1)
    if version is None:
        raise SystemExit("Give --litellm-version when reading the JSON file directly.")
    return json.loads(path.read_text(encoding="utf-8")), version


def _amount(value: Any, factor: float) -> str:
    """A price in the catalogue's unit, without float noise (0.15000000000000002 -> 0.15)."""
    if value is None:
        return ""
    return f"{round(float(value) * factor, 9):.9g}"


def build_rows(price_map: dict[str, Any], version: str, read_on: str) -> tuple[list[dict[str, str]], list[str]]:
    """One catalogue row per selected model, and the problems found (missing keys, missing prices)."""
    rows: list[dict[str, str]] = []
    problems: list[str] = []
    with SELECTION.open(encoding="utf-8", newline="") as handle:
        for chosen in csv.DictReader(handle):
            entry = price_map.get(chosen["litellm_key"])
            if not isinstance(entry, dict):
                problems.append(f"{chosen['key']}: litellm {version} has no entry {chosen['litellm_key']!r}")
                continue
            row = {
                "key": chosen["key"],
                "provider": chosen["provider"],
                "model": chosen["model"],
                "modality": chosen["modality"],
                "usd_per_million_input_tokens": "",
                "usd_per_million_output_tokens": "",
                "usd_per_image": "",
                "usd_per_audio_minute": "",
                "context_tokens": str(entry["max_input_tokens"]) if entry.get("max_input_tokens") else "",
                "architecture": chosen["architecture"],
                "price_date": read_on,
                "source": f"litellm {version} model_prices_and_context_window_backup.json: {chosen['litellm_key']}",
                "source_url": chosen["source_url"],
            }
            modality = chosen["modality"]
            if modality == "speech-to-text":
                row["usd_per_audio_minute"] = _amount(entry.get("input_cost_per_second"), 60)
                needed = "usd_per_audio_minute"
            elif modality == "image generation":
                row["usd_per_image"] = _amount(entry.get("output_cost_per_image"), 1)
                needed = "usd_per_image"
            else:
                row["usd_per_million_input_tokens"] = _amount(entry.get("input_cost_per_token"), 1e6)
                if modality != "embeddings":
                    row["usd_per_million_output_tokens"] = _amount(entry.get("output_cost_per_token"), 1e6)
                needed = "usd_per_million_input_tokens"
            if not row[needed] or float(row[needed]) <= 0:
                problems.append(f"{chosen['key']}: no {needed} in litellm {version} ({chosen['litellm_key']})")
                continue
            rows.append(row)
    return rows, problems


def render(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("price_map", type=Path, help="the litellm wheel, or its model_prices JSON file")
    parser.add_argument("--litellm-version", help="the version, when reading the JSON file directly")
    parser.add_argument("--date", default=date.today().isoformat(), help="the day the prices were read")
    parser.add_argument("--out", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    price_map, version = read_price_map(args.price_map, args.litellm_version)
    rows, problems = build_rows(price_map, version, args.date)
    if problems:
        print("Not written:\n- " + "\n- ".join(problems), file=sys.stderr)
        return 1
    args.out.write_text(render(rows), encoding="utf-8")
    print(f"Wrote {len(rows)} rows to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
