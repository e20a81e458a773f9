"""The example project's metrics: the planning method's film and rain cases (docs/method.md, section 2).

Dates are fixed relative to `EXAMPLE_REFERENCE_DATE` (in 2027), so the example validates with no
errors for ever; once those dates pass, `validate_chain` only adds "deadline-past" warnings.
Money figures are illustrative round numbers for a nursery with 50 irrigation zones, not quotes.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

from core.metrics.break_even import BreakEvenInputs
from core.metrics.chain import BusinessGoal, BusinessMetric, Label, MetricChain, Milestone, ModelMetric
from core.metrics.document import MetricsSection
from core.metrics.templates import MODEL_METRIC_TEMPLATES

EXAMPLE_REFERENCE_DATE: Final = date(2027, 2, 1)
"""The example's "today": every example date is an offset from it."""

FILM_BACKGROUND: Final = "film-backgrounds"
RAIN_WATERING: Final = "rain-now-watering"
RAIN_FORECAST: Final = "rain-forecast-15min"


def _day(offset_days: int) -> date:
    return EXAMPLE_REFERENCE_DATE + timedelta(days=offset_days)


def _film_background_chain() -> MetricChain:
    """Verdict: simpler solution (green screen and chroma keying), so success is measured without a model."""
    return MetricChain(
        goals=(
            BusinessGoal("g1", "Film-makers trust every composite", False, "Every pixel must be right."),
            BusinessGoal("g2", "Cut post-production cost", True),
        ),
        business_metrics=(
            BusinessMetric(
                id="m1",
                name="Shots needing manual clean-up",
                definition="Composited shots sent back for hand rotoscoping divided by all composited shots.",
                unit="% of shots",
                direction="lower",
                baseline=12.0,
                target=4.0,
                deadline=_day(149),
                owner="Head of post-production",
                data_source="Shot-tracking system",
                cadence="weekly",
                goal_ids=("g1",),
            ),
            BusinessMetric(
                id="m2",
                name="Post-production cost per finished minute",
                definition="Compositing and clean-up cost of the month divided by finished minutes of film.",
                unit="USD per minute",
                direction="lower",
                baseline=1800.0,
                target=1500.0,
                deadline=_day(149),
                owner="Head of post-production",
                data_source="Finance ledger",
                cadence="monthly",
                goal_ids=("g2",),
            ),
        ),
        milestones=(
            Milestone("ms1", "pilot", _day(42), "One scene shot on the green-screen stage passes review as is."),
            Milestone("ms2", "launch", _day(89), "All new scenes with replaced backgrounds use the stage."),
        ),
        decision_deadline=_day(58),
    )


def _rain_watering_chain() -> MetricChain:
    """Verdict: simpler solution (a rain sensor wired to the irrigation controller); no model."""
    return MetricChain(
        goals=(BusinessGoal("g1", "Save water", True, "No watering while it rains."),),
        business_metrics=(
            BusinessMetric(
                id="m1",
                name="Waterings during rain",
                definition="Irrigation cycles that ran while the rain sensor reported rain.",
                unit="cycles per month",
                direction="lower",
                baseline=14.0,
                target=1.0,
                deadline=_day(120),
                owner="Grounds maintenance manager",
                data_source="Irrigation controller log",
                cadence="monthly",
                goal_ids=("g1",),
            ),
        ),
        milestones=(Milestone("ms1", "launch", _day(28), "Sensor wired to the controller in all 50 zones."),),
    )


def _rain_forecast_chain() -> MetricChain:
    """Verdict: deep learning. Forecast rain 15 minutes ahead so that watering is skipped before rain.

    Recall saves water (more rain caught, fewer needless cycles); precision protects the plants
    (fewer cycles skipped for rain that never comes).
    """
    recall = MODEL_METRIC_TEMPLATES["recall"]
    precision = MODEL_METRIC_TEMPLATES["precision"]
    return MetricChain(
        goals=(
            BusinessGoal("g1", "Healthy plants", False, "Plants neither dry out nor drown."),
            BusinessGoal("g2", "Save water", True, "Read from the irrigation water meter."),
        ),
        business_metrics=(
            BusinessMetric(
                id="m1",
                name="Water use per week",
                definition="Litres used for irrigation in the week, from the water meter.",
                unit="litres per week",
                direction="lower",
                baseline=42_000.0,
                target=34_000.0,
                deadline=_day(241),
                owner="Grounds maintenance manager",
                data_source="Irrigation water meter",
                cadence="weekly",
                goal_ids=("g2",),
            ),
            BusinessMetric(
                id="m2",
                name="Beds in good condition",
                definition="Beds rated good in the weekly inspection divided by all beds.",
                unit="% of beds",
                direction="higher",
                baseline=88.0,
                target=92.0,
                deadline=_day(241),
                owner="Head gardener",
                data_source="Weekly bed inspection checklist",
                cadence="weekly",
                goal_ids=("g1",),
            ),
        ),
        model_metrics=(
            ModelMetric(
                id="mm1",
                name="Recall of rain within 15 minutes",
                minimum=0.80,
                target=0.90,
                drives=(("m1", "lowers"),),
                direction=recall.direction,
                unit=recall.unit,
                definition=recall.definition,
                value_min=recall.value_min,
                value_max=recall.value_max,
            ),
            ModelMetric(
                id="mm2",
                name="Precision of rain within 15 minutes",
                minimum=0.75,
                target=0.85,
                drives=(("m2", "raises"),),
                direction=precision.direction,
                unit=precision.unit,
                definition=precision.definition,
                value_min=precision.value_min,
                value_max=precision.value_max,
            ),
        ),
        label=Label(
            what="Rain observed at the site within 15 minutes after the prediction",
            source="Tipping-bucket rain gauge on site, logged every minute and collected daily",
            observable_after_days=1.0,
            attributed_to="m1",
        ),
        milestones=(
            Milestone("ms1", "pilot", _day(59), "Recall >= 0.80 and precision >= 0.75 over 4 weeks in 5 zones."),
            Milestone(
                "ms2",
                "A/B test",
                _day(91),
                "Forecast-watered zones use 15 % less water than control zones with no drop in bed condition.",
            ),
            Milestone("ms3", "launch", _day(150), "All 50 zones water by the forecast."),
        ),
        decision_deadline=_day(134),
    )


def _rain_forecast_break_even() -> BreakEvenInputs:
    """50 zones x 4 watering slots a day x 30 days = 6,000 predictions a month; rain follows 8 % of slots.

    A true positive skips a needless cycle (USD 12 of water and pumping); a false positive skips a
    needed one (USD 20: hand watering and plant stress); a miss only forgoes the saving (c_fn = 0).
    The baseline is the public weather-service forecast at 70 % precision and 50 % recall.
    """
    return BreakEvenInputs(
        value_true_positive_usd=12.0,
        cost_false_positive_usd=20.0,
        cost_false_negative_usd=0.0,
        prevalence=0.08,
        monthly_volume=6_000.0,
        monthly_running_cost_usd=200.0,
        baseline_precision=0.70,
        baseline_recall=0.50,
        baseline_name="the weather-service forecast",
    )


def example_metrics() -> MetricsSection:
    """The example project's metrics section; validates with no errors as of `EXAMPLE_REFERENCE_DATE`."""
    return MetricsSection(
        chains={
            FILM_BACKGROUND: _film_background_chain(),
            RAIN_WATERING: _rain_watering_chain(),
            RAIN_FORECAST: _rain_forecast_chain(),
        },
        break_even={RAIN_FORECAST: _rain_forecast_break_even()},
    )
