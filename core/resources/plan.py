"""The saved resource scenarios of a project: a JSON-ready document, scenario comparison, an example.

A ``ResourcePlan`` records what the user chose on the resources page as plain
values (model, workload, device, serving demand, training data and prices,
buy-versus-cloud inputs, team inputs and rules, notes). It stores inputs, never
results: the page recomputes memory, speed and costs from them, so a saved
scenario never disagrees with the estimator it is opened with.

``ResourcesSection`` holds up to 12 scenarios in order and the one chosen as
the project's plan. ``to_document`` / ``from_document`` convert it to and from
plain JSON values exactly (``from_document(s.to_document()) == s``), and
reject malformed documents with a ValueError naming the bad field.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import MISSING, dataclass, field, fields, is_dataclass, replace
from typing import Any

from core.hosted.choice import ApiChoice
from core.resources import limits
from core.resources.costs import (
    BuyVersusCloud,
    require_between,
    require_choice,
    require_non_negative,
    require_positive,
    require_text,
)
from core.resources.engines import validate_engine
from core.resources.labelling import LabellingInputs
from core.resources.serving import DEFAULT_MAX_BATCH_WAIT_S, MAX_LATENCY_TARGET_S, ServingDemand
from core.resources.sites import SiteDeployment
from core.resources.team import TeamInputs, TeamRules
from core.resources.training import (
    DEFAULT_SCALING_EFFICIENCY_PER_DOUBLING,
    MAX_DATASET_UNITS,
    MAX_EPOCHS,
    MAX_FLOPS_PER_UNIT,
    MAX_PARAMS,
    MAX_PRICE_USD_PER_DEVICE_HOUR,
    PricingMultipliers,
    TrainingJob,
    UtilisationBand,
)
from core.resources.vocabulary import (
    ENGINES,
    KV_CACHE_DTYPES,
    MODES,
    OPTIMIZERS,
    PRECISIONS,
    Engine,
    KvCacheDtype,
    Mode,
    Optimizer,
    Precision,
)
from core.text import quote_prefix
from core.worthiness.model import check_candidate_id

SCHEMA_VERSION = 1
MAX_SCENARIOS = 12
MAX_NAME_CHARS = 80
MAX_NOTES_CHARS = 5_000

_KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._+-]*$")
MAX_KEY_CHARS = 80


def _require_key(label: str, value: Any) -> str:
    text = require_text(label, value, MAX_KEY_CHARS)
    if not _KEY_PATTERN.match(text):
        raise ValueError(
            f"{label} must be a catalogue key in lower case (letters, digits, '.', '-', '_', '+'); "
            f"got {quote_prefix(value)}."
        )
    return text


@dataclass(frozen=True)
class TrainingInputs:
    """What the user states about a training run; the model and device supply the rest.

    Give ``dataset_tokens`` (language models) or ``dataset_samples``.
    ``flops_per_sample`` (training FLOPs, 3 x forward) overrides the catalogue's
    figure; ``price_usd_per_device_hour`` (on-demand) overrides the device's
    catalogue price; None means "use the catalogue" (and a device without one
    still gets its time estimated, with no cost).
    ``device_key`` and ``devices`` name the device the run trains on and how
    many, when it is not the plan's (training on 8 x A100, serving on a store's
    CPU); None means the plan's device and count.
    """

    dataset_tokens: float | None = None
    dataset_samples: float | None = None
    epochs: float = 1.0
    flops_per_sample: float | None = None
    utilisation: UtilisationBand = field(default_factory=UtilisationBand)
    scaling_efficiency_per_doubling: float = DEFAULT_SCALING_EFFICIENCY_PER_DOUBLING
    price_usd_per_device_hour: float | None = None
    pricing: PricingMultipliers = field(default_factory=PricingMultipliers)
    # Defaults of None keep plans saved before training had a device of its own loading as they were estimated.
    device_key: str | None = None
    devices: int | None = None

    def __post_init__(self) -> None:
        if self.device_key is not None:
            object.__setattr__(self, "device_key", _require_key("Training device key", self.device_key))
        if self.devices is not None:
            object.__setattr__(self, "devices", limits.device_count(self.devices, "Number of training devices"))
        if (self.dataset_tokens is None) == (self.dataset_samples is None):
            raise ValueError("Give the training data size either in tokens or in samples, not both and not neither.")
        if self.dataset_tokens is not None:
            object.__setattr__(
                self, "dataset_tokens", require_positive("Dataset tokens", self.dataset_tokens, MAX_DATASET_UNITS)
            )
        if self.dataset_samples is not None:
            object.__setattr__(
                self, "dataset_samples", require_positive("Dataset samples", self.dataset_samples, MAX_DATASET_UNITS)
            )
        object.__setattr__(self, "epochs", require_positive("Epochs", self.epochs, MAX_EPOCHS))
        if self.flops_per_sample is not None:
            if self.dataset_tokens is not None:
                raise ValueError("FLOPs per sample apply to a dataset in samples; clear them or give samples.")
            object.__setattr__(
                self,
                "flops_per_sample",
                require_positive("Training FLOPs per sample", self.flops_per_sample, MAX_FLOPS_PER_UNIT),
            )
        if self.price_usd_per_device_hour is not None:
            object.__setattr__(
                self,
                "price_usd_per_device_hour",
                require_non_negative(
                    "Price per device-hour (USD)", self.price_usd_per_device_hour, MAX_PRICE_USD_PER_DEVICE_HOUR
                ),
            )
        if not isinstance(self.utilisation, UtilisationBand):
            raise ValueError("Utilisation must be a band of low, expected and high MFU.")
        if not isinstance(self.pricing, PricingMultipliers):
            raise ValueError("Pricing must give spot and reserved multipliers.")
        object.__setattr__(
            self,
            "scaling_efficiency_per_doubling",
            require_between("Scaling efficiency per doubling", self.scaling_efficiency_per_doubling, 0.5, 1),
        )

    def to_job(
        self,
        params: float,
        devices: int,
        peak_flops_per_s: float,
        catalogue_price_usd_per_device_hour: float | None,
        catalogue_flops_per_sample: float | None = None,
    ) -> TrainingJob:
        """A ``TrainingJob`` from these inputs and the model's and device's catalogue figures.

        Without a price here or in the catalogue the job has none: its time is estimated, its cost is not."""
        price = self.price_usd_per_device_hour
        if price is None:
            price = catalogue_price_usd_per_device_hour
        flops_per_sample = None
        if self.dataset_samples is not None:
            flops_per_sample = (
                self.flops_per_sample if self.flops_per_sample is not None else catalogue_flops_per_sample
            )
            if flops_per_sample is None:
                raise ValueError(
                    "The model has no FLOPs per sample in the catalogue; enter the training FLOPs per sample."
                )
        return TrainingJob(
            params=params,
            devices=devices,
            peak_flops_per_s=peak_flops_per_s,
            price_usd_per_device_hour=price,
            tokens=self.dataset_tokens,
            samples=self.dataset_samples,
            epochs=self.epochs,
            flops_per_sample=flops_per_sample,
            utilisation=self.utilisation,
            scaling_efficiency_per_doubling=self.scaling_efficiency_per_doubling,
            pricing=self.pricing,
        )


@dataclass(frozen=True)
class ResourcePlan:
    """One saved scenario: inputs only, as plain values (see the module docstring).

    Exactly one of ``model_key`` (an architecture catalogue key) and
    ``custom_params`` (a parameter count) names the model. Workload fields use
    the estimator's vocabulary (``core.resources.vocabulary``); ``seq``,
    ``prompt_tokens``, ``new_tokens``, ``image_size`` and ``lora_rank`` are
    None where they do not apply. Sections the user has not filled are None.
    """

    name: str
    model_key: str | None = None
    custom_params: float | None = None
    mode: Mode = "inference"
    precision: Precision = "bf16"
    optimizer: Optimizer = "adamw"
    batch: int = 1
    seq: int | None = None
    prompt_tokens: int | None = None
    new_tokens: int | None = None
    image_size: int | None = None
    grad_checkpointing: bool = False
    lora_rank: int | None = None
    device_key: str | None = None
    devices: int = 1
    # The software stack and its KV-cache dtype (core.resources.engines); plans saved before they existed load
    # as eager PyTorch with the stack's usual KV dtype, which is what those plans were estimated with.
    engine: Engine = "pytorch"
    kv_cache_dtype: KvCacheDtype = "auto"
    # Static batching (pytorch): a batch leaves when full or after this wait (TorchServe's max_batch_delay).
    max_batch_wait_s: float = DEFAULT_MAX_BATCH_WAIT_S
    serving: ServingDemand | None = None
    training: TrainingInputs | None = None
    buy_vs_cloud: BuyVersusCloud | None = None
    team: TeamInputs | None = None
    team_rules: TeamRules | None = None
    labelling: LabellingInputs | None = None  # items to label and what one label takes (core.resources.labelling)
    sites: SiteDeployment | None = None  # serving on devices bought for the sites (core.resources.sites)
    notes: str = ""
    # The worthiness candidate the scenario plans for (None: saved before scenarios named their candidate).
    candidate_id: str | None = None
    api_comparison: ApiChoice | None = None  # the hosted model this scenario is compared with (core.hosted)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "name", require_text("Scenario name", self.name, MAX_NAME_CHARS))
        if self.candidate_id is not None:
            set_(self, "candidate_id", check_candidate_id(self.candidate_id))
        if (self.model_key is None) == (self.custom_params is None):
            raise ValueError("Choose a model from the catalogue or enter a parameter count, not both.")
        if self.model_key is not None:
            set_(self, "model_key", _require_key("Model key", self.model_key))
        if self.custom_params is not None:
            set_(self, "custom_params", require_positive("Parameter count", self.custom_params, MAX_PARAMS))
        require_choice("Workload mode", self.mode, MODES)
        require_choice("Precision", self.precision, PRECISIONS)
        require_choice("Optimizer", self.optimizer, OPTIMIZERS)
        # The limits shared with the estimator's Workload have one definition (core.resources.limits), so a
        # saved or imported plan holds only values the estimator accepts.
        set_(self, "batch", limits.batch_size(self.batch, "Batch size"))
        for name, label, check in (
            ("seq", "Sequence length (tokens)", limits.token_count),
            ("prompt_tokens", "Prompt tokens", limits.token_count),
            ("new_tokens", "New tokens", limits.token_count),
            ("image_size", "Image size (pixels)", limits.image_size),
            ("lora_rank", "LoRA rank", limits.lora_rank),
        ):
            value = getattr(self, name)
            if value is not None:
                set_(self, name, check(value, label))
        limits.flag(self.grad_checkpointing, "Gradient checkpointing")
        if self.lora_rank is not None and self.mode != "lora":
            raise ValueError("A LoRA rank only applies to the lora mode; clear it or switch the mode to lora.")
        if self.device_key is not None:
            set_(self, "device_key", _require_key("Device key", self.device_key))
        set_(self, "devices", limits.device_count(self.devices, "Number of devices"))
        require_choice("Stack", self.engine, ENGINES)
        require_choice("KV-cache dtype", self.kv_cache_dtype, KV_CACHE_DTYPES)
        # The estimator's own check, so a plan it would refuse cannot be saved.
        validate_engine(self.engine, self.kv_cache_dtype, self.mode, self.precision, None)
        set_(
            self,
            "max_batch_wait_s",
            require_non_negative("Maximum batching wait (s)", self.max_batch_wait_s, MAX_LATENCY_TARGET_S),
        )
        for name, cls in (
            ("serving", ServingDemand),
            ("training", TrainingInputs),
            ("buy_vs_cloud", BuyVersusCloud),
            ("team", TeamInputs),
            ("team_rules", TeamRules),
            ("labelling", LabellingInputs),
            ("sites", SiteDeployment),
            ("api_comparison", ApiChoice),
        ):
            value = getattr(self, name)
            if value is not None and not isinstance(value, cls):
                raise ValueError(
                    f"The {name.replace('_', ' ')} section must be a {cls.__name__}; got {quote_prefix(value)}."
                )
        if not isinstance(self.notes, str):
            raise ValueError(f"Notes must be text; got {quote_prefix(self.notes)}.")
        if len(self.notes) > MAX_NOTES_CHARS:
            raise ValueError(f"Notes must be at most {MAX_NOTES_CHARS} characters; got {len(self.notes)}.")

    @property
    def training_device_key(self) -> str | None:
        """The device the training section trains on: its own, else the plan's."""
        if self.training is not None and self.training.device_key is not None:
            return self.training.device_key
        return self.device_key

    @property
    def training_devices(self) -> int:
        """How many devices the training section trains on: its own count, else the plan's."""
        if self.training is not None and self.training.devices is not None:
            return self.training.devices
        return self.devices


