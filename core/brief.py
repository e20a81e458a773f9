"""The decision brief: what a planning meeting ends with, as Markdown and as a 1-3 page PDF.

Pure functions, bytes out. Both formats are built from the same ``Overview``
(core.decision) so the page, the Markdown and the PDF say the same thing.
Charts are Altair specifications (core.charts) rendered offline by vl-convert;
the PDF uses the system's DejaVu fonts when present so user text in Latin, Greek
or Cyrillic prints as typed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from pathlib import Path

import vl_convert
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from core.charts import memory_spec, quadrant_chart
from core.decision import Overview
from core.hosted.versus import ApiComparison
from core.references.catalogue import Reference
from core.references.evidence import markdown_link_target
from core.resources.total import joined
from core.text import escape_markdown, format_number, format_usd
from core.worthiness.view import quadrant_rows

DECISION_RULE = (
    "Decision rule: among scored candidates in weighted-sum order, the first whose verdict is 'pursue with deep "
    "learning' carries the project; if none, the first that should try a simpler solution first; otherwise the "
    "problem is not worth solving now."
)
QUADRANT_RULE = (
    "Value = mean of impact and value scores; feasibility = mean of (6 − complexity), (6 − risk), (6 − cost); "
    "quadrants split at 3."
)


@dataclass(frozen=True)
class BriefInputs:
    """Everything a brief shows beyond the overview: the chosen plan's memory terms and the estimator's assumptions."""

    project_name: str
    overview: Overview
    today: date
    memory_breakdown_bytes: Mapping[str, float] = field(default_factory=dict)
    device_memory_bytes: float | None = None
    device_name: str = "device"
    assumptions: Sequence[str] = ()
    api_comparison: ApiComparison | None = None  # the chosen scenario against its hosted model (core.hosted)


def _approach(reference: Reference) -> str:
    """The reference's approach for the brief, or what the source leaves unsaid."""
    return reference.approach.rstrip(". ") or "not named in the source"


def _outcome(reference: Reference) -> str:
    return reference.outcome.rstrip(". ") or "no figure published"


def _candidate_rows(overview: Overview) -> list[list[str]]:
    evaluation = overview.evaluation
    if evaluation is None or evaluation.weighted_sum is None:
        return []
    topsis = {e.candidate_id: e.rank for e in evaluation.topsis.entries} if evaluation.topsis else {}
    rows = []
    for entry in sorted(evaluation.weighted_sum.entries, key=lambda e: e.rank):
        cid = entry.candidate_id
        verdict = evaluation.verdicts.get(cid)
        quadrant = evaluation.quadrants.get(cid)
        rows.append(
            [
                str(entry.rank),
                evaluation.names[cid],
                f"{entry.score:.2f}",
                str(topsis.get(cid, "—")),
                quadrant.quadrant if quadrant else "—",
                verdict.label if verdict else "—",
            ]
        )
    return rows


CANDIDATE_HEADER = ["Rank", "Candidate", "Weighted sum", "TOPSIS rank", "Quadrant", "Verdict"]


def _chain_lines(overview: Overview) -> list[str]:
    chain = overview.chain
    if chain is None:
        return ["No metric chain yet for this candidate."]
    lines = [f"Goal: {g.name} ({'tangible' if g.tangible else 'intangible'})" for g in chain.goals]
    for m in chain.business_metrics:
        deadline = m.deadline.isoformat() if m.deadline else "no deadline"
        lines.append(
            f"Business metric: {m.name}: {format_number(m.baseline)} → {format_number(m.target)} {m.unit} "
            f"({m.direction} is better) by {deadline}, owner {m.owner or '—'}"
        )
    for mm in chain.model_metrics:
        lines.append(f"Model metric: {mm.name}: minimum {format_number(mm.minimum)}, target {format_number(mm.target)}")
    if chain.label is not None:
        lines.append(
            f"Label: {chain.label.what} (from {chain.label.source}, observable after "
            f"{chain.label.observable_after_days} days)"
        )
    for ms in chain.milestones:
        lines.append(f"Milestone: {ms.name} on {ms.date.isoformat()}: {ms.criterion}")
    return lines


