"""metric_tree_dot: structure, colouring and escaping of hostile user text."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.metrics import (
    BusinessGoal,
    BusinessMetric,
    Issue,
    Label,
    MetricChain,
    ModelMetric,
    dot_quote,
    metric_tree_dot,
    validate_chain,
)

# A DOT double-quoted string: anything but an unescaped quote, up to the closing quote.
QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


def chain_named(name: str) -> MetricChain:
    return MetricChain(
        goals=(BusinessGoal("g1", name, False),),
        business_metrics=(BusinessMetric("m1", name, unit=name, goal_ids=("g1",)),),
        model_metrics=(ModelMetric("mm1", name, drives=(("m1", "raises"),)),),
        label=Label(name, attributed_to="m1"),
    )


def outside_quotes(dot: str) -> str:
    return QUOTED.sub("Q", dot)


def node_line(dot: str, node_id: str) -> str:
    [line] = [line for line in dot.splitlines() if line.strip().startswith(f'"{node_id}" [')]
    return line


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", '"plain"'),
        ('say "hi"', r'"say \"hi\""'),
        ("back\\slash", r'"back\\slash"'),
        ("ends with \\", r'"ends with \\"'),
        ('\\"', r'"\\\""'),
        ("two\nlines", r'"two\nlines"'),
        ("win\r\nline", r'"win\nline"'),
        ("tab\there", '"tab here"'),
        ("bell\x07del\x7f", '"belldel"'),
        ("<b>bold</b> & co", '"<b>bold</b> & co"'),
        ("\\N \\G \\l", r'"\\N \\G \\l"'),
        ("", '""'),
    ],
)
def test_dot_quote_escapes_quotes_backslashes_and_newlines(text: str, expected: str) -> None:
    assert dot_quote(text) == expected


@given(st.text(max_size=60))
def test_dot_quote_always_yields_one_closed_string(text: str) -> None:
    quoted = dot_quote(text)
    assert QUOTED.fullmatch(quoted) is not None
    assert "\n" not in quoted and "\r" not in quoted


@pytest.mark.parametrize("hostile", ['"];evil[', '"]; evil [label="x', '\\"];evil[', "x\n}\ndigraph evil {", "<evil>"])
def test_hostile_name_cannot_break_out_of_its_label(hostile: str) -> None:
    dot = metric_tree_dot(chain_named(hostile))
    skeleton = outside_quotes(dot)
    assert "evil" not in skeleton
    # Four nodes, four edges, nothing else: the statement count is that of a harmless name.
    assert skeleton.count(";") == outside_quotes(metric_tree_dot(chain_named("harmless"))).count(";")
    assert "label=<" not in dot


def test_tree_has_goal_metric_model_label_edges() -> None:
    dot = metric_tree_dot(chain_named("n"))
    assert '"goal:g1" -> "metric:m1";' in dot
    assert '"metric:m1" -> "model:mm1" [label="raised by"];' in dot
    assert '"model:mm1" -> "label";' in dot
    assert '"label" -> "metric:m1" [style=dashed, constraint=false, label="attributed to"];' in dot
    assert dot.startswith("digraph metric_tree {") and dot.rstrip().endswith("}")


def test_dangling_links_draw_no_edges() -> None:
    chain = MetricChain(
        business_metrics=(BusinessMetric("m1", "Revenue", goal_ids=("g9",)),),
        model_metrics=(ModelMetric("mm1", "Recall", drives=(("m7", "lowers"),)),),
        label=Label("Purchase", attributed_to="m5"),
    )
    dot = metric_tree_dot(chain)
    assert "g9" not in dot and "m7" not in dot and "m5" not in dot
    assert '"model:mm1" -> "label";' in dot


def test_nodes_are_coloured_by_their_worst_issue() -> None:
    issues = [
        Issue("warning", "deadline-past", "...", "metrics.m1.deadline"),
        Issue("error", "metric-missing-field", "...", "metrics.m1.owner"),
        Issue("warning", "effect-against-direction", "...", "model_metrics.mm1.drives"),
        Issue("error", "label-unattributed", "...", "label.attributed_to"),
    ]
    dot = metric_tree_dot(chain_named("n"), issues)
    assert 'fillcolor="#f8d7da"' in node_line(dot, "metric:m1")
    assert 'fillcolor="#fff3cd"' in node_line(dot, "model:mm1")
    assert 'fillcolor="#f8d7da"' in node_line(dot, "label")
    assert 'fillcolor="#ffffff"' in node_line(dot, "goal:g1")


def test_validation_issues_colour_the_failing_goal() -> None:
    chain = replace(chain_named("n"), business_metrics=(BusinessMetric("m1", "Revenue"),))
    dot = metric_tree_dot(chain, validate_chain(chain, date(2027, 1, 1)))
    assert 'fillcolor="#f8d7da"' in node_line(dot, "goal:g1")


def test_issues_on_fields_without_nodes_are_ignored() -> None:
    issues = [
        Issue("warning", "deadline-past", "...", "decision_deadline"),
        Issue("error", "x", "...", "milestones.a.date"),
    ]
    assert metric_tree_dot(chain_named("n"), issues) == metric_tree_dot(chain_named("n"))


def test_long_names_are_shortened_in_nodes() -> None:
    dot = metric_tree_dot(chain_named("x" * 200))
    assert "x" * 77 + "..." in dot and "x" * 78 not in dot


def test_numbers_are_shown_readably() -> None:
    chain = MetricChain(business_metrics=(BusinessMetric("m1", "Water", unit="litres", baseline=42000.0, target=0.5),))
    assert "42,000 -> 0.5 litres" in metric_tree_dot(chain)