@dataclass(frozen=True)
class ResourcesSection:
    """The project's resource scenarios in order (at most 12, unique names) and which are chosen.

    Each scenario names the candidate it plans for; ``chosen_for`` maps a candidate id to the scenario chosen as
    that candidate's plan, so every candidate can have its own. ``chosen`` is the scenario chosen last (the
    project's plan before scenarios named their candidate).
    """

    scenarios: tuple[ResourcePlan, ...] = ()
    chosen: str | None = None
    chosen_for: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        scenarios = tuple(self.scenarios)
        if len(scenarios) > MAX_SCENARIOS:
            raise ValueError(
                f"A project keeps at most {MAX_SCENARIOS} scenarios; got {len(scenarios)}. Delete one first."
            )
        names: set[str] = set()
        for plan in scenarios:
            if not isinstance(plan, ResourcePlan):
                raise ValueError(f"Each scenario must be a ResourcePlan; got {quote_prefix(plan)}.")
            if plan.name in names:
                raise ValueError(f"Two scenarios are named {quote_prefix(plan.name)}; give each a different name.")
            names.add(plan.name)
        object.__setattr__(self, "scenarios", scenarios)
        if self.chosen is not None and self.chosen not in names:
            raise ValueError(f"The chosen scenario {quote_prefix(self.chosen)} is not among the saved scenarios.")
        if not isinstance(self.chosen_for, Mapping):
            raise ValueError("The scenarios chosen per candidate must be a mapping of candidate id to scenario name.")
        by_name = {plan.name: plan for plan in scenarios}
        for candidate_id, name in self.chosen_for.items():
            chosen_plan = by_name.get(name) if isinstance(name, str) else None
            if chosen_plan is None:
                raise ValueError(f"The scenario chosen for {quote_prefix(candidate_id)} is not among the saved ones.")
            if chosen_plan.candidate_id != candidate_id:
                raise ValueError(
                    f"Scenario {quote_prefix(name)} plans for {quote_prefix(chosen_plan.candidate_id)}, so it "
                    f"cannot be the plan of {quote_prefix(candidate_id)}."
                )
        object.__setattr__(self, "chosen_for", dict(self.chosen_for))

    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.scenarios)

    def get(self, name: str) -> ResourcePlan:
        for plan in self.scenarios:
            if plan.name == name:
                return plan
        raise ValueError(f"There is no scenario named {quote_prefix(name)}.")

    def chosen_plan(self) -> ResourcePlan | None:
        return self.get(self.chosen) if self.chosen is not None else None

    def plan_for(self, candidate_id: str) -> ResourcePlan | None:
        """The candidate's plan: the scenario chosen for it, else its first scenario; None if it has none.

        A scenario for another candidate, or one that names no candidate, is never this candidate's plan.
        """
        if candidate_id in self.chosen_for:
            return self.get(self.chosen_for[candidate_id])
        return next((plan for plan in self.scenarios if plan.candidate_id == candidate_id), None)

    def with_scenario(self, plan: ResourcePlan) -> ResourcesSection:
        """A copy with ``plan`` saved: replaces the scenario of the same name in place, else appends it."""
        if plan.name in self.names():
            scenarios = tuple(plan if p.name == plan.name else p for p in self.scenarios)
        else:
            scenarios = (*self.scenarios, plan)
        return replace(self, scenarios=scenarios)

    def without_scenario(self, name: str) -> ResourcesSection:
        """A copy without ``name``; the choice is cleared if it was that scenario."""
        self.get(name)
        chosen = None if self.chosen == name else self.chosen
        chosen_for = {candidate: kept for candidate, kept in self.chosen_for.items() if kept != name}
        return ResourcesSection(
            scenarios=tuple(p for p in self.scenarios if p.name != name), chosen=chosen, chosen_for=chosen_for
        )

    def choose(self, name: str | None) -> ResourcesSection:
        """A copy with ``name`` chosen: the plan of its candidate, and the scenario chosen last (None clears)."""
        if name is None:
            return replace(self, chosen=None)
        plan = self.get(name)
        if plan.candidate_id is None:
            return replace(self, chosen=name)
        return replace(self, chosen=name, chosen_for={**self.chosen_for, plan.candidate_id: name})

    def to_document(self) -> dict[str, Any]:
        """Plain JSON values: {"schema_version", "chosen", "scenarios": [...]}, and "chosen_for" when any."""
        document: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "chosen": self.chosen,
            "scenarios": [_encode(plan) for plan in self.scenarios],
        }
        if self.chosen_for:
            document["chosen_for"] = dict(self.chosen_for)
        return document

    @classmethod
    def from_document(cls, document: Any) -> ResourcesSection:
        """Rebuild a section from ``to_document`` output; ValueError naming the field if malformed."""
        if not isinstance(document, dict):
            raise ValueError("The resources document must be a JSON object.")
        unknown = set(document) - {"schema_version", "chosen", "scenarios", "chosen_for"}
        if unknown:
            raise ValueError(f"The resources document has unknown field(s): {', '.join(sorted(map(str, unknown)))}.")
        version = document.get("schema_version")
        if isinstance(version, bool) or not isinstance(version, int):
            raise ValueError("The resources document needs a whole-number schema_version.")
        if version > SCHEMA_VERSION:
            raise ValueError(
                f"The resources document was saved by a newer Greenlight (schema {version}); update to open it."
            )
        if version < 1:
            raise ValueError(f"The resources document has an invalid schema_version {version}.")
        chosen = document.get("chosen")
        if chosen is not None and not isinstance(chosen, str):
            raise ValueError("The chosen scenario must be a name or null.")
        raw = document.get("scenarios", [])
        if not isinstance(raw, list):
            raise ValueError("The scenarios must be a list.")
        plans = tuple(_decode(ResourcePlan, item, f"scenarios[{i}]") for i, item in enumerate(raw))
        chosen_for = document.get("chosen_for", {})
        if not isinstance(chosen_for, dict) or not all(
            isinstance(key, str) and isinstance(value, str) for key, value in chosen_for.items()
        ):
            raise ValueError("chosen_for must map candidate ids to scenario names.")
        return cls(scenarios=plans, chosen=chosen, chosen_for=chosen_for)


