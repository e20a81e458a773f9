"""The /references page's coverage view: entries per industry x ML task, zeros included."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from core.taxonomy import INDUSTRIES, ML_TASKS
from views.references.data import CatalogueView

EMPTY_COLOUR = "#fbe3e0"  # empty cells stand out from the blue scale: they are the gaps


def coverage_chart(cells: pd.DataFrame) -> alt.LayerChart:
    """Heatmap of ``cells`` (industry, task, count): blue by count, pale red where there is none."""
    top = max(int(cells["count"].max()), 1) if len(cells) else 1
    base = alt.Chart(cells).encode(
        x=alt.X(
            "task:N",
            title="ML task",
            sort=list(ML_TASKS),
            axis=alt.Axis(labelAngle=-40, labelLimit=180, labelOverlap=False, orient="top"),
        ),
        y=alt.Y("industry:N", title="Industry", sort=list(INDUSTRIES), axis=alt.Axis(labelLimit=200)),
        tooltip=[
            alt.Tooltip("industry:N", title="Industry"),
            alt.Tooltip("task:N", title="ML task"),
            alt.Tooltip("count:Q", title="References (entries)"),
        ],
    )
    rects = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.condition(
            "datum.count == 0",
            alt.value(EMPTY_COLOUR),
            alt.Color(
                "count:Q",
                title="References",
                scale=alt.Scale(type="sqrt", scheme="blues", domain=[0, top]),
            ),
        )
    )
    labels = base.mark_text(fontSize=11).encode(
        text=alt.Text("count:Q", format=","),
        color=alt.condition(f"datum.count > {top * 0.45:.0f}", alt.value("white"), alt.value("#333333")),
    )
    return (rects + labels).properties(height=34 * len(INDUSTRIES) + 40)


def render_coverage(view: CatalogueView) -> None:
    cells = view.coverage
    empty = int((cells["count"] == 0).sum())
    thin = int(((cells["count"] > 0) & (cells["count"] < 3)).sum())
    st.altair_chart(coverage_chart(cells), width="stretch", key="refs_coverage_chart")
    st.caption(
        f"Each cell counts the write-ups (entries) for one industry and ML task, your own references included: "
        f"{view.size:,} in all. {empty} of {len(cells)} cells are empty (pale red) and {thin} hold only one or two. "
        "Thin cells are gaps in public evidence, not proof that a use case fails there: look at neighbouring "
        "industries with the same task, and treat a project in a thin cell as less proven."
    )
