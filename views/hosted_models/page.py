"""Hosted models: what calling a model through a provider's API costs; change a price, restore the published one.

Thin: the store's rows (published prices with the user's edits) -> core.hosted.catalogue -> a table and a
form. A saved price is used at once by the Resources page's "API or self-host" tab and by the brief.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.hosted.catalogue import EDITABLE_FIELDS, LABELS, MODALITIES, HostedModel, clean_hosted_prices
from core.store import StoreError, read_catalogue
from ui import catalogues as cat
from ui import flash
from ui.state import get_store
from ui.text import escape_markdown
from ui.widgets import seed_once

PICKER = "hosted_edit_model"
FILLED_FOR = "hosted_form_filled_for"
ERROR_AREA = "hosted_form_error"
SAVED_AREA = "hosted_form_saved"


def field_key(name: str) -> str:
    return f"hosted_field_{name}"


@st.cache_data(show_spinner=False, max_entries=2)
def _published(version: str) -> dict[str, dict[str, Any]]:
    # The seed's version only keys the cache: the published rows straight from data/hosted_models.csv.
    return {str(row["key"]): row for row in read_catalogue("hosted_models")}


def published() -> dict[str, dict[str, Any]]:
    return _published(get_store().catalogue_version("hosted_models").split(":", 1)[0])


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.9g}"
    return str(value)


def _form_values(model: HostedModel) -> dict[str, Any]:
    return {field_key(name): _text(getattr(model, name)) for name in EDITABLE_FIELDS}


def _save(key: str) -> None:
    """Submit callback: check the typed prices with core; keep only what differs from the published row."""
    try:
        original = published().get(key)
        if original is None:
            raise ValueError("That model is no longer in the published catalogue.")
        typed = {name: st.session_state.get(field_key(name)) for name in EDITABLE_FIELDS}
        changes = clean_hosted_prices(original, typed)
        get_store().save_hosted_model_edit(key, changes)
    except (ValueError, StoreError) as error:
        flash.leave(ERROR_AREA, "error", f"Not saved: {error}")
        return
    if changes:
        flash.leave(SAVED_AREA, "success", "Saved your price: it is now marked edited and used everywhere.")
    else:
        flash.leave(SAVED_AREA, "success", "These are the published prices: nothing of yours is kept.")
    st.session_state[FILLED_FOR] = None


def _restore(key: str) -> None:
    try:
        get_store().restore_hosted_model(key)
    except StoreError as error:
        flash.leave(ERROR_AREA, "error", f"Not restored: {error}")
        return
    st.session_state[FILLED_FOR] = None
    flash.leave(SAVED_AREA, "success", "Published price restored.")


def _table(models: dict[str, HostedModel]) -> None:
    providers = sorted({m.provider for m in models.values()})
    c1, c2 = st.columns(2)
    chosen_providers = c1.multiselect("Provider", providers, key="hosted_filter_provider", placeholder="All providers")
    chosen_modalities = c2.multiselect("Modality", list(MODALITIES), key="hosted_filter_modality", placeholder="All")
    shown = [
        m
        for m in models.values()
        if (not chosen_providers or m.provider in chosen_providers)
        and (not chosen_modalities or m.modality in chosen_modalities)
    ]
    if not shown:
        st.info("No hosted model matches these filters; clear one to see more.")
        return
    st.dataframe(
        [
            {
                "Provider": m.provider,
                "Model": m.model,
                "Modality": m.modality,
                "$ / M input tokens": m.usd_per_million_input_tokens,
                "$ / M output tokens": m.usd_per_million_output_tokens,
                "$ / image": m.usd_per_image,
                "$ / audio minute": m.usd_per_audio_minute,
                "Context (tokens)": m.context_tokens,
                "Open weights": m.architecture or "",
                "Price date": m.price_date,
                "Edited": "edited" if m.origin == "edited" else "",
                "Source": m.source,
                "Price page": m.source_url or "",
                "Key": m.key,
            }
            for m in shown
        ],
        hide_index=True,
        column_config={
            "Price page": st.column_config.LinkColumn("Price page", display_text="open"),
            "Context (tokens)": st.column_config.NumberColumn("Context (tokens)", format="localized"),
        },
    )
    st.caption(f"{len(shown)} of {len(models)} models. Prices in US dollars, before tax and volume discounts.")


def _editor(models: dict[str, HostedModel]) -> None:
    keys = list(models)
    if st.session_state.get(PICKER) not in keys:
        st.session_state[PICKER] = keys[0]
    key = st.selectbox(
        "Model",
        keys,
        format_func=lambda k: f"{models[k].label}{' · edited' if models[k].origin == 'edited' else ''}",
        key=PICKER,
    )
    model = models[key]
    seed_once(FILLED_FOR, (key, model.origin, model.price_sentence()), _form_values(model))
    st.caption(
        "Published price from the source below."
        if model.origin == "seed"
        else "You changed this model's published price; restore it below."
    )
    with st.form("hosted_form", border=True):
        columns = st.columns(4)
        for column, name in zip(columns, EDITABLE_FIELDS[:4], strict=True):
            column.text_input(LABELS[name], key=field_key(name), placeholder="—", help="Blank: not billed this way.")
        c1, c2 = st.columns([1, 3])
        c1.text_input(LABELS["price_date"], key=field_key("price_date"), help="The day the price was read, 2026-12-02.")
        c2.text_input(LABELS["source"], key=field_key("source"), help="Where the price comes from.")
        flash.show(ERROR_AREA)
        st.form_submit_button("Save price", type="primary", key="hosted_save", on_click=_save, args=(key,))
    flash.show(SAVED_AREA)
    if model.origin == "edited":
        original = published().get(key, {})
        lines = [
            f"- {escape_markdown(LABELS[name])}: {escape_markdown(_text(original.get(name)) or '—')} → "
            f"{escape_markdown(_text(getattr(model, name)) or '—')}"
            for name in EDITABLE_FIELDS
            if _text(original.get(name)) != _text(getattr(model, name))
        ]
        if lines:
            st.markdown("Your changes to the published price:\n" + "\n".join(lines))
        st.button("Restore published price", key="hosted_restore", on_click=_restore, args=(key,))


st.title("Hosted models")
st.caption(
    "What a provider's API charges for a model, per million tokens, per image or per audio minute, with the day "
    "the price was read and where. The Resources page prices your workload on one of these and compares it with "
    "hosting the model yourself. Change a price (a quote, a discount) and save: it is used everywhere until "
    "you restore the published one."
)
hosted, skipped = cat.hosted_models()
for problem in skipped:
    st.warning(f"A row was left out: {escape_markdown(problem)}", icon=":material/warning:")
if not hosted:
    st.info("The hosted-model catalogue is empty: data/hosted_models.csv has no readable row.")
else:
    _table(hosted)
    st.subheader("Change a price")
    _editor(hosted)