def _resource_lines(overview: Overview) -> list[str]:
    plan = overview.plan
    if plan is None:
        return ["No resource scenario chosen yet."]
    model = plan.model_key or f"custom model of {format_number(plan.custom_params)} parameters"
    lines = [
        f"Scenario: {plan.name}",
        f"Model: {model}; workload {plan.mode}, precision {plan.precision}, batch {plan.batch}",
        f"Devices: {plan.devices} × {plan.device_key or 'unspecified'}",
    ]
    summary = overview.plan_summary
    if summary is not None:
        if summary.memory_bytes is not None:
            lines.append(f"Memory per device: {summary.memory_bytes / 1e9:,.1f} GB")
        if summary.monthly_serving_cost_usd is not None:
            lines.append(f"Monthly serving cost (peak): ${summary.monthly_serving_cost_usd:,.0f}")
        if summary.training_cost_usd is not None:
            lines.append(f"Training cost (on-demand): ${summary.training_cost_usd:,.0f}")
        if summary.latency_p95_s is not None:
            lines.append(f"p95 latency: {summary.latency_p95_s * 1000:,.0f} ms")
    if overview.team is not None:
        team = overview.team
        lines.append(
            f"Team: {team.peak_fte:.1f} FTE at peak, {team.total_fte_months:.0f} FTE-months, "
            f"${team.total_cost_usd:,.0f} ({team.tooling_note})"
        )
    return lines + total_lines(overview)


def total_lines(overview: Overview) -> list[str]:
    """The decision candidate's plan in all: one-off and monthly cost line by line, and the payback."""
    cost = overview.cost
    if cost is None:
        return []
    lines = [
        f"Project total, one-off: {format_usd(cost.one_off_usd)} ({joined(cost.one_off)})",
        f"Project total, monthly: {format_usd(cost.monthly_usd)} ({joined(cost.monthly)})",
    ]
    if cost.not_set_up:
        lines.append(f"Not in the total (not set up in the scenario): {', '.join(cost.not_set_up)}")
    if cost.unpriced:
        lines.append(f"Not in the total (its device has no price): {', '.join(cost.unpriced)}")
    if overview.payback_months is not None:
        lines.append(f"Payback: {overview.payback_months:,.1f} months ({overview.payback})")
    elif overview.payback:
        lines.append(f"Payback: none yet ({overview.payback})")
    return lines


RESOURCE_HEADING = "Resource plan (What will it take?)"


def api_lines(comparison: ApiComparison | None) -> list[str]:
    """Buy the model or host it, in the brief: which is cheaper at the planned volume and by how much,
    both monthly costs at average and at peak, and the break-even volume."""
    if comparison is None:
        return []
    at, peak = comparison.at_average, comparison.at_peak
    return [
        f"API or self-host: {comparison.verdict}",
        f"API ({comparison.model.label}): {format_usd(at.api_usd_per_month)} a month at the planned "
        f"{at.requests_per_month:,.0f} requests, {format_usd(peak.api_usd_per_month)} at the peak rate all month.",
        f"Self-hosting ({comparison.hosting_label}): {format_usd(at.self_hosting_usd_per_month)} a month "
        f"({at.replicas:,} replica(s) sized for the peak, plus the team share).",
        f"Break-even: {comparison.break_even_text}",
    ]


def _assumptions(inputs: BriefInputs) -> list[str]:
    api = tuple(inputs.api_comparison.assumptions) if inputs.api_comparison is not None else ()
    return [DECISION_RULE, QUADRANT_RULE, *inputs.assumptions, *api]


# ----------------------------------------------------------------------------------------------- Markdown


