"""The /references page's search: free text plus filters in one form, ranked results, empty states."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from core.references import MAX_QUERY_CHARS, ScoredReference, tokenize
from core.references.approach import APPROACH_FAMILIES
from core.references.pivot import IndustryPivot, industry_pivot
from core.references.semantic import model_problem
from core.taxonomy import INDUSTRIES, ML_TASKS, MODALITIES
from ui.text import escape_markdown
from views.references.data import CatalogueView

RESULT_LIMIT = 100
QUERY_KEY = "refs_query"
FILTER_KEYS = {
    "industry": "refs_industry",
    "task": "refs_task",
    "modality": "refs_modality",
    "company": "refs_company",
    "approach": "refs_approach",
}
METHOD_KEY = "refs_method"
METHODS = {
    "combined": "Words and meaning",
    "lexical": "Words only",
    "semantic": "Meaning only",
}
YEARS_KEY = "refs_years"
EXAMPLES = ("predict when the food arrives", "fraud in card payments", "defect inspection on the line")


def reference_frame(hits: Sequence[ScoredReference], score: str = "Score") -> pd.DataFrame:
    """One row per hit: company, year, title, problem, industry, task, modality, approach, outcome, score,
    matched words, link."""
    return pd.DataFrame(
        {
            "Company": [h.reference.company for h in hits],
            "Year": pd.array([h.reference.year for h in hits], dtype="Int64"),
            "Title": [h.reference.title for h in hits],
            "Problem": [h.reference.summary for h in hits],
            "Industry": [h.reference.industry for h in hits],
            "ML task": [h.reference.task for h in hits],
            "Modality": [h.reference.modality for h in hits],
            "Approach": [h.reference.approach or "not named in the source" for h in hits],
            "Outcome": [h.reference.outcome or "no figure published" for h in hits],
            score: [h.score for h in hits],
            "Matched": [_matched(h) for h in hits],
            "Link": [h.reference.source_url or None for h in hits],
            "Own": [h.reference.origin == "own" for h in hits],
        }
    )


def _matched(hit: ScoredReference) -> str:
    if hit.matched_terms:
        return ", ".join(hit.matched_terms)
    return "similar meaning" if hit.meaning is not None and hit.score > 0 else ""


def reference_columns(score: str = "Score", score_help: str = "") -> dict[str, Any]:
    return {
        "Company": st.column_config.TextColumn("Company", width="small"),
        "Year": st.column_config.NumberColumn(
            "Year", format="%d", help="Year the write-up was published; None where the source gives no date."
        ),
        "Title": st.column_config.TextColumn("Title", width="large"),
        "Problem": st.column_config.TextColumn(
            "Problem", width="large", help="The business problem the write-up solves, in plain words."
        ),
        score: st.column_config.NumberColumn(score, format="%.2f", help=score_help),
        "Approach": st.column_config.TextColumn("Approach", help="The model family the write-up names."),
        "Outcome": st.column_config.TextColumn(
            "Outcome", help="The result the write-up publishes ('no figure published' when it gives none)."
        ),
        "Matched": st.column_config.TextColumn(
            "Matched",
            help="Your words (or synonym groups, e.g. 'eta' for 'arrival time') this entry matched; 'similar "
            "meaning' when it matched none of them but the language model places it close to your description.",
        ),
        "Link": st.column_config.LinkColumn("Link", display_text="Open ↗", help="The public write-up (new tab)."),
        "Own": st.column_config.CheckboxColumn("Own", help="One of your own (internal) references."),
    }


def show_references(hits: Sequence[ScoredReference], *, key: str, score: str = "Score", score_help: str = "") -> None:
    st.dataframe(
        reference_frame(hits, score),
        hide_index=True,
        column_config=reference_columns(score, score_help),
        width="stretch",
        height=min(38 + 35 * len(hits), 520),
        key=key,
    )


def _clamp_years(view: CatalogueView) -> None:
    """Start at the full range; keep a remembered range inside the catalogue's (own references can
    widen or narrow it). The slider reads its value from here only, so Streamlit sees one source."""
    chosen = st.session_state.get(YEARS_KEY)
    if chosen is None:
        st.session_state[YEARS_KEY] = (view.first_year, view.last_year)
        return
    low = min(max(int(chosen[0]), view.first_year), view.last_year)
    high = min(max(int(chosen[1]), low), view.last_year)
    st.session_state[YEARS_KEY] = (low, high)


def clear_filters() -> None:
    for key in (*FILTER_KEYS.values(), YEARS_KEY):
        st.session_state.pop(key, None)


def _form(view: CatalogueView) -> None:
    _clamp_years(view)
    with st.form("refs_search_form", border=True):
        st.text_input(
            "Search the catalogue",
            key=QUERY_KEY,
            persist_state="session",
            placeholder="e.g. " + EXAMPLES[0],
            help="Plain words, as you would describe the use case. Ranked by the words (BM25 over title, company, "
            "summary, approach, industry, ML task, modality and tags; tolerant of typos and common synonyms: 'ETA' "
            "finds 'arrival time') and by meaning (a small language model shipped with the app, so 'turn phone "
            f"calls into text' finds speech recognition). Press Enter to search. Only the first {MAX_QUERY_CHARS:,} "
            "characters count.",
        )
        c1, c2, c3 = st.columns(3)
        c1.multiselect(
            "Industry", INDUSTRIES, key=FILTER_KEYS["industry"], persist_state="session", placeholder="Any industry"
        )
        c2.multiselect("ML task", ML_TASKS, key=FILTER_KEYS["task"], persist_state="session", placeholder="Any task")
        c3.multiselect(
            "Data modality",
            MODALITIES,
            key=FILTER_KEYS["modality"],
            persist_state="session",
            placeholder="Any modality",
        )
        c6, c7 = st.columns([3, 2])
        c6.multiselect(
            "Approach",
            APPROACH_FAMILIES,
            key=FILTER_KEYS["approach"],
            persist_state="session",
            placeholder="Any approach",
            help="The model family the write-up names, grouped into families ('not named' when it names none).",
        )
        c7.radio(
            "Match by",
            tuple(METHODS),
            format_func=METHODS.__getitem__,
            key=METHOD_KEY,
            persist_state="session",
            horizontal=True,
            help="Words and meaning (recommended) combines both rankings; measured on judged queries in "
            "docs/benchmarks.md.",
        )
        c4, c5 = st.columns([3, 2])
        c4.multiselect(
            "Company",
            view.companies,
            key=FILTER_KEYS["company"],
            persist_state="session",
            placeholder=f"Any of {len(view.companies):,} companies",
        )
        c5.slider(
            "Published between",
            min_value=view.first_year,
            max_value=view.last_year,
            key=YEARS_KEY,
            persist_state="session",
            help="Inclusive. Left at the full range, entries without a known year are included too.",
        )
        st.form_submit_button("Search", type="primary", key="refs_search_submit")


def _active_filters(view: CatalogueView) -> dict[str, object]:
    chosen: dict[str, object] = {
        name: list(st.session_state.get(key) or []) or None for name, key in FILTER_KEYS.items()
    }
    years = st.session_state.get(YEARS_KEY)
    if years is not None and (int(years[0]), int(years[1])) != (view.first_year, view.last_year):
        chosen["year_range"] = (int(years[0]), int(years[1]))
    return {name: value for name, value in chosen.items() if value is not None}


def _empty_state(query: str, filters: dict[str, object]) -> None:
    words = tokenize(query[:MAX_QUERY_CHARS])
    if not query.strip() and not filters:
        st.info(
            "Describe your use case in a few plain words and press Enter, or pick a filter. Examples: "
            + "; ".join(f"*{example}*" for example in EXAMPLES)
            + ".",
            icon=":material/search:",
        )
        return
    hints = []
    if query.strip() and not words:
        hints.append("your search has no searchable words (only punctuation, symbols or very common words)")
    elif words:
        hints.append("try fewer or more general words (e.g. *delivery time* rather than a whole sentence)")
    if filters:
        hints.append(f"{len(filters)} filter(s) are active: widen them or clear them")
    st.info("No reference matches. " + "; ".join(hints).capitalize() + ".", icon=":material/search:")
    if filters:
        st.button("Clear filters", key="refs_clear_filters", on_click=clear_filters)


def render_search(view: CatalogueView) -> None:
    _form(view)
    query = str(st.session_state.get(QUERY_KEY) or "")
    filters = _active_filters(view)
    if len(query) > MAX_QUERY_CHARS:
        st.caption(f"Only the first {MAX_QUERY_CHARS:,} of your {len(query):,} characters are searched.")
    method = str(st.session_state.get(METHOD_KEY) or "combined")
    try:
        hits = view.index.search(query, top=RESULT_LIMIT, method=method, **filters)  # type: ignore[arg-type]
        pivot = _pivot(view, query, filters, method)
    except ValueError as error:
        st.error(f"The search could not run: {escape_markdown(str(error))}")
        return
    if method != "lexical" and tokenize(query[:MAX_QUERY_CHARS]) and model_problem():
        st.caption(f"Matching by words only: {escape_markdown(model_problem())}.")
    if pivot is not None:
        render_pivot(pivot)
    if not hits:
        _empty_state(query, filters)
        return
    listing = all(hit.score == 0 for hit in hits)  # no search words: a filtered listing
    what = "entries matching the filters, newest first" if listing else "best matches"
    count = f"the {RESULT_LIMIT}" if len(hits) == RESULT_LIMIT else f"{len(hits)}"
    st.caption(f"Showing {count} {what} of the {view.size:,} references in the catalogue.")
    show_references(
        hits,
        key="refs_results",
        score_help="Relevance: by words (BM25 with typo and synonym matching), by meaning (the bundled language "
        "model) or both blended, as chosen under Match by. Comparable only within one search; 0 when only "
        "filters apply.",
    )


def _pivot(view: CatalogueView, query: str, filters: dict[str, object], method: str) -> IndustryPivot | None:
    """The thin-industry pivot when exactly one industry is chosen (core.references.pivot)."""
    industries = filters.get("industry")
    if not isinstance(industries, list) or len(industries) != 1:
        return None
    if not tokenize(query[:MAX_QUERY_CHARS]) and not filters.get("task"):
        return None  # neither words nor a task: no task to pivot on
    others = {name: value for name, value in filters.items() if name != "industry"}
    return industry_pivot(view.index, query, industry=industries[0], method=method, **others)  # type: ignore[arg-type]


def render_pivot(pivot: IndustryPivot) -> None:
    """The industry's count, then the same task in its nearest industries, each labelled as such."""
    st.warning(
        f"{escape_markdown(pivot.sentence)}. The same task in the nearest industries (industries that run the "
        "same kind of process on the same kind of data) is shown below, labelled with the industry.",
        icon=":material/explore:",
    )
    for number, neighbour in enumerate(pivot.neighbours):
        st.markdown(
            f"**Nearest industry: {escape_markdown(neighbour.industry)}** ({neighbour.count} "
            f"{'entry' if neighbour.count == 1 else 'entries'} for {escape_markdown(pivot.task)}) — near because of "
            f"{escape_markdown(neighbour.reason)}."
        )
        if neighbour.hits:
            show_references(neighbour.hits, key=f"refs_pivot_{number}", score_help="Relevance within this industry.")
        else:
            st.caption("No entries for this task here either.")
