"""The project document: ids, names, export and import validation."""

from __future__ import annotations

import json

import pytest

from core import projects as pj


@pytest.mark.parametrize(
    "raw",
    ["", "abc", "ABCDEF012345", "0123456789abc", "../../etc/passwd", "<script>", None, 12, "0123456789a'"],
)
def test_malformed_project_ids_are_refused_with_a_sentence(raw: object) -> None:
    with pytest.raises(ValueError, match="not a Greenlight project id"):
        pj.parse_project_id(raw)


def test_a_generated_id_parses() -> None:
    project_id = pj.new_project_id()
    assert pj.parse_project_id(project_id) == project_id


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "cannot be empty"),
        ("   ", "cannot be empty"),
        ("x" * 10_000, "at most 200 characters; this one has 10,000"),
        ("line\nbreak", "line breaks"),
        (None, "must be text"),
    ],
)
def test_bad_project_names_get_a_clear_message(name: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        pj.validate_project_name(name)


@pytest.mark.parametrize("name", ["<b>bold</b><script>alert(1)</script>", "'; DROP TABLE projects; --", "Ünïcödé ✓"])
def test_hostile_but_valid_names_are_kept_verbatim(name: str) -> None:
    assert pj.validate_project_name(name) == name


def _document(**overrides: object) -> dict[str, object]:
    document: dict[str, object] = pj.project_document("0123456789ab", "Demo", {})
    document.update(overrides)
    return document


def test_an_export_parses_back_to_the_same_documents() -> None:
    documents = [_document(), _document(id="ba9876543210", name="Other")]
    assert pj.parse_import(pj.export_json(documents)) == documents


def test_a_single_project_document_is_accepted() -> None:
    document = _document()
    assert pj.parse_import(json.dumps(document).encode()) == [document]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfe", "not valid JSON"),
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "not a Greenlight export"),
        (json.dumps({"kind": "greenlight-export", "projects": []}).encode(), "holds no projects"),
        (b"x" * 5_000_001, "up to 5 MB"),
        (b"[" * 100_000, "not valid JSON"),
    ],
)
def test_malformed_files_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        pj.parse_import(data)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"schema_version": 99}, "newer Greenlight"),
        ({"schema_version": "1"}, "schema_version"),
        ({"schema_version": 0}, "ever wrote"),
        ({"id": "nope"}, "not a Greenlight project id"),
        ({"name": ""}, "cannot be empty"),
        ({"name": "x" * 10_000}, "at most 200"),
        ({"sections": []}, "must be a JSON object"),
        ({"sections": {"unknown-kind": {}}}, "not a known kind"),
        ({"sections": {"worthiness": "text"}}, "must be a JSON object"),
        ({"extra": 1}, "unexpected fields"),
        ({"kind": "other"}, "not a Greenlight project"),
    ],
)
def test_malformed_projects_are_refused_with_their_position(overrides: dict[str, object], message: str) -> None:
    data = pj.export_json([_document(), _document(**{"id": "ba9876543210", **overrides})])
    with pytest.raises(ValueError, match=f"Project 2 of 2: .*{message}"):
        pj.parse_import(data)


def test_the_same_id_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="same project id twice"):
        pj.parse_import(pj.export_json([_document(), _document()]))


def test_an_export_saved_with_a_byte_order_mark_is_accepted() -> None:
    documents = [_document()]
    assert pj.parse_import(b"\xef\xbb\xbf" + pj.export_json(documents)) == documents


@pytest.mark.parametrize(
    "name",
    [
        "\u200b",
        "\u200b\u200c\u200d",
        "\u2060\ufeff",
        "\u200e\u200f",
        "\u202a\u202b\u202c\u202d\u202e",
        "\u2066\u2067\u2068\u2069",
        " \u200b \u200f ",
        "\u00a0\u3000",
    ],
)
def test_names_made_only_of_invisible_characters_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match=r"needs at least one visible character|cannot be empty or only spaces"):
        pj.validate_project_name(name)


@pytest.mark.parametrize("name", ["\u200bAnn", "\u05e9\u05dc\u05d5\u05dd", "\u202eAnn\u202c"])
def test_names_with_some_visible_text_are_kept_verbatim(name: str) -> None:
    assert pj.validate_project_name(name) == name


LONG = "Z" * 100_000


@pytest.mark.parametrize(
    "overrides",
    [
        {"sections": {LONG: {}}},
        {"sections": {"worthiness" + ":" + LONG: {}}},
        {LONG: 1},
        {"name": LONG},
        {"id": LONG},
        {"schema_version": LONG},
    ],
    ids=["section name", "rater section", "unknown field", "name", "id", "schema version"],
)
def test_messages_quote_at_most_a_short_prefix_of_a_long_value(overrides: dict[str, object]) -> None:
    data = pj.export_json([_document(**overrides)])
    with pytest.raises(ValueError) as refused:
        pj.parse_import(data)
    message = str(refused.value)
    assert len(message) < 500, message[:200]
    assert "Z" * 100 not in message


def test_an_integer_too_long_to_read_is_refused_with_a_sentence() -> None:
    with pytest.raises(ValueError, match="not valid JSON"):
        pj.parse_import(b'{"kind": "greenlight-export", "schema_version": ' + b"9" * 5000 + b"}")


# ---------------------------------------------------------------- what restoring a version changes


@pytest.mark.parametrize(
    ("present", "earlier", "expected"),
    [
        ({"worthiness": {"a": 1}}, {"worthiness": {"a": 1}}, []),
        ({"worthiness": {"a": 1}}, {"worthiness": {"a": 2}}, [("worthiness", "changed")]),
        ({}, {"metrics": {"a": 1}}, [("metrics", "brought back")]),
        ({"resources": {"a": 1}}, {}, [("resources", "removed")]),
        # the page's own sections first, then the raters' scores, each in name order
        (
            {"ratings:Bo": {"s": 1}, "worthiness": {"a": 1}, "metrics": {"a": 1}},
            {"ratings:Bo": {"s": 2}, "worthiness": {"a": 2}, "metrics": {"a": 2}, "ratings:Al": {"s": 1}},
            [
                ("metrics", "changed"),
                ("worthiness", "changed"),
                ("ratings:Al", "brought back"),
                ("ratings:Bo", "changed"),
            ],
        ),
    ],
)
def test_restore_changes_lists_the_sections_that_would_change(
    present: dict[str, dict[str, int]], earlier: dict[str, dict[str, int]], expected: list[tuple[str, str]]
) -> None:
    assert [(item.section, item.change) for item in pj.restore_changes(present, earlier)] == expected


def test_restore_changes_shows_each_difference_as_a_diff_line() -> None:
    [item] = pj.restore_changes({"worthiness": {"weight": 1, "same": 0}}, {"worthiness": {"weight": 2, "same": 0}})
    assert ' "weight": 1' in [line[1:] for line in item.diff_lines if line.startswith("-")]
    assert ' "weight": 2' in [line[1:] for line in item.diff_lines if line.startswith("+")]
    assert not any('"same"' in line and line[:1] in "+-" for line in item.diff_lines)


@pytest.mark.parametrize(
    ("section", "title"),
    [("ratings:Ann", "Ann's scores"), ("worthiness", "Worthiness (candidates, weights, settings)"), ("x", "x")],
)
def test_section_titles_are_plain_words(section: str, title: str) -> None:
    assert pj.section_title(section) == title