def brief_markdown(inputs: BriefInputs) -> str:
    """The brief as Markdown; user text is escaped so it pastes into a wiki exactly as typed."""
    o = inputs.overview
    esc = escape_markdown
    out = [
        f"# Decision brief: {esc(inputs.project_name)}",
        "",
        f"_Greenlight, {inputs.today.isoformat()}_",
        "",
        "## Decision",
        "",
        f"**{o.decision.capitalize()}**" + (f" for **{esc(o.candidate_name)}**" if o.candidate_name else ""),
        "",
        *[f"- {esc(reason)}" for reason in o.reasons],
        "",
        "## Planning steps",
        "",
        "| Step | State | Detail |",
        "| --- | --- | --- |",
        *[f"| {s.title} | {'done' if s.done else 'open'} | {esc(s.detail)} |" for s in o.steps],
        "",
        "## Key figures",
        "",
        *[f"- **{f.label}**: {esc(f.value)}" + (f" ({esc(f.note)})" if f.note else "") for f in o.figures],
        "",
        "## Candidates ranked",
        "",
    ]
    rows = _candidate_rows(o)
    if rows:
        out += ["| " + " | ".join(CANDIDATE_HEADER) + " |", "| " + " | ".join("---" for _ in CANDIDATE_HEADER) + " |"]
        out += ["| " + " | ".join(esc(cell) for cell in row) + " |" for row in rows]
        if o.evaluation is not None and o.evaluation.threshold_sentence:
            out += ["", esc(o.evaluation.threshold_sentence)]
    else:
        out.append("No scored candidates yet.")
    out += ["", "## Success metrics", "", *[f"- {esc(line)}" for line in _chain_lines(o)]]
    if o.break_even:
        out += [f"- Break-even: {esc(o.break_even)}"]
    out += ["", "## Reference projects", ""]
    if o.evidence:
        out += [
            f"- {esc(r.company)} ({r.year or 'n.d.'}): [{esc(r.title)}]({markdown_link_target(r.source_url)})"
            f" — {r.industry}, {r.task}. Approach: {esc(_approach(r))}. Outcome: {esc(_outcome(r))}."
            for r in o.evidence
        ]
    else:
        out.append("No reference projects attached yet.")
    out += ["", f"## {RESOURCE_HEADING}", "", *[f"- {esc(line)}" for line in _resource_lines(o)]]
    out += [f"- {esc(line)}" for line in api_lines(inputs.api_comparison)]
    if inputs.memory_breakdown_bytes:
        out += ["", "| Memory term | GB |", "| --- | ---: |"]
        out += [f"| {term} | {value / 1e9:,.2f} |" for term, value in inputs.memory_breakdown_bytes.items()]
    out += ["", "## Open problems", ""]
    out += [f"- {esc(p.text)}" for p in o.problems] or ["None."]
    out += ["", "## Assumptions", "", *[f"- {esc(a)}" for a in _assumptions(inputs)], ""]
    return "\n".join(out)


# ----------------------------------------------------------------------------------------------- PDF


# DejaVu Sans covers Latin, Greek and Cyrillic text. Debian ships it as fonts-dejavu-core (installed with
# chromium by `make test`, and listed in packages.txt for Community Cloud); without it the brief falls back
# to the PDF core font Helvetica and prints characters outside Latin-1 as "?".
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/TTF"), Path("/Library/Fonts"))


def _font_dir() -> Path | None:
    return next((folder for folder in FONT_DIRS if (folder / "DejaVuSans.ttf").exists()), None)


