"""Command line for hosted models: ``python -m core hosted`` and ``estimate --compare-api``.

``hosted`` prints the catalogue as published in ``data/hosted_models.csv`` (``--json`` for JSON,
``--modality`` and ``--architecture`` to narrow it)::

    python -m core hosted --architecture llama-3.1-8b --json

``estimate ... --compare-api KEY --requests-per-month N`` adds an ``api`` object to the estimate: the
tokens one request carries (``core.hosted.versus.request_workload``: the prompt or sequence length and
the new tokens), its price on the hosted model and the monthly cost at N requests, the same figures the
resources page shows for that workload and volume.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from core.hosted.catalogue import MODALITIES, HostedModel, load_hosted_models
from core.hosted.compare import MAX_REQUESTS_PER_MONTH, api_usd_per_request
from core.hosted.versus import request_workload
from core.resources.architectures import Architecture
from core.resources.costs import require_non_negative
from core.resources.memory import Workload
from core.text import quote_prefix


def add_hosted_command(sub: Any) -> None:
    """Register ``hosted`` on argparse sub-parsers."""
    hosted = sub.add_parser("hosted", help="print the hosted-model price catalogue")
    hosted.add_argument("--json", action="store_true", help="print JSON instead of a table")
    hosted.add_argument("--modality", help=f"only one of: {', '.join(MODALITIES)}")
    hosted.add_argument("--architecture", help="only the hosted offers of these open weights (an architecture key)")
    hosted.set_defaults(handler=run_hosted)


def add_compare_flags(parser: argparse.ArgumentParser) -> None:
    """``--compare-api`` and ``--requests-per-month`` for ``estimate``."""
    group = parser.add_argument_group("API comparison")
    group.add_argument("--compare-api", help="hosted model key from `python -m core hosted`: adds its monthly cost")
    group.add_argument("--requests-per-month", help="monthly volume for --compare-api (requests per month)")
    group.add_argument("--samples-per-request", default="1", help="samples (sequences) per request (default 1)")
    group.add_argument("--audio-minutes-per-request", default="0", help="audio minutes per request (speech-to-text)")


def published_models() -> dict[str, HostedModel]:
    from core.store import read_catalogue

    models, _skipped = load_hosted_models(read_catalogue("hosted_models"))
    return models


def _number(text: str | None, flag: str, maximum: float) -> float:
    try:
        value = float(str(text).strip().replace(",", "").replace("_", ""))
    except ValueError:
        raise ValueError(f"{flag} must be a number; got {quote_prefix(text)}.") from None
    return require_non_negative(flag, value, maximum)


def api_report(args: argparse.Namespace, arch: Architecture, workload: Workload) -> dict[str, Any] | None:
    """The ``api`` object of ``estimate --json``, or None without ``--compare-api``."""
    if args.compare_api is None:
        if args.requests_per_month is not None:
            raise ValueError("--requests-per-month needs --compare-api KEY (a hosted model to price them on).")
        return None
    if args.requests_per_month is None:
        raise ValueError("Give --requests-per-month N with --compare-api: the monthly volume to price.")
    models = published_models()
    key = args.compare_api.strip()
    model = models.get(key)
    if model is None:
        raise ValueError(f"Unknown hosted model {quote_prefix(key)}; list them with `python -m core hosted`.")
    requests = _number(args.requests_per_month, "--requests-per-month", MAX_REQUESTS_PER_MONTH)
    samples = _number(args.samples_per_request, "--samples-per-request", 1e6)
    audio = _number(args.audio_minutes_per_request, "--audio-minutes-per-request", 1e5)
    request = request_workload(arch, workload, samples or 1.0, audio)
    per_request = api_usd_per_request(model, request)
    return {
        "hosted_model": model.key,
        "provider": model.provider,
        "model": model.model,
        "requests_per_month": requests,
        "input_tokens_per_request": request.input_tokens_per_request,
        "output_tokens_per_request": request.output_tokens_per_request,
        "usd_per_request": per_request,
        "usd_per_month": requests * per_request,
        "price_date": model.price_date,
        "source": model.source,
    }


def run_hosted(args: argparse.Namespace) -> int:
    models = list(published_models().values())
    if args.modality is not None:
        if args.modality not in MODALITIES:
            raise ValueError(f"--modality must be one of {', '.join(MODALITIES)}; got {quote_prefix(args.modality)}.")
        models = [m for m in models if m.modality == args.modality]
    if args.architecture is not None:
        models = [m for m in models if m.architecture == args.architecture.strip()]
    rows = [
        {
            "key": m.key,
            "provider": m.provider,
            "model": m.model,
            "modality": m.modality,
            "usd_per_million_input_tokens": m.usd_per_million_input_tokens,
            "usd_per_million_output_tokens": m.usd_per_million_output_tokens,
            "usd_per_image": m.usd_per_image,
            "usd_per_audio_minute": m.usd_per_audio_minute,
            "context_tokens": m.context_tokens,
            "architecture": m.architecture,
            "price_date": m.price_date,
            "source": m.source,
            "source_url": m.source_url,
        }
        for m in models
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    columns = ("key", "modality", "usd_per_million_input_tokens", "usd_per_million_output_tokens", "price_date")
    print("  ".join(f"{c:<30}" for c in columns))
    for row in rows:
        print("  ".join(f"{'' if row[c] is None else str(row[c]):<30}" for c in columns))
    return 0
