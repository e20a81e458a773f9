"""People plan: roles and full-time equivalents (FTE) per project phase, from editable rules of thumb.

The planning method (docs/method.md, section 4) asks for people to be planned with the compute: how many
engineers and data scientists, with which skills, and what the team's size
means for tooling. Nothing here is measured: ``TeamRules`` holds RULES OF THUMB
for a moderately complex model served online with light labelling, scaled by
the project's size inputs. Every number is editable on the page and saved
with the scenario.

Loaded cost per FTE-month (salary plus benefits, taxes and overhead) defaults
come from US figures: median pay from the BLS Occupational Outlook Handbook
(May 2024: software developers $133,080, data scientists $112,590) times the
employer's total-compensation-to-wages ratio from the BLS Employer Costs for
Employee Compensation release (private industry, September 2024: $44.40 total
/ $31.25 wages per hour worked, www.bls.gov/ecec). Annotator and domain-expert
rates are assumptions; replace all of them with your own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from core.resources.costs import require_choice, require_non_negative
from core.resources.labelling import LabellingInputs, annotator_fte
from core.text import format_usd, quote_prefix

PHASES: tuple[str, ...] = (
    "data collection & labelling",
    "modelling",
    "deployment & MLOps",
    "monitoring",
)
ROLES: tuple[str, ...] = (
    "data engineer",
    "ML engineer",
    "data scientist",
    "MLOps engineer",
    "labelling/annotation",
    "product/domain expert",
)
LABELLING_ROLE = "labelling/annotation"
ENGINEERING_ROLES: tuple[str, ...] = ("data engineer", "ML engineer", "data scientist", "MLOps engineer")
LABELLING_LEVELS: tuple[str, ...] = ("none", "light", "heavy")
COMPLEXITY_LEVELS: tuple[str, ...] = ("simple", "moderate", "complex")
SERVING_SCALES: tuple[str, ...] = ("batch", "online", "high-traffic")

MAX_FTE = 100.0
MAX_PHASE_MONTHS = 120.0
MAX_USD_PER_FTE_MONTH = 1_000_000.0

# BLS figures quoted in the module docstring.
_SOFTWARE_DEVELOPER_MEDIAN_USD_PER_YEAR = 133_080.0
_DATA_SCIENTIST_MEDIAN_USD_PER_YEAR = 112_590.0
LOADED_COST_MULTIPLIER = 44.40 / 31.25  # total compensation / wages, ~1.42


def _loaded_monthly(median_usd_per_year: float) -> float:
    return round(median_usd_per_year / 12 * LOADED_COST_MULTIPLIER, -2)


# Rule of thumb: FTE per phase and role for the reference project (moderate
# complexity, online serving, light labelling).
DEFAULT_BASE_FTE: tuple[tuple[str, str, float], ...] = (
    ("data collection & labelling", "data engineer", 1.0),
    ("data collection & labelling", "data scientist", 0.5),
    ("data collection & labelling", "labelling/annotation", 2.0),
    ("data collection & labelling", "product/domain expert", 0.5),
    ("modelling", "data engineer", 0.5),
    ("modelling", "ML engineer", 1.0),
    ("modelling", "data scientist", 1.0),
    ("modelling", "MLOps engineer", 0.25),
    ("modelling", "labelling/annotation", 0.5),
    ("modelling", "product/domain expert", 0.25),
    ("deployment & MLOps", "data engineer", 0.25),
    ("deployment & MLOps", "ML engineer", 1.0),
    ("deployment & MLOps", "data scientist", 0.25),
    ("deployment & MLOps", "MLOps engineer", 1.0),
    ("deployment & MLOps", "product/domain expert", 0.25),
    ("monitoring", "data engineer", 0.25),
    ("monitoring", "ML engineer", 0.25),
    ("monitoring", "data scientist", 0.25),
    ("monitoring", "MLOps engineer", 0.5),
    ("monitoring", "labelling/annotation", 0.25),
    ("monitoring", "product/domain expert", 0.1),
)
DEFAULT_COMPLEXITY_MULTIPLIERS: tuple[tuple[str, float], ...] = (("simple", 0.5), ("moderate", 1.0), ("complex", 2.0))
DEFAULT_SERVING_MULTIPLIERS: tuple[tuple[str, float], ...] = (("batch", 0.5), ("online", 1.0), ("high-traffic", 2.0))
DEFAULT_LABELLING_MULTIPLIERS: tuple[tuple[str, float], ...] = (("none", 0.0), ("light", 1.0), ("heavy", 3.0))
DEFAULT_LOADED_COST_USD_PER_FTE_MONTH: tuple[tuple[str, float], ...] = (
    ("data engineer", _loaded_monthly(_SOFTWARE_DEVELOPER_MEDIAN_USD_PER_YEAR)),
    ("ML engineer", _loaded_monthly(_SOFTWARE_DEVELOPER_MEDIAN_USD_PER_YEAR)),
    ("data scientist", _loaded_monthly(_DATA_SCIENTIST_MEDIAN_USD_PER_YEAR)),
    ("MLOps engineer", _loaded_monthly(_SOFTWARE_DEVELOPER_MEDIAN_USD_PER_YEAR)),
    # Assumption: an in-house annotator at about $25 an hour loaded x 160 hours.
    ("labelling/annotation", 4_000.0),
    # Assumption: a domain expert's time is priced like a data scientist's.
    ("product/domain expert", _loaded_monthly(_DATA_SCIENTIST_MEDIAN_USD_PER_YEAR)),
)


def _check_mapping(
    label: str, pairs: Iterable[tuple[str, float]], keys: tuple[str, ...], maximum: float
) -> tuple[tuple[str, float], ...]:
    """Pairs covering every key exactly once, in ``keys`` order, values 0..maximum."""
    found: dict[str, float] = {}
    for pair in pairs:
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise ValueError(f"{label} must be (name, number) pairs; got {quote_prefix(pair)}.")
        key, value = pair
        require_choice(f"{label} name", key, keys)
        if key in found:
            raise ValueError(f"{label} lists {quote_prefix(key)} twice; keep one value.")
        found[key] = require_non_negative(f"{label} for {key}", value, maximum)
    missing = [k for k in keys if k not in found]
    if missing:
        raise ValueError(f"{label} needs a value for {', '.join(missing)}.")
    return tuple((k, found[k]) for k in keys)


@dataclass(frozen=True)
class TeamRules:
    """RULES OF THUMB, not measurements: base FTE per (phase, role) and how project size scales them.

    * ``complexity_multipliers`` scale the ML engineer and data scientist in the
      data and modelling phases;
    * ``serving_multipliers`` scale the MLOps engineer in every phase and the ML
      engineer in deployment and monitoring;
    * ``labelling_multipliers`` scale annotators (``none`` = 0: no labelling);
    * ``loaded_cost_usd_per_fte_month`` prices each role;
    * a busiest phase with at most ``small_team_max_fte`` engineering FTE is a
      small team, with at least ``large_team_min_fte`` a large one.
    """

    base_fte: tuple[tuple[str, str, float], ...] = DEFAULT_BASE_FTE
    complexity_multipliers: tuple[tuple[str, float], ...] = DEFAULT_COMPLEXITY_MULTIPLIERS
    serving_multipliers: tuple[tuple[str, float], ...] = DEFAULT_SERVING_MULTIPLIERS
    labelling_multipliers: tuple[tuple[str, float], ...] = DEFAULT_LABELLING_MULTIPLIERS
    loaded_cost_usd_per_fte_month: tuple[tuple[str, float], ...] = DEFAULT_LOADED_COST_USD_PER_FTE_MONTH
    small_team_max_fte: float = 3.0
    large_team_min_fte: float = 8.0

    def __post_init__(self) -> None:
        seen: set[tuple[str, str]] = set()
        cleaned: list[tuple[str, str, float]] = []
        for row in self.base_fte:
            if not isinstance(row, (tuple, list)) or len(row) != 3:
                raise ValueError(f"Each base FTE rule must be (phase, role, FTE); got {quote_prefix(row)}.")
            phase, role, fte = row
            require_choice("Phase", phase, PHASES)
            require_choice("Role", role, ROLES)
            if (phase, role) in seen:
                raise ValueError(f"The FTE rules list {role} in {phase} twice; keep one value.")
            seen.add((phase, role))
            cleaned.append((phase, role, require_non_negative(f"FTE for {role} in {phase}", fte, MAX_FTE)))
        object.__setattr__(self, "base_fte", tuple(cleaned))
        for name, keys, maximum in (
            ("complexity_multipliers", COMPLEXITY_LEVELS, 100.0),
            ("serving_multipliers", SERVING_SCALES, 100.0),
            ("labelling_multipliers", LABELLING_LEVELS, 100.0),
            ("loaded_cost_usd_per_fte_month", ROLES, MAX_USD_PER_FTE_MONTH),
        ):
            label = name.replace("_", " ").capitalize()
            object.__setattr__(self, name, _check_mapping(label, getattr(self, name), keys, maximum))
        small = require_non_negative("Small-team size (FTE)", self.small_team_max_fte, MAX_FTE)
        large = require_non_negative("Large-team size (FTE)", self.large_team_min_fte, MAX_FTE)
        if small >= large:
            raise ValueError(
                f"The small-team limit ({small:g} FTE) must be below the large-team threshold ({large:g} FTE)."
            )
        object.__setattr__(self, "small_team_max_fte", small)
        object.__setattr__(self, "large_team_min_fte", large)

    def base(self, phase: str, role: str) -> float:
        for p, r, fte in self.base_fte:
            if p == phase and r == role:
                return fte
        return 0.0

    def cost_usd_per_fte_month(self, role: str) -> float:
        return dict(self.loaded_cost_usd_per_fte_month)[role]


@dataclass(frozen=True)
class TeamInputs:
    """Project size drivers and how long each phase lasts, in months (0 skips a phase)."""

    labelling: str = "light"
    model_complexity: str = "moderate"
    serving_scale: str = "online"
    data_months: float = 3.0
    modelling_months: float = 4.0
    deployment_months: float = 2.0
    monitoring_months: float = 6.0

    def __post_init__(self) -> None:
        require_choice("Labelling need", self.labelling, LABELLING_LEVELS)
        require_choice("Model complexity", self.model_complexity, COMPLEXITY_LEVELS)
        require_choice("Serving scale", self.serving_scale, SERVING_SCALES)
        total = 0.0
        for name, label in (
            ("data_months", "Data collection & labelling duration (months)"),
            ("modelling_months", "Modelling duration (months)"),
            ("deployment_months", "Deployment & MLOps duration (months)"),
            ("monitoring_months", "Monitoring duration (months)"),
        ):
            months = require_non_negative(label, getattr(self, name), MAX_PHASE_MONTHS)
            object.__setattr__(self, name, months)
            total += months
        if total == 0:
            raise ValueError("At least one phase must last more than 0 months.")

    def months(self, phase: str) -> float:
        return {
            PHASES[0]: self.data_months,
            PHASES[1]: self.modelling_months,
            PHASES[2]: self.deployment_months,
            PHASES[3]: self.monitoring_months,
        }[phase]


@dataclass(frozen=True)
class TeamRow:
    """One role in one phase: FTE, months, FTE-months and cost (USD)."""

    phase: str
    role: str
    fte: float
    months: float
    fte_months: float
    cost_usd: float


@dataclass(frozen=True)
class TeamPlan:
    """Rows phase x role (FTE > 0 only), totals, the busiest phase's head count and a tooling note."""

    rows: tuple[TeamRow, ...]
    fte_by_phase: tuple[tuple[str, float], ...]
    total_fte_months: float
    total_cost_usd: float
    peak_fte: float
    peak_engineering_fte: float
    team_size: str  # "small", "mid-sized" or "large"
    tooling_note: str
    assumptions: tuple[str, ...] = field(default=())