class _BriefPDF(FPDF):
    def __init__(self) -> None:
        super().__init__(format="A4")
        self.set_margins(15, 14, 15)
        self.set_auto_page_break(True, margin=14)
        folder = _font_dir()
        if folder is not None:
            self.add_font("Body", "", str(folder / "DejaVuSans.ttf"))
            self.add_font("Body", "B", str(folder / "DejaVuSans-Bold.ttf"))
            self.family = "Body"
            self.unicode = True
        else:  # pragma: no cover - depends on the machine's fonts
            self.family = "Helvetica"
            self.unicode = False

    def text_safe(self, text: str) -> str:
        return text if self.unicode else text.encode("latin-1", "replace").decode("latin-1")

    def heading(self, text: str, size: int = 13) -> None:
        self.set_font(self.family, "B", size)
        self.multi_cell(0, size * 0.55, self.text_safe(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def para(self, text: str, size: int = 9, bold: bool = False) -> None:
        self.set_font(self.family, "B" if bold else "", size)
        self.multi_cell(0, size * 0.5, self.text_safe(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def bullets(self, lines: Sequence[str], size: int = 9) -> None:
        for line in lines:
            self.para(f"• {line}", size)

    def grid(self, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int]) -> None:
        self.set_font(self.family, "", 8)
        with self.table(col_widths=tuple(widths), text_align="LEFT", line_height=4.2) as table:
            table.row([self.text_safe(h) for h in header])
            for row in rows:
                table.row([self.text_safe(cell) for cell in row])
        self.ln(2)

    def chart(self, spec: dict[str, object], width_mm: float) -> None:
        png = vl_convert.vegalite_to_png(spec, scale=2)
        self.image(BytesIO(png), w=width_mm)
        self.ln(2)


def brief_pdf(inputs: BriefInputs) -> bytes:
    """The brief as a PDF of 1-3 pages with the quadrant and memory charts."""
    o = inputs.overview
    pdf = _BriefPDF()
    pdf.set_title(f"Decision brief: {inputs.project_name}")
    pdf.set_creator("Greenlight")
    pdf.add_page()
    pdf.heading(f"Decision brief: {inputs.project_name}", 15)
    pdf.para(f"Greenlight, {inputs.today.isoformat()}", 8)
    pdf.ln(2)
    decision = o.decision.capitalize() + (f" — {o.candidate_name}" if o.candidate_name else "")
    pdf.heading(f"Decision: {decision}", 12)
    pdf.bullets(o.reasons)
    pdf.ln(1)
    pdf.grid(
        ["Step", "State", "Detail"], [[s.title, "done" if s.done else "open", s.detail] for s in o.steps], [45, 20, 115]
    )
    pdf.heading("Key figures", 11)
    pdf.grid(["Figure", "Value", "Note"], [[f.label, f.value, f.note] for f in o.figures], [40, 80, 60])

    pdf.heading("Candidates ranked", 11)
    rows = _candidate_rows(o)
    if rows:
        pdf.grid(CANDIDATE_HEADER, rows, [12, 58, 22, 20, 25, 43])
        if o.evaluation is not None:
            if o.evaluation.threshold_sentence:
                pdf.para(o.evaluation.threshold_sentence, 8)
            chart = quadrant_chart(quadrant_rows(o.evaluation)).properties(width=460, height=300)
            pdf.chart(chart.to_dict(), 125)
    else:
        pdf.para("No scored candidates yet.")

    pdf.heading("Success metrics", 11)
    pdf.bullets(_chain_lines(o), 8)
    if o.break_even:
        pdf.para(f"Break-even: {o.break_even}", 8, bold=True)
    pdf.ln(2)

    pdf.heading("Reference projects", 11)
    if o.evidence:
        for r in o.evidence:
            pdf.set_font(pdf.family, "", 8)
            pdf.multi_cell(
                0,
                4,
                pdf.text_safe(
                    f"• {r.company} ({r.year or 'n.d.'}): {r.title} — {r.source_url}\n"
                    f"   Approach: {_approach(r)}. Outcome: {_outcome(r)}."
                ),
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
                link=r.source_url,
            )
    else:
        pdf.para("No reference projects attached yet.", 8)
    pdf.ln(2)

    pdf.heading(RESOURCE_HEADING, 11)
    pdf.bullets(_resource_lines(o) + api_lines(inputs.api_comparison), 8)
    if inputs.memory_breakdown_bytes:
        spec = memory_spec(inputs.memory_breakdown_bytes, inputs.device_memory_bytes, inputs.device_name)
        spec.update(width=460, height=70)
        pdf.chart(spec, 150)

    pdf.heading("Open problems", 11)
    pdf.bullets([p.text for p in o.problems] or ["None."], 8)
    pdf.heading("Assumptions", 11)
    pdf.bullets(_assumptions(inputs), 7)
    return bytes(pdf.output())
