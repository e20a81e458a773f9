"""The grocery chain of issue #12: three candidates weighed by two raters, each with a plan of its own.

- Detect empty shelves from store cameras: pursue with deep learning (the decision candidate). Its plan
  serves YOLOv8m on an L4 for 200 stores, trains on the same device, labels 50,000 images in house and
  plans the team.
- Forecast demand per store and product: scored highest, but gradient boosting fully meets the need, so
  the gate sends it to the simpler solution and it cannot be the top pick.
- Customer-service chatbot: pursue, ranked below the shelf detector. Its plan (Llama 3.1 8B on an H100,
  vLLM) is saved first and was chosen last, which is what used to leak into the overview.

The figures are round illustrative numbers for a chain of 200 stores, not quotes.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from core.metrics import BreakEvenInputs, MetricsSection
from core.metrics.chain import BusinessGoal, BusinessMetric, Label, MetricChain
from core.metrics.templates import model_metric_from_template
from core.ratings import split_ratings
from core.resources.labelling import LabellingInputs
from core.resources.plan import ResourcePlan, ResourcesSection, TrainingInputs
from core.resources.serving import ServingDemand
from core.resources.team import TeamInputs
from core.worthiness import Alternative, Candidate, WorthinessSection
from core.worthiness.model import RaterScores, Scores

NAME = "Grocery chain: shelves, demand, service"
SHELF, DEMAND, CHATBOT = "shelf-detection", "demand-forecast", "service-chatbot"
SHELF_PLAN, CHATBOT_PLAN = "Shelf detector on L4, 200 stores", "Chatbot on H100"
TODAY = date(2027, 1, 15)


def _worthiness() -> WorthinessSection:
    shelf = Candidate(
        id=SHELF,
        name="Detect empty shelves",
        problem="Spot empty or nearly empty shelf facings from the store cameras so staff refill them in time.",
        industry="retail & e-commerce",
        modality="image",
        data_availability="exists unlabelled",
        requirement="detect now",
        acceptable_error_rate=0.1,
        alternatives=(Alternative("manual process", "partly", 60_000.0, "staff walk the aisles twice a day"),),
    )
    demand = Candidate(
        id=DEMAND,
        name="Forecast demand per store",
        problem="Forecast next week's sales per store and product for ordering.",
        industry="retail & e-commerce",
        modality="tabular",
        data_availability="labelled",
        requirement="predict future",
        horizon="1 week",
        acceptable_error_rate=0.2,
        alternatives=(Alternative("classic ML", "fully", 30_000.0, "gradient boosting on sales history"),),
    )
    chatbot = Candidate(
        id=CHATBOT,
        name="Customer-service chatbot",
        problem="Answer customers' questions about orders, opening hours and products.",
        industry="retail & e-commerce",
        modality="text",
        data_availability="exists unlabelled",
        requirement="detect now",
        acceptable_error_rate=0.1,
        alternatives=(Alternative("off-the-shelf product or API", "partly", 5_000.0, "a hosted LLM API"),),
    )
    # Criterion order: impact, value, complexity, risk, cost, suitability.
    table = {
        "Architect": {SHELF: (4, 4, 3, 2, 3, 5), DEMAND: (5, 5, 2, 2, 2, 3), CHATBOT: (3, 3, 3, 3, 3, 4)},
        "Store operations lead": {SHELF: (5, 4, 3, 2, 3, 4), DEMAND: (5, 5, 2, 1, 2, 3), CHATBOT: (3, 3, 3, 3, 3, 4)},
    }
    keys = ("impact", "value", "complexity", "risk", "cost", "suitability")
    scores = RaterScores(
        {
            rater: {cid: Scores(**dict(zip(keys, values, strict=True))) for cid, values in rows.items()}
            for rater, rows in table.items()
        }
    )
    return WorthinessSection(candidates=(shelf, demand, chatbot), rater_scores=scores)


def _metrics() -> MetricsSection:
    chain = MetricChain(
        goals=(BusinessGoal("g1", "Fewer lost sales from empty shelves", True),),
        business_metrics=(
            BusinessMetric(
                id="m1",
                name="On-shelf availability",
                definition="Facings with stock at the hourly check divided by all facings.",
                unit="% of facings",
                direction="higher",
                baseline=91.0,
                target=96.0,
                deadline=date(2027, 9, 30),
                owner="Head of store operations",
                data_source="Hourly shelf audit",
                cadence="weekly",
                goal_ids=("g1",),
            ),
        ),
        model_metrics=(
            replace(
                model_metric_from_template("recall", (), drives=(("m1", "raises"),)),
                name="Recall of empty facings",
                minimum=0.80,
                target=0.90,
            ),
            replace(
                model_metric_from_template("precision", ("mm1",), drives=(("m1", "raises"),)),
                name="Precision of empty facings",
                minimum=0.80,
                target=0.90,
            ),
        ),
        label=Label("Facing empty at the camera frame", "Staff confirmation in the refill app", 0.1, "m1"),
    )
    # 200 stores x 12 cameras x a frame every 5 minutes x 14 h x 30 days ~ 12 M checks a month; 2 % empty.
    # A refill in time saves $1.50 of lost sales; a needless walk costs $0.40; baseline: staff rounds.
    break_even = BreakEvenInputs(
        value_true_positive_usd=1.50,
        cost_false_positive_usd=0.40,
        cost_false_negative_usd=0.0,
        prevalence=0.02,
        monthly_volume=12_000_000.0,
        monthly_running_cost_usd=5_000.0,
        baseline_precision=0.95,
        baseline_recall=0.30,
        baseline_name="staff rounds",
    )
    return MetricsSection(chains={SHELF: chain}, break_even={SHELF: break_even})


def _resources() -> ResourcesSection:
    chatbot = ResourcePlan(
        name=CHATBOT_PLAN,
        candidate_id=CHATBOT,
        model_key="llama-3.1-8b",
        mode="inference",
        precision="bf16",
        prompt_tokens=512,
        new_tokens=256,
        device_key="h100-sxm",
        engine="vllm",
        serving=ServingDemand(peak_requests_per_s=10.0, average_requests_per_s=3.0, latency_target_p95_s=10.0),
        team=TeamInputs(),
    )
    shelf = ResourcePlan(
        name=SHELF_PLAN,
        candidate_id=SHELF,
        model_key="yolov8m",
        mode="inference",
        precision="fp16",
        image_size=640,
        device_key="l4",
        serving=ServingDemand(peak_requests_per_s=20.0, average_requests_per_s=4.6, latency_target_p95_s=2.0),
        training=TrainingInputs(dataset_samples=50_000.0, epochs=100.0),
        labelling=LabellingInputs(items=50_000.0, seconds_per_item=36.0),
        team=TeamInputs(labelling="heavy", model_complexity="moderate", serving_scale="online"),
    )
    section = ResourcesSection(scenarios=(chatbot, shelf))
    return section.choose(SHELF_PLAN).choose(CHATBOT_PLAN)  # the chatbot's plan was chosen last


def grocery_project() -> tuple[str, dict[str, Any]]:
    """(name, sections), each rater's scores in a section of their own, as the store keeps them."""
    sections: dict[str, Any] = split_ratings(_worthiness())
    sections["metrics"] = _metrics().to_document()
    sections["resources"] = _resources().to_document()
    return NAME, sections