def role_fte(inputs: TeamInputs, rules: TeamRules, phase: str, role: str) -> float:
    """FTE of ``role`` during ``phase`` after the size multipliers."""
    fte = rules.base(phase, role)
    complexity = dict(rules.complexity_multipliers)[inputs.model_complexity]
    serving = dict(rules.serving_multipliers)[inputs.serving_scale]
    labelling = dict(rules.labelling_multipliers)[inputs.labelling]
    if role in ("ML engineer", "data scientist") and phase in (PHASES[0], PHASES[1]):
        fte *= complexity
    if role == "MLOps engineer" or (role == "ML engineer" and phase in (PHASES[2], PHASES[3])):
        fte *= serving
    if role == "labelling/annotation":
        fte *= labelling
    return fte


def _tooling_note(size: str, engineering_fte: float) -> str:
    head = f"about {engineering_fte:.1f} engineering FTE in the busiest phase"
    if size == "small":
        return (
            f"Small team ({head}): favour managed services (hosted training and serving endpoints, a "
            "labelling service, hosted experiment tracking) over running your own cluster or orchestration."
        )
    if size == "mid-sized":
        return (
            f"Mid-sized team ({head}): managed infrastructure plus a shared open-source stack (experiment "
            "tracking, model registry, CI for models) that one MLOps engineer can own."
        )
    return (
        f"Large team ({head}): a platform team can justify self-hosted orchestration and owned GPUs; "
        "standardise libraries and tools early so people can move between workstreams."
    )


