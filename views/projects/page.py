"""Projects: list, duplicate, delete, export, import, and the history of every save."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core import projects as pj
from core.store import StoreError
from ui import flash
from ui.state import current_project_id, get_store, select_project
from ui.text import distinct_labels, escape_markdown, shorten
from views import page

store = get_store()
st.title("Projects")
st.caption(
    "A project is one deep-learning initiative under consideration. Every save is kept as a version; "
    "export projects as JSON to back them up or move them to another Greenlight."
)

summaries = store.list_projects()
active_id = current_project_id(store)


@st.dialog("Delete project?")
def confirm_delete(project_id: str, name: str) -> None:
    st.write("This removes the project and its whole history from this database:")
    st.text(name)
    st.caption("Export it first if you may want it back.")
    left, right = st.columns(2)
    st.caption(f"Project id: {project_id}")  # two projects never share a name, but the id settles any doubt
    if left.button("Delete for good", type="primary", key="confirm_delete"):
        try:
            store.delete_project(project_id)
        except StoreError as error:
            st.error(escape_markdown(str(error)))
            return
        if st.session_state.get("current_project_id") == project_id:
            select_project(None)
        st.rerun()
    if right.button("Keep it", key="cancel_delete"):
        st.rerun()


RESTORE_AREA = "projects_restore"  # the outcome shows after the rerun that reloads the project
# The restore asked about: the dialog is drawn from it on every run until answered or dismissed, so a full rerun
# (not only the dialog's own) still reaches its buttons.
RESTORE_PENDING = "projects_restore_pending"


def _forget_restore() -> None:
    st.session_state.pop(RESTORE_PENDING, None)


@st.dialog("Restore an earlier version?", on_dismiss=_forget_restore)
def confirm_restore(project_id: str, version: int, sections: list[str], everything: bool) -> None:
    if everything:
        st.write(f"Every section and the name go back to version {version}:")
    else:
        st.write(f"These sections go back to version {version}; every other section stays as it is now:")
    st.markdown("\n".join(f"- {escape_markdown(pj.section_title(section))}" for section in sections))
    st.caption("Nothing is lost: the present state stays in the history, and restoring is itself a new version.")
    left, right = st.columns(2)
    if left.button("Restore", type="primary", key="confirm_restore"):
        _forget_restore()
        try:
            new_version = store.restore_version(project_id, version, None if everything else sections)
        except (ValueError, StoreError) as error:
            st.error(f"Not restored: {escape_markdown(str(error))}")
            return
        flash.leave(
            RESTORE_AREA, "success", f"Restored from version {version}; the project is now at version {new_version}."
        )
        st.rerun()
    if right.button("Cancel", key="cancel_restore"):
        _forget_restore()
        st.rerun()


def render_restore(project: pj.Project, version: int, document: dict[str, object]) -> None:
    """What restoring ``version`` would change, section by section, and the button that asks before it does."""
    earlier = document["sections"]
    assert isinstance(earlier, dict)
    changes = pj.restore_changes(project.sections, earlier)
    renamed = document["name"] != project.name
    with st.popover("The whole version as JSON"):
        st.json(document, expanded=False)
    if version == project.version:
        st.caption("This is the current version.")
        return
    if not changes and not renamed:
        st.caption(f"Version {version} holds the same content as now; restoring it would change nothing.")
        return
    st.markdown(f"**Restoring version {version} would change:**")
    if renamed:
        st.markdown(f"- the name: {escape_markdown(project.name)} → {escape_markdown(str(document['name']))}")
    for item in changes:
        with st.expander(f"{item.title}: {item.change}"):
            st.code("\n".join(item.diff_lines) or "(no lines)", language="diff")
    options = [item.section for item in changes]
    chosen = st.multiselect(
        "Sections to restore",
        options=options,
        default=options,
        format_func=pj.section_title,
        key=f"restore_sections_{version}",
        help="Restore one rater's scores or one page's work without touching the rest.",
    )
    everything = set(chosen) == set(options)
    if st.button(
        f"Restore version {version}…" if everything else f"Restore {len(chosen)} section(s) from version {version}…",
        key="restore_version",
        disabled=bool(options) and not chosen,
        help="Asks first. The present state stays in the history.",
    ):
        st.session_state[RESTORE_PENDING] = (project.id, version, chosen, everything)
    pending = st.session_state.get(RESTORE_PENDING)
    if pending is not None and pending[:2] == (project.id, version):
        confirm_restore(*pending)


if not summaries:
    st.info(
        "There are no projects yet. Create one in the sidebar, or import a JSON export below.", icon=":material/inbox:"
    )
else:
    table = pd.DataFrame(
        {
            "Name": [summary.name for summary in summaries],
            "Last modified (UTC)": [summary.updated_at for summary in summaries],
            "Saves": [summary.version for summary in summaries],
            "Id": [summary.id for summary in summaries],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")
    st.download_button(
        "Export all projects (JSON)",
        # Built only when clicked: serialising every project on each rerun took seconds with 1,000 projects.
        data=lambda: pj.export_json(store.export_documents()),
        on_click="ignore",
        file_name="greenlight-projects.json",
        mime="application/json",
        key="export_all",
    )

    st.subheader("One project")
    labels = distinct_labels({summary.id: summary.name for summary in summaries})
    chosen = st.selectbox(
        "Project",
        options=list(labels),
        index=list(labels).index(active_id) if active_id in labels else 0,
        format_func=labels.__getitem__,
        key="projects_page_choice",
    )
    project = store.get_project(chosen)
    if project is not None:
        st.markdown(f"**{escape_markdown(project.name)}** · version {project.version} · id `{project.id}`")
        c1, c2, c3, c4 = st.columns(4)
        if c1.button("Open", key="open_project", width="stretch"):
            select_project(project.id)
            st.switch_page(page("overview"))
        if c2.button("Duplicate", key="duplicate_project", width="stretch"):
            try:
                new_id = store.duplicate_project(project.id, shorten(f"Copy of {project.name}", pj.MAX_NAME_CHARS))
            except (ValueError, StoreError) as error:
                st.error(escape_markdown(str(error)))
            else:
                select_project(new_id)
                st.rerun()
        c3.download_button(
            "Export (JSON)",
            data=pj.export_json([project.document()]),
            file_name=f"greenlight-{project.id}.json",
            mime="application/json",
            key="export_one",
            width="stretch",
        )
        if c4.button("Delete…", key="delete_project", width="stretch"):
            confirm_delete(project.id, project.name)

        with st.expander("History: every save of this project", expanded=False):
            versions = store.list_versions(project.id)
            history = pd.DataFrame(versions, columns=["Version", "Saved at (UTC)", "What changed"])
            st.dataframe(history, hide_index=True, width="stretch")
            flash.show(RESTORE_AREA)
            version = st.selectbox("View a version", options=[v for v, _, _ in versions], key="history_version")
            if version is not None:
                document = store.get_version(project.id, int(version))
                if document is not None:
                    render_restore(project, int(version), document)

st.subheader("Import")
IMPORT_AREA = "projects_import"  # the outcome shows after the rerun that refreshes every project list
flash.show(IMPORT_AREA)
uploaded = st.file_uploader(
    "Import projects from a Greenlight JSON export (up to 5 MB)", type=["json"], key="import_file"
)
if uploaded is not None:
    try:
        documents = pj.parse_import(uploaded.getvalue())
    except ValueError as error:
        st.error(f"Nothing can be imported from this file: {escape_markdown(str(error))}")
        documents = []
    present = store.existing_ids([document["id"] for document in documents])
    replace_existing = False
    if present:
        here = {summary.id: summary.name for summary in summaries}
        shown = ", ".join(repr(shorten(here.get(project_id, project_id))) for project_id in present[:5])
        more = f" and {len(present) - 5} more" if len(present) > 5 else ""
        st.warning(escape_markdown(f"{len(present)} project(s) in this file are already here: {shown}{more}."))
        replace_existing = (
            st.radio(
                "What should happen to them?",
                ["Import them as copies", "Replace the ones here (what they replace stays in the history)"],
                key="import_mode",
            )
            != "Import them as copies"
        )
    if documents and st.button("Import", type="primary", key="import_button"):
        try:
            imported = store.import_documents(documents, replace_existing=replace_existing)
        except (ValueError, StoreError) as error:
            st.error(f"Nothing was imported: {escape_markdown(str(error))}")
        else:
            names_now = {summary.id: summary.name for summary in store.list_projects()}
            renamed = [
                f"{shorten(document['name'])!r} as {shorten(names_now[project_id])!r}"
                for document, project_id in zip(documents, imported, strict=True)
                if names_now.get(project_id, document["name"]) != document["name"]
            ]
            verb = "Imported or replaced" if replace_existing else "Imported"
            note = f" Names already in use got a number: {'; '.join(renamed)}." if renamed else ""
            flash.leave(IMPORT_AREA, "success", f"{verb} {len(imported)} project(s).{note}")
            select_project(imported[0])
            st.rerun()
