"""The metric tree as Graphviz DOT source: goals -> business metrics -> model metrics -> label.

The page renders it with `st.graphviz_chart`, which lays it out in the browser (no system
binary). All user text is treated as hostile: it only ever appears inside double-quoted DOT
strings, escaped by `dot_quote`.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.metrics._checks import format_figure
from core.metrics.chain import MetricChain
from core.metrics.validation import Issue

NODE_MAX_CHARS = 80
"""Longest name shown in a node; the full text stays in the table on the page."""

# Fill / border colours by worst severity (Bootstrap's alert palette: readable in light and dark themes).
_STYLE_BY_SEVERITY = {
    "error": ('"#f8d7da"', '"#b02a37"'),
    "warning": ('"#fff3cd"', '"#997404"'),
    None: ('"#ffffff"', '"#6c757d"'),
}

_SHAPE_BY_PART = {"goals": "ellipse", "metrics": "box", "model_metrics": "box", "label": "note"}


def dot_quote(text: str) -> str:
    """`text` as a double-quoted DOT string that renders literally.

    In a quoted DOT string `"` ends the string unless escaped, and in labels a backslash starts an
    escape (\\n, \\l, \\N, \\G, ...), so both are escaped. Line breaks become DOT's centred break
    "\\n"; other control characters are dropped. `<` and `>` need no escaping here because a quoted
    string is never parsed as an HTML-like label (those are written `<...>`, without quotes).
    """
    pieces: list[str] = []
    for char in text.replace("\r\n", "\n").replace("\r", "\n"):
        if char == "\\":
            pieces.append("\\\\")
        elif char == '"':
            pieces.append('\\"')
        elif char == "\n":
            pieces.append("\\n")
        elif char == "\t":
            pieces.append(" ")
        elif ord(char) < 32 or ord(char) == 127:
            continue
        else:
            pieces.append(char)
    return '"' + "".join(pieces) + '"'


def _shorten(text: str) -> str:
    text = text.strip()
    return text if len(text) <= NODE_MAX_CHARS else text[: NODE_MAX_CHARS - 3] + "..."


def _number(value: float | None) -> str:
    return "?" if value is None else format_figure(value)


def _worst_severity(issues: Iterable[Issue]) -> dict[tuple[str, str], str]:
    """(part, element id) -> "error" | "warning"; "label" issues map to ("label", "")."""
    worst: dict[tuple[str, str], str] = {}
    for issue in issues:
        parts = issue.field.split(".")
        key = ("label", "") if parts[0] == "label" else (parts[0], parts[1] if len(parts) > 1 else "")
        if worst.get(key) != "error":
            worst[key] = issue.severity
    return worst


def metric_tree_dot(chain: MetricChain, issues: Iterable[Issue] = ()) -> str:
    """DOT source of the chain's tree; nodes named by an issue's field path are coloured by severity.

    Edges: goal -> each business metric that proves it, business metric -> each model metric that
    drives it, model metric -> label, and a dashed "attributed to" edge from the label back to its
    business metric (constraint=false, so it does not disturb the left-to-right ranks).
    """
    worst = _worst_severity(issues)
    lines = [
        "digraph metric_tree {",
        "  rankdir=LR;",
        '  node [fontname="Helvetica", fontsize=11, style="filled,rounded"];',
        '  edge [color="#6c757d"];',
    ]

    def node(part: str, element_id: str, node_id: str, text: str) -> None:
        fill, border = _STYLE_BY_SEVERITY[worst.get((part, element_id))]
        lines.append(
            f"  {dot_quote(node_id)} [label={dot_quote(text)}, shape={_SHAPE_BY_PART[part]}, "
            f"fillcolor={fill}, color={border}];"
        )

    def edge(source: str, target: str, extra: str = "") -> None:
        lines.append(f"  {dot_quote(source)} -> {dot_quote(target)}{extra};")

    for goal in chain.goals:
        kind = "tangible goal" if goal.tangible else "intangible goal"
        node("goals", goal.id, f"goal:{goal.id}", f"{_shorten(goal.name)}\n({kind})")
    for metric in chain.business_metrics:
        unit = f" {_shorten(metric.unit)}" if metric.unit.strip() else ""
        node(
            "metrics",
            metric.id,
            f"metric:{metric.id}",
            f"{_shorten(metric.name)}\n{_number(metric.baseline)} -> {_number(metric.target)}{unit}",
        )
    for model_metric in chain.model_metrics:
        node(
            "model_metrics",
            model_metric.id,
            f"model:{model_metric.id}",
            f"{_shorten(model_metric.name)}\nmin {_number(model_metric.minimum)}, "
            f"target {_number(model_metric.target)}",
        )
    if chain.label is not None:
        node("label", "", "label", f"Label: {_shorten(chain.label.what)}")

    goal_ids = {goal.id for goal in chain.goals}
    metric_ids = {metric.id for metric in chain.business_metrics}
    # Dangling links are reported by validate_chain; drawing them would invent nodes.
    for metric in chain.business_metrics:
        for goal_id in metric.goal_ids:
            if goal_id in goal_ids:
                edge(f"goal:{goal_id}", f"metric:{metric.id}")
    for model_metric in chain.model_metrics:
        for metric_id, effect in model_metric.drives:
            if metric_id in metric_ids:
                # The edge runs metric -> model metric, so it reads "water use, lowered by recall".
                passive = "raised by" if effect == "raises" else "lowered by"
                edge(f"metric:{metric_id}", f"model:{model_metric.id}", f" [label={dot_quote(passive)}]")
        if chain.label is not None:
            edge(f"model:{model_metric.id}", "label")
    if chain.label is not None and chain.label.attributed_to in metric_ids:
        edge(
            "label",
            f"metric:{chain.label.attributed_to}",
            ' [style=dashed, constraint=false, label="attributed to"]',
        )
    lines.append("}")
    return "\n".join(lines) + "\n"
