"""The /resources page's results: memory and fit, serving plan, training plan, buy versus cloud, team, trust.

Each ``render_*`` takes a ``PlanEvaluation`` (computed once per plan and cached)
and draws it: figures with units, tables with column_config formats, Altair charts.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from core.charts import memory_spec
from core.resources.costs import HOURS_PER_MONTH, cost_by_utilisation, cumulative_cost_by_month
from core.resources.evaluate import PlanEvaluation
from core.resources.published import accuracy_for
from core.resources.team import PHASES, ROLES, TeamPlan, describe_team
from core.resources.total import ProjectCost
from core.resources.training import NO_PRICE_SENTENCE, SECONDS_PER_DAY, TrainingEstimate, describe_training
from core.text import format_bytes, format_usd
from ui.text import escape_markdown
from views.resources import state as rs
from views.resources.charts import lines_spec

GB = 1e9
UNITS_NOTE = "GB = 10⁹ bytes, as device makers print memory; 1 GiB = 2³⁰ bytes = 1.074 GB."


def _gb(value: float | None) -> float | None:
    return None if value is None else value / GB


def _usd_column(label: str, help: str) -> Any:
    return st.column_config.NumberColumn(label, format="$%,.0f", help=help)


# --- memory and fit -----------------------------------------------------------------------------


def render_memory(evaluation: PlanEvaluation) -> None:
    memory = evaluation.memory
    device = evaluation.device
    per_device = evaluation.memory_per_device_bytes
    c1, c2, c3, c4 = st.columns(4)
    capacity = f" of {device.memory_bytes / GB:,.1f} GB" if device is not None else ""
    c1.metric(
        "Memory per device",
        format_bytes(per_device),
        help="Peak tensors + allocator slack + CUDA context, per device. " + UNITS_NOTE,
    )
    c1.caption(f"{format_bytes(per_device)}{capacity} · {per_device / 2**30:,.3g} GiB")
    fit = evaluation.fit
    if fit is None:
        c2.metric("Fits?", "—", help="Choose a device to check.")
    else:
        c2.metric(
            "Fits?",
            fit.fit,
            help="The margin between what the device reports and what the stack needs; 'tight' when it is within "
            "the estimate's own uncertainty (5 % of the bytes) of the limit. For the serving engines the margin is "
            "the KV pool left after the batch's sequences.",
        )
        c2.caption(f"margin {fit.margin_bytes / GB:+,.1f} GB (± {fit.uncertainty_bytes / GB:,.1f} GB)")
    c3.metric("Layout", f"{evaluation.plan.devices} device(s)", help="How the devices share the model.")
    c3.caption(escape_markdown(evaluation.layout.name))
    speed = evaluation.throughput
    if speed is not None:
        c4.metric(
            f"Expected {speed.unit}",
            f"{speed.expected:,.0f}",
            help=f"Roofline estimate, band {speed.low:,.0f} – {speed.high:,.0f} {speed.unit}; "
            f"{speed.regime}. Utilisation assumptions are listed under Trust.",
        )
        c4.caption(f"{speed.low:,.0f} – {speed.high:,.0f} · {speed.regime}")
    else:
        c4.metric(
            "Expected throughput", "—", help=escape_markdown(evaluation.problems.get("speed", "Choose a device."))
        )
    if fit is not None and fit.fit != "fits" and device is not None:
        message = (
            f"{escape_markdown(device.model)} reports {device.memory_bytes / GB:,.1f} GB; "
            f"{escape_markdown(fit.advice())}"
        )
        if fit.fit == "tight":
            st.info(message, icon=":material/straighten:")
        else:
            st.warning(message + " The fit table lists devices it fits on.", icon=":material/inventory_2:")
    if fit is not None and fit.engine is not None:
        engine = fit.engine
        st.caption(
            f"KV pool {engine.kv_pool_bytes / GB:,.1f} GB per device: {engine.max_concurrent_sequences:,} sequences "
            f"of {engine.kv_per_sequence_bytes / 1e6:,.0f} MB (prompt + new tokens) can run at once; the batch of "
            f"{evaluation.workload.batch:,} needs {engine.kv_needed_bytes / GB:,.1f} GB of it."
        )
    st.vega_lite_chart(
        memory_spec(
            evaluation.memory_breakdown_bytes,
            evaluation.device_memory_bytes,
            device.model if device is not None else "device",
        ),
        width="stretch",
    )
    if fit is not None and fit.engine is not None:
        st.caption(
            f"Stack {escape_markdown(evaluation.plan.engine)}: weights + the workspace of one profiled forward pass "
            f"+ the KV pool it reserves + the CUDA context. {UNITS_NOTE}"
        )
    else:
        st.caption(
            f"Peak phase: {memory.peak_phase}. Tensors at the peak {evaluation.peak_tensor_bytes / GB:,.2f} GB "
            f"(comparable with torch.cuda.max_memory_allocated) + allocator slack + runtime context. {UNITS_NOTE}"
        )
    st.subheader("Fit on every accelerator")
    st.caption(
        "One row per device in the catalogue: fits on one? the fewest devices that hold the workload and "
        "their layout (data parallel / ZeRO, then tensor, then pipeline), memory per device, price of those "
        "devices per hour and expected throughput. Click a column to sort."
    )
    chosen = device.key if device is not None else None
    rows = [
        {
            "Chosen": row.accelerator == chosen,
            "Device": row.model,
            "Vendor": row.vendor,
            "Kind": row.kind.upper(),
            "Memory (GB)": _gb(row.memory_bytes),
            "Fits on one": row.fits_on_one,
            "Min devices": row.min_devices,
            "Layout": row.layout or "does not fit",
            "Per device (GB)": _gb(row.per_device_bytes),
            "$/hour (min devices)": row.price_usd_per_hour,
            "Expected throughput": row.throughput_expected,
            "Unit": row.throughput_unit,
            "Key": row.accelerator,
        }
        for row in evaluation.fit_rows
    ]
    rows.sort(key=lambda r: not r["Chosen"])
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        width="stretch",
        height=360,
        key="res_fit_table",
        column_config={
            "Chosen": st.column_config.CheckboxColumn("Chosen", help="The device chosen above."),
            "Memory (GB)": st.column_config.NumberColumn("Memory (GB)", format="%.0f", help=UNITS_NOTE),
            "Per device (GB)": st.column_config.NumberColumn(
                "Per device (GB)", format="%.1f", help="Estimated memory per device with the fewest devices."
            ),
            "$/hour (min devices)": st.column_config.NumberColumn(
                "$/hour (min devices)", format="$%.2f", help="On-demand cloud price x the fewest devices."
            ),
            "Expected throughput": st.column_config.NumberColumn(
                "Expected throughput", format="%,.0f", help="On the fewest devices; unit in the next column."
            ),
        },
    )


# --- serving -------------------------------------------------------------------------------------


def _render_sites(evaluation: PlanEvaluation) -> None:
    if "sites" in evaluation.problems:
        st.warning(escape_markdown(evaluation.problems["sites"]), icon=":material/warning:")
    sites = evaluation.sites
    if sites is None:
        return
    st.markdown("**Devices at the sites**")
    c1, c2, c3 = st.columns(3)
    c1.metric("Devices", f"{sites.devices:,}", help="Sites x devices per site.")
    c2.metric("Purchase (one-off)", format_usd(sites.capital_usd), help="Devices x price per device.")
    c3.metric(
        "Power per month",
        format_usd(sites.power_usd_per_month),
        help=f"Owning them, purchase spread over the amortisation period included: {format_usd(sites.monthly_usd)}.",
    )
    st.caption(" ".join(escape_markdown(line) for line in sites.assumptions))


def render_serving(evaluation: PlanEvaluation) -> None:
    _render_sites(evaluation)
    serving = evaluation.serving
    if serving is None:
        if "serving" in evaluation.problems:
            st.error(escape_markdown(evaluation.problems["serving"]), icon=":material/warning:")
        return
    demand = serving.demand
    st.caption(f"Each request sample: {serving.request_shape}.")
    recommendation = serving.recommendation
    if recommendation is not None:
        show = st.success if recommendation.chosen is not None else st.warning
        show(
            "\n".join(f"- {escape_markdown(reason)}" for reason in recommendation.reasons),
            icon=":material/check_circle:",
        )
        (st.info if recommendation.cpu_is_enough else st.caption)(escape_markdown(recommendation.cpu_sentence))
    chosen = serving.chosen
    if chosen is not None and chosen.plan is not None:
        plan = chosen.plan
        st.markdown(
            f"**On the chosen device, {escape_markdown(chosen.model)}** "
            f"({chosen.devices_per_replica} device(s) per replica, {escape_markdown(chosen.layout or '')})"
        )
        c1, c2, c3, c4 = st.columns(4)
        c1.metric(
            "p95 latency",
            f"{plan.latency_p95_s:,.3g} s",
            help=f"Target {demand.latency_target_p95_s:g} s. Batch fill wait + the batch's service time.",
        )
        c2.metric(
            "Replicas at peak",
            f"{plan.replicas_at_peak:,}" + (f" ({plan.cores_at_peak} cores)" if plan.cores_at_peak else ""),
            help="ceil(peak rate x (1 + headroom) / requests per second per replica). A CPU that needs less than "
            "one socket is priced by the cores it uses (see the assumptions).",
        )
        cost_peak = format_usd(plan.monthly_cost_at_peak_usd) if chosen.priced else "no price"
        cost_average = format_usd(plan.monthly_cost_at_average_usd) if chosen.priced else "no price"
        c3.metric(
            "Monthly cost at peak", cost_peak, help=f"Replicas at peak x price per hour x {HOURS_PER_MONTH:.0f} h."
        )
        c4.metric("Monthly cost at average", cost_average, help="Replicas scaled down to the average rate.")
        (st.success if plan.meets_target else st.error)(escape_markdown(plan.reason))
        st.markdown(
            f"**Little's law** (L = λ × W): {demand.peak_requests_per_s:,.4g} requests/s × "
            f"{plan.latency_p95_s:,.3g} s = **{plan.requests_in_flight_at_peak:,.3g} requests in flight** at peak, "
            f"served by {plan.replicas_at_peak:,} replica(s) of batch {plan.batch_size}."
        )
        for warning in plan.warnings:
            st.warning(escape_markdown(warning), icon=":material/warning:")
    elif "serving" in evaluation.problems:
        st.error(escape_markdown(evaluation.problems["serving"]), icon=":material/warning:")
    st.subheader("Every device, CPUs included")
    rows = []
    for option in serving.options:
        option_plan = option.plan
        priced_plan = option_plan if option.priced else None
        rows.append(
            {
                "Chosen": chosen is not None and option.accelerator == chosen.accelerator,
                "Device": option.model,
                "Kind": option.kind.upper(),
                "Devices per replica": option.devices_per_replica,
                "Batch": option_plan.batch_size if option_plan else None,
                "p95 latency (s)": option_plan.latency_p95_s if option_plan else None,
                "Meets target": option_plan.meets_target if option_plan else False,
                "Requests/s per replica": option_plan.throughput_requests_per_s if option_plan else None,
                "Replicas at peak": option_plan.replicas_at_peak if option_plan else None,
                "Replicas at average": option_plan.replicas_at_average if option_plan else None,
                "Monthly cost, average": priced_plan.monthly_cost_at_average_usd if priced_plan else None,
                "Monthly cost, peak": priced_plan.monthly_cost_at_peak_usd if priced_plan else None,
                "Note": option.note,
                "Key": option.accelerator,
            }
        )
    rows.sort(key=lambda r: (not r["Meets target"], r["Monthly cost, peak"] is None, r["Monthly cost, peak"] or 0))
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        width="stretch",
        height=360,
        key="res_serving_table",
        column_config={
            "Chosen": st.column_config.CheckboxColumn("Chosen"),
            "p95 latency (s)": st.column_config.NumberColumn(
                "p95 latency (s)", format="%.3g", help="Batch fill wait + service time of the batch."
            ),
            "Requests/s per replica": st.column_config.NumberColumn(
                "Requests/s per replica", format="%.3g", help="Within the latency target, at the chosen batch."
            ),
            "Monthly cost, average": _usd_column(
                "Monthly cost, average", "Replicas at the average rate x price x 730 h (USD)."
            ),
            "Monthly cost, peak": _usd_column(
                "Monthly cost, peak", "Replicas at peak all month x price x 730 h (USD)."
            ),
        },
    )
    st.caption(
        "Sorted: devices that meet the target first, cheapest first. "
        + escape_markdown(" ".join(serving.assumptions[:2]))
    )


# --- training -------------------------------------------------------------------------------------


def render_training(evaluation: PlanEvaluation) -> None:
    training = evaluation.training
    if training is None:
        if "training" in evaluation.problems:
            st.error(escape_markdown(evaluation.problems["training"]), icon=":material/warning:")
        return
    estimate = training.estimate
    wall = estimate.wall_time_s
    st.markdown(escape_markdown(describe_training(estimate)))
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(
        "Total compute (FLOPs)",
        f"{estimate.total_flops:.3g}",
        help=f"{estimate.flops_per_unit:.3g} FLOPs per {estimate.unit} x data x epochs.",
    )
    c2.metric(
        "Wall time, expected",
        f"{wall.expected / SECONDS_PER_DAY:,.2f} days",
        help="FLOPs / (devices x dense peak x MFU x scaling efficiency).",
    )
    c2.caption(f"{wall.low / SECONDS_PER_DAY:,.2f} – {wall.high / SECONDS_PER_DAY:,.2f} days")
    c3.metric(
        "Device-hours, expected",
        f"{estimate.device_hours.expected:,.0f} h",
        help="Wall time x devices (GPU-hours for GPUs).",
    )
    on_demand = estimate.on_demand_usd
    c4.metric(
        "Cost on-demand, expected",
        format_usd(on_demand) if on_demand is not None else "no price",
        help="Device-hours x on-demand price per device-hour."
        + ("" if on_demand is not None else " This device has no price: enter one in the form above."),
    )
    device = training.device or evaluation.device
    st.caption(
        f"{estimate.devices:,} x {escape_markdown(device.model if device else '')} at "
        f"a dense {training.peak_dtype} peak of {training.peak_tflops:,.4g} TFLOP/s each; scaling efficiency "
        f"{estimate.scaling_efficiency:.0%}."
    )
    fit = training.fit
    if fit is not None and fit.fit != "fits":
        st.warning(
            escape_markdown(
                f"The training step needs {fit.required_bytes / GB:,.1f} GB per device and "
                f"{device.model if device else 'the device'} holds {fit.capacity_bytes / GB:,.1f} GB "
                f"({fit.fit}): {fit.advice()} The time above assumes it runs."
            ),
            icon=":material/memory:",
        )
    if not estimate.priced:
        st.info(escape_markdown(NO_PRICE_SENTENCE), icon=":material/sell:")
    else:
        _render_training_costs(estimate)
    left, right = st.columns(2)
    left.vega_lite_chart(
        lines_spec(
            training.curve,
            "devices",
            {"wall_time_days_expected": "expected"},
            title="Wall time against devices (band: MFU high to low)",
            x_title="Devices",
            y_title="Wall time (days)",
            x_log=True,
            y_log=True,
            y_format=",.2f",
            band=("wall_time_days_low", "wall_time_days_high"),
        ),
        width="stretch",
        height=260,
    )
    if estimate.priced:
        right.vega_lite_chart(
            lines_spec(
                training.curve,
                "devices",
                {"cost_usd_on_demand": "on-demand", "cost_usd_spot": "spot", "cost_usd_reserved": "reserved"},
                title="Cost against devices (rises with communication losses)",
                x_title="Devices",
                y_title="Cost (USD, expected MFU)",
                x_log=True,
                y_format="$,.0f",
            ),
            width="stretch",
            height=260,
        )


def _render_training_costs(estimate: TrainingEstimate) -> None:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Pricing": row.option,
                    "USD per device-hour": row.usd_per_device_hour,
                    "Cost, low": row.cost_usd.low,
                    "Cost, expected": row.cost_usd.expected,
                    "Cost, high": row.cost_usd.high,
                }
                for row in estimate.costs
            ]
        ),
        hide_index=True,
        key="res_training_costs",
        column_config={
            "USD per device-hour": st.column_config.NumberColumn("USD per device-hour", format="$%.2f"),
            "Cost, low": _usd_column("Cost, low", "At the high end of the MFU band (USD)."),
            "Cost, expected": _usd_column("Cost, expected", "At the expected MFU (USD)."),
            "Cost, high": _usd_column("Cost, high", "At the low end of the MFU band (USD)."),
        },
    )


# --- buy versus cloud -------------------------------------------------------------------------------


def render_buy(evaluation: PlanEvaluation) -> None:
    result = evaluation.buy_vs_cloud
    inputs = evaluation.plan.buy_vs_cloud
    if result is None or inputs is None:
        return
    st.markdown(escape_markdown(result.summary))
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(
        "Owning per month",
        format_usd(result.owning_usd_per_month),
        help="Purchase / (years x 12) + electricity + hosting.",
    )
    c2.metric(
        "Cloud per month", format_usd(result.cloud_usd_per_month), help="Devices x cloud price x 730 h x utilisation."
    )
    c3.metric(
        "Break-even utilisation",
        f"{result.break_even_utilisation:.0%}" if result.break_even_utilisation is not None else "never",
        help="u* = fixed monthly cost / (cloud at 100 % - extra power of busy hours).",
    )
    c4.metric(
        "Break-even",
        f"{result.break_even_months:,.1f} months" if result.break_even_months is not None else "never",
        help="Purchase / (cloud bill - running cost of owning), at the stated utilisation.",
    )
    left, right = st.columns(2)
    left.vega_lite_chart(
        lines_spec(
            cost_by_utilisation(inputs),
            "utilisation",
            {"owning_usd_per_month": "own", "cloud_usd_per_month": "cloud"},
            title="Monthly cost against utilisation",
            x_title="Utilisation (share of hours busy)",
            y_title="USD per month",
            x_format=".0%",
            y_format="$,.0f",
        ),
        width="stretch",
        height=260,
    )
    right.vega_lite_chart(
        lines_spec(
            cumulative_cost_by_month(inputs),
            "month",
            {"owning_cumulative_usd": "own", "cloud_cumulative_usd": "cloud"},
            title="Cash spent over the amortisation period",
            x_title="Months",
            y_title="Cumulative cash (USD)",
            y_format="$,.0f",
        ),
        width="stretch",
        height=260,
    )


# --- team ----------------------------------------------------------------------------------------------


def render_team(evaluation: PlanEvaluation) -> None:
    team = evaluation.team
    if team is not None:
        _render_team_plan(evaluation, team)
    if evaluation.cost is not None:
        _render_total(evaluation.cost)


def _render_total(cost: ProjectCost) -> None:
    """The scenario in all: one-off and monthly lines of the sections it has."""
    st.markdown("**This scenario in all**")
    rows = [
        {"When": when, "Cost": line.label, "USD": line.usd, "How": line.note}
        for when, lines in (("one-off", cost.one_off), ("per month", cost.monthly))
        for line in lines
    ]
    if rows:
        st.dataframe(
            pd.DataFrame(rows),
            hide_index=True,
            width="stretch",
            key="res_total_table",
            column_config={"USD": _usd_column("USD", "One-off: paid once; per month: every month of operation.")},
        )
    c1, c2 = st.columns(2)
    c1.metric("One-off", format_usd(cost.one_off_usd), help="Training, data and labelling, building the model.")
    c2.metric("Per month", format_usd(cost.monthly_usd), help="Serving at the average rate and the team running it.")
    if cost.not_set_up:
        st.caption(
            f"Not counted, because the scenario does not set it up: {', '.join(cost.not_set_up)}. "
            "The overview sets the payback against the value the model adds (Success metrics)."
        )
    if cost.unpriced:
        st.caption(f"Not counted, because its device has no price: {', '.join(cost.unpriced)}.")


def _render_team_plan(evaluation: PlanEvaluation, team: TeamPlan) -> None:
    st.markdown(escape_markdown(describe_team(team)))
    matrix = {phase: dict.fromkeys(ROLES, 0.0) for phase in PHASES}
    for row in team.rows:
        matrix[row.phase][row.role] = row.fte
    frame = pd.DataFrame.from_dict(matrix, orient="index")
    frame["Months"] = [evaluation.plan.team.months(phase) if evaluation.plan.team else 0.0 for phase in PHASES]
    frame["Cost (USD)"] = [sum(r.cost_usd for r in team.rows if r.phase == phase) for phase in PHASES]
    st.dataframe(
        frame,
        width="stretch",
        key="res_team_table",
        column_config={
            **{
                role: st.column_config.NumberColumn(role, format="%.2f", help="FTE during the phase.") for role in ROLES
            },
            "Months": st.column_config.NumberColumn("Months", format="%.1f"),
            "Cost (USD)": _usd_column("Cost (USD)", "FTE x months x loaded cost per FTE-month."),
        },
    )
    c1, c2, c3 = st.columns(3)
    c1.metric("Total cost", format_usd(team.total_cost_usd), help="Sum of FTE-months x loaded cost per role.")
    c2.metric("FTE-months", f"{team.total_fte_months:,.1f}")
    c3.metric("Busiest phase", f"{team.peak_fte:,.1f} FTE", help=f"A {team.team_size} team.")
    st.info(escape_markdown(team.tooling_note), icon=":material/construction:")
    st.caption("These FTE figures come from rules of thumb (editable above), not measurements.")


# --- trust ------------------------------------------------------------------------------------------------


def _source_link(source: str) -> str:
    """The first URL of a source text (published_figures.csv writes 'URL (what of it)')."""
    return next((word for word in source.split() if word.startswith("http")), "")


def render_published(evaluation: PlanEvaluation | None) -> None:
    """How far the estimate was from published figures for the chosen stack and model family, with links."""
    engine = evaluation.plan.engine if evaluation is not None else "pytorch"
    family = evaluation.architecture.family if evaluation is not None else ""
    every = rs.published_accuracy()
    rows = accuracy_for(every, engine, family)
    if not rows:
        st.caption("The published-figures table (data/published_accuracy.csv) is missing.")
        return
    scope = [r for r in rows if r.engine == engine and r.family == family]
    what = f"stack {engine}, {family} models" if scope else (f"stack {engine}" if rows[0].engine == engine else "all")
    held = sum(r.holds for r in rows)
    st.markdown(f"**Against published figures ({escape_markdown(what)}): {held} of {len(rows)} hold**")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Figure": r.id,
                    "Kind": r.kind,
                    "Published": r.published if r.kind != "fit" else None,
                    "Unit": r.unit_or_field,
                    "Low": r.low,
                    "Expected": r.expected,
                    "High": r.high,
                    "Fit": r.fit or None,
                    "Off by (%)": r.error_pct,
                    "Holds": r.holds,
                    "Why not": r.reason or None,
                    "Source": _source_link(r.source),
                }
                for r in rows
            ]
        ),
        hide_index=True,
        width="stretch",
        key="res_published_table",
        column_config={
            "Published": st.column_config.NumberColumn("Published", format="%,.4g"),
            "Low": st.column_config.NumberColumn("Low", format="%,.4g", help="The estimate's slow end."),
            "Expected": st.column_config.NumberColumn("Expected", format="%,.4g"),
            "High": st.column_config.NumberColumn("High", format="%,.4g", help="The estimate's fast end."),
            "Off by (%)": st.column_config.NumberColumn(
                "Off by (%)", format="%+.0f", help="(expected - published) / published."
            ),
            "Holds": st.column_config.CheckboxColumn(
                "Holds",
                help="Throughput inside the band (at most 3x wide); memory within the source's tolerance; fit "
                "answers right (ran there: not 'does not fit'; ran out of memory: 'does not fit').",
            ),
            "Source": st.column_config.LinkColumn("Source", help="Where the figure is published."),
        },
    )
    total = sum(r.holds for r in every)
    st.caption(
        f"All stacks: {total} of {len(every)} published figures hold (half of a larger set; the other half checks "
        "the estimator and is not shown). The bands are set per stack from the physics, not fitted to these rows."
    )


def render_trust(evaluation: PlanEvaluation | None) -> None:
    render_published(evaluation)
    st.markdown("**How far to trust the memory estimate: predicted against measured on an NVIDIA H200**")
    rows = rs.calibration()
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Case": row.case,
                    "Model": row.model,
                    "Predicted (GB)": row.predicted_bytes / GB,
                    "Measured (GB)": row.measured_bytes / GB,
                    "Error (%)": row.error_pct,
                    "Peak phase": row.peak_phase,
                }
                for row in rows
            ]
        ),
        hide_index=True,
        width="stretch",
        key="res_calibration_table",
        column_config={
            "Predicted (GB)": st.column_config.NumberColumn("Predicted (GB)", format="%.2f"),
            "Measured (GB)": st.column_config.NumberColumn(
                "Measured (GB)", format="%.2f", help="torch.cuda.max_memory_allocated, PyTorch 2.11 eager."
            ),
            "Error (%)": st.column_config.NumberColumn(
                "Error (%)", format="%+.1f", help="(predicted - measured) / measured."
            ),
        },
    )
    worst = max((abs(row.error_pct) for row in rows), default=0.0)
    st.caption(
        f"{len(rows)} measured cases; the largest error is {worst:.1f} %. {UNITS_NOTE} Speed is a roofline "
        "estimate with a low / expected / high band; its utilisation figures are listed below."
    )
    if evaluation is None:
        return
    st.markdown("**Assumptions behind every number on this page**")
    for group, lines in evaluation.assumption_groups.items():
        with st.expander(group.capitalize(), expanded=False):
            st.markdown("\n".join(f"- {escape_markdown(line)}" for line in lines))