# --- generic encoding of the frozen dataclasses above ------------------------


def _encode(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, (tuple, list)):
        return [_encode(v) for v in value]
    return value


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _decode(tp: Any, value: Any, path: str) -> Any:
    """Check ``value`` against the type ``tp`` and rebuild it; ValueError names ``path`` on a mismatch."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        if value is None:
            if len(options) < len(typing.get_args(tp)):
                return None
            raise ValueError(f"{path} must not be empty.")
        if len(options) != 1:
            raise ValueError(f"{path} has an ambiguous type.")  # pragma: no cover - not used by these classes
        return _decode(options[0], value, path)
    if isinstance(tp, type) and is_dataclass(tp):
        if not isinstance(value, dict):
            raise ValueError(f"{path} must be an object.")
        hints = _hints(tp)
        known = {f.name: f for f in fields(tp) if f.init}
        unknown = set(value) - set(known)
        if unknown:
            raise ValueError(f"{path} has unknown field(s): {', '.join(sorted(map(str, unknown)))}.")
        kwargs: dict[str, Any] = {}
        for name, f in known.items():
            if name in value:
                kwargs[name] = _decode(hints[name], value[name], f"{path}.{name}")
            elif f.default is MISSING and f.default_factory is MISSING:
                raise ValueError(f"{path} is missing the field {quote_prefix(name)}.")
        try:
            return tp(**kwargs)
        except ValueError as error:
            raise ValueError(f"{path}: {error}") from None
    if origin is tuple:
        if not isinstance(value, (list, tuple)):
            raise ValueError(f"{path} must be a list.")
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], v, f"{path}[{i}]") for i, v in enumerate(value))
        if len(value) != len(args):
            raise ValueError(f"{path} must have {len(args)} items; got {len(value)}.")
        return tuple(_decode(a, v, f"{path}[{i}]") for i, (a, v) in enumerate(zip(args, value, strict=True)))
    if tp is bool:
        if not isinstance(value, bool):
            raise ValueError(f"{path} must be true or false; got {quote_prefix(value)}.")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{path} must be a whole number; got {quote_prefix(value)}.")
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"{path} must be a number; got {quote_prefix(value)}.")
        return float(value)
    if typing.get_origin(tp) is typing.Literal:
        # A vocabulary word is text here; the dataclass checks it against its vocabulary with a sentence.
        tp = str
    if tp is str:
        if not isinstance(value, str):
            raise ValueError(f"{path} must be text; got {quote_prefix(value)}.")
        return value
    raise ValueError(f"{path} has a type this document cannot hold.")  # pragma: no cover - schema bug


# --- comparison ---------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioSummary:
    """The computed figures of one scenario for a side-by-side table (None where not computed)."""

    name: str
    memory_bytes: float | None
    devices: int
    monthly_serving_cost_usd: float | None
    training_cost_usd: float | None
    latency_p95_s: float | None

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", require_text("Scenario name", self.name, MAX_NAME_CHARS))
        object.__setattr__(self, "devices", limits.device_count(self.devices, "Number of devices"))
        for name, label in (
            ("memory_bytes", "Memory (bytes)"),
            ("monthly_serving_cost_usd", "Monthly serving cost (USD)"),
            ("training_cost_usd", "Training cost (USD)"),
            ("latency_p95_s", "p95 latency (s)"),
        ):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, require_non_negative(label, value, 1e30))


_COMPARED: tuple[tuple[str, str, str, float], ...] = (
    # (metric, unit, summary field, divisor for display)
    ("Memory per device", "GB (10^9 bytes)", "memory_bytes", 1e9),
    ("Devices", "count", "devices", 1.0),
    ("Monthly serving cost", "USD per month", "monthly_serving_cost_usd", 1.0),
    ("Training cost", "USD", "training_cost_usd", 1.0),
    ("p95 latency", "s", "latency_p95_s", 1.0),
)


def compare_scenarios(summaries: Sequence[ScenarioSummary]) -> list[dict[str, Any]]:
    """A side-by-side table: one row per metric, one column per scenario (by name), lower is better.

    Each row has "metric", "unit", one key per scenario name (None where not
    computed) and "best": the name(s) with the lowest value, or None.
    """
    if len(summaries) == 0:
        raise ValueError("Pick at least one scenario to compare.")
    if len(summaries) > MAX_SCENARIOS:
        raise ValueError(f"Compare at most {MAX_SCENARIOS} scenarios; got {len(summaries)}.")
    names = [s.name for s in summaries]
    if len(set(names)) != len(names):
        raise ValueError("Scenario names in a comparison must be unique.")
    reserved = {"metric", "unit", "best"}
    clash = reserved.intersection(names)
    if clash:
        raise ValueError(
            f"Rename the scenario {quote_prefix(sorted(clash)[0])}: that word labels a column of the table."
        )
    rows: list[dict[str, Any]] = []
    for metric, unit, attribute, divisor in _COMPARED:
        row: dict[str, Any] = {"metric": metric, "unit": unit}
        values: dict[str, float] = {}
        for summary in summaries:
            raw = getattr(summary, attribute)
            shown = None if raw is None else raw / divisor
            row[summary.name] = shown
            if shown is not None:
                values[summary.name] = shown
        if values and len(summaries) > 1:
            lowest = min(values.values())
            row["best"] = ", ".join(n for n in names if values.get(n) == lowest)
        else:
            row["best"] = None
        rows.append(row)
    return rows


# --- the example project -------------------------------------------------------

# Rain forecast 15 minutes ahead (the second worked example of docs/method.md).
# Assumption for the example: a small time-series model (~2 M parameters, e.g.
# a temporal convolutional network over 48 five-minute steps of radar and
# station readings) whose forward pass is ~2 x params x 48 steps = 1.9e8 FLOPs.
_RAIN_PARAMS = 2_000_000.0
_RAIN_FORWARD_FLOPS = 2 * _RAIN_PARAMS * 48


EXAMPLE_CANDIDATE = "rain-forecast-15min"  # the example worthiness section's candidate that deep learning suits


def example_resources() -> ResourcesSection:
    """Scenarios for the example rain-forecast project: a small time-series model served on a CPU.

    Two scenarios, the CPU one chosen: a ~2 M-parameter model answers a
    forecast request in milliseconds on a CPU, so the guide's third question
    (how fast must the reply be?) does not call for a GPU; a GPU scenario is
    kept for comparison.
    """
    serving = ServingDemand(
        peak_requests_per_s=20.0,
        average_requests_per_s=5.0,
        latency_target_p95_s=1.0,
        samples_per_request=1.0,
        headroom=0.3,
    )
    training = TrainingInputs(
        dataset_samples=5_000_000.0,
        epochs=30.0,
        flops_per_sample=3 * _RAIN_FORWARD_FLOPS,
    )
    team = TeamInputs(
        labelling="none",  # rain gauges label the data automatically
        model_complexity="simple",
        serving_scale="online",
        data_months=2.0,
        modelling_months=2.0,
        deployment_months=1.0,
        monitoring_months=6.0,
    )
    cpu = ResourcePlan(
        name="CPU nowcast service",
        candidate_id=EXAMPLE_CANDIDATE,
        custom_params=_RAIN_PARAMS,
        mode="inference",
        precision="fp32",
        batch=8,
        seq=48,
        device_key="cpu-xeon-6338",
        devices=1,
        serving=serving,
        training=training,
        # Assumptions for the example: a one-socket Xeon Gold 6338 server for about $8,000 drawing
        # about 300 W at the wall, against the catalogue's cloud price for that socket ($3.07/h);
        # a forecast service runs all month, hence utilisation 1.
        buy_vs_cloud=BuyVersusCloud(
            purchase_price_usd_per_device=8_000.0,
            devices=1,
            tdp_w=300.0,
            electricity_usd_per_kwh=0.15,
            hosting_usd_per_month=150.0,
            amortisation_years=4.0,
            cloud_price_usd_per_device_hour=3.07,
            utilisation=1.0,
        ),
        team=team,
        notes=(
            "Rain forecast 15 minutes ahead from radar and station readings. A small time-series model "
            "(about 2 M parameters) served on a CPU: replies take milliseconds, far inside the 1 s target."
        ),
    )
    gpu = replace(
        cpu,
        name="Same model on a GPU",
        device_key="l4",
        buy_vs_cloud=None,
        notes="For comparison: a GPU answers faster, but the 1 s target does not need it.",
    )
    return ResourcesSection(scenarios=(cpu, gpu), chosen=cpu.name, chosen_for={EXAMPLE_CANDIDATE: cpu.name})
