"""Projects: list, duplicate, delete, export, import, and the history of every save."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core import projects as pj
from ui.state import current_project_id, get_store, select_project
from ui.text import escape_markdown, shorten

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
    if left.button("Delete for good", type="primary", key="confirm_delete"):
        store.delete_project(project_id)
        if st.session_state.get("current_project_id") == project_id:
            select_project(None)
        st.rerun()
    if right.button("Keep it", key="cancel_delete"):
        st.rerun()


if not summaries:
    st.info("There are no projects yet. Create one in the sidebar, or import a JSON export below.", icon="📭")
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
    names = {summary.id: summary.name for summary in summaries}
    chosen = st.selectbox(
        "Project",
        options=list(names),
        index=list(names).index(active_id) if active_id in names else 0,
        format_func=lambda pid: shorten(names[pid]),
        key="projects_page_choice",
    )
    project = store.get_project(chosen)
    if project is not None:
        st.markdown(f"**{escape_markdown(project.name)}** · version {project.version} · id `{project.id}`")
        c1, c2, c3, c4 = st.columns(4)
        if c1.button("Open", key="open_project", width="stretch"):
            select_project(project.id)
            st.switch_page("views/overview.py")
        if c2.button("Duplicate", key="duplicate_project", width="stretch"):
            try:
                new_id = store.duplicate_project(project.id, shorten(f"Copy of {project.name}", pj.MAX_NAME_CHARS))
            except ValueError as error:
                st.error(str(error))
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
            version = st.selectbox("View a version", options=[v for v, _, _ in versions], key="history_version")
            if version is not None:
                document = store.get_version(project.id, int(version))
                st.json(document, expanded=False)
                if version != project.version and st.button(
                    f"Restore version {version}",
                    key="restore_version",
                    help="Makes that version current again; the present state stays in the history.",
                ):
                    store.restore_version(project.id, int(version))
                    st.success(f"Version {version} restored.")
                    st.rerun()

st.subheader("Import")
uploaded = st.file_uploader(
    "Import projects from a Greenlight JSON export (up to 5 MB)", type=["json"], key="import_file"
)
if uploaded is not None and st.button("Import", type="primary", key="import_button"):
    try:
        documents = pj.parse_import(uploaded.getvalue())
        imported = store.import_documents(documents)
    except ValueError as error:
        st.error(f"Nothing was imported: {error}")
    else:
        st.success(f"Imported {len(imported)} project(s).")
        select_project(imported[0])