def plan_team(inputs: TeamInputs, rules: TeamRules | None = None, labelling: LabellingInputs | None = None) -> TeamPlan:
    """FTE per phase and role, FTE-months, cost and a tooling note, from ``rules`` (defaults if None).

    With ``labelling`` the data phase's annotators follow from it (core.resources.labelling) instead of the
    rule of thumb: the FTE its in-house hours take over the phase, none when a vendor labels."""
    rules = rules if rules is not None else TeamRules()
    rows: list[TeamRow] = []
    fte_by_phase: list[tuple[str, float]] = []
    peak_engineering = 0.0
    for phase in PHASES:
        months = inputs.months(phase)
        phase_total = 0.0
        engineering = 0.0
        for role in ROLES:
            fte = role_fte(inputs, rules, phase, role)
            if labelling is not None and phase == PHASES[0] and role == LABELLING_ROLE:
                fte = annotator_fte(labelling, months)
            if fte <= 0 or months <= 0:
                continue
            phase_total += fte
            if role in ENGINEERING_ROLES:
                engineering += fte
            fte_months = fte * months
            rows.append(
                TeamRow(
                    phase=phase,
                    role=role,
                    fte=fte,
                    months=months,
                    fte_months=fte_months,
                    cost_usd=fte_months * rules.cost_usd_per_fte_month(role),
                )
            )
        fte_by_phase.append((phase, phase_total))
        peak_engineering = max(peak_engineering, engineering)
    if peak_engineering <= rules.small_team_max_fte:
        size = "small"
    elif peak_engineering < rules.large_team_min_fte:
        size = "mid-sized"
    else:
        size = "large"
    total_cost = sum(r.cost_usd for r in rows)
    assumptions = (
        "FTE figures are rules of thumb for a moderately complex model served online with light labelling, "
        "scaled by the project's size inputs; they are not measured and should be edited.",
        "Loaded cost = BLS May 2024 median pay x 1.42 (BLS ECEC, September 2024: total compensation / wages); "
        "annotator and domain-expert rates are assumptions.",
        "Phases run one after another; monitoring covers the first months of operation only.",
    )
    return TeamPlan(
        rows=tuple(rows),
        fte_by_phase=tuple(fte_by_phase),
        total_fte_months=sum(r.fte_months for r in rows),
        total_cost_usd=total_cost,
        peak_fte=max(total for _, total in fte_by_phase),
        peak_engineering_fte=peak_engineering,
        team_size=size,
        tooling_note=_tooling_note(size, peak_engineering),
        assumptions=assumptions,
    )


def describe_team(plan: TeamPlan) -> str:
    """One sentence: FTE-months, cost and the busiest phase's head count."""
    return (
        f"{plan.total_fte_months:,.1f} FTE-months costing about {format_usd(plan.total_cost_usd)}, "
        f"at most {plan.peak_fte:.1f} FTE at once."
    )
