"""Input checks shared by the metric dataclasses: each raises ValueError with one actionable sentence."""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from datetime import date, datetime

from core.text import INVISIBLE_ONLY, format_number, has_visible_text

NAME_MAX_CHARS = 200
"""Longest name after stripping; long enough for any real metric name, short enough for a chart node."""

SHORT_TEXT_MAX_CHARS = 200
"""Longest unit, owner or data source."""

LONG_TEXT_MAX_CHARS = 2000
"""Longest definition, note, criterion or label description (about a third of a page)."""

ID_MAX_CHARS = 64

# Element ids appear in field paths ("metrics.m2.baseline") and in DOT node ids, so they are kept
# to a plain alphabet that needs no escaping anywhere.
_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def _shown(value: object) -> str:
    """A short, safe rendering of a bad value for an error message."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def check_id(value: object, what: str) -> str:
    if not isinstance(value, str) or not 1 <= len(value) <= ID_MAX_CHARS or _ID_PATTERN.fullmatch(value) is None:
        raise ValueError(
            f"{what} must be 1 to {ID_MAX_CHARS} letters, digits, '-' or '_', starting with a letter "
            f"or digit; got {_shown(value)}."
        )
    return value


def check_name(value: object, what: str) -> str:
    """A required name: 1..200 characters once surrounding spaces are ignored; stored verbatim."""
    if not isinstance(value, str):
        raise ValueError(f"{what} must be text; got {_shown(value)}.")
    length = len(value.strip())
    if not 1 <= length <= NAME_MAX_CHARS:
        raise ValueError(f"{what} must have 1 to {NAME_MAX_CHARS} characters; got {length}.")
    if not has_visible_text(value):
        raise ValueError(f"{what} needs at least one visible character; {INVISIBLE_ONLY}.")
    return value


def check_text(value: object, what: str, max_chars: int) -> str:
    """Optional free text (may be empty), at most `max_chars` characters once stripped."""
    if not isinstance(value, str):
        raise ValueError(f"{what} must be text; got {_shown(value)}.")
    length = len(value.strip())
    if length > max_chars:
        raise ValueError(f"{what} must have at most {max_chars} characters; got {length}.")
    return value


def check_choice(value: object, what: str, choices: Collection[str]) -> str:
    if not isinstance(value, str) or value not in choices:
        options = ", ".join(f"'{choice}'" for choice in choices)
        raise ValueError(f"{what} must be one of {options}; got {_shown(value)}.")
    return value


def check_bool(value: object, what: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{what} must be true or false; got {_shown(value)}.")
    return value


def check_number(value: object, what: str) -> float:
    """A finite real number (int or float, never bool), returned as float."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{what} must be a number; got {_shown(value)}.")
    try:
        number = float(value)
    except OverflowError:
        raise ValueError(f"{what} must be a finite number; got an integer too large to use.") from None
    if not math.isfinite(number):
        raise ValueError(f"{what} must be a finite number; got {_shown(value)}.")
    return number


def check_optional_number(value: object, what: str) -> float | None:
    return None if value is None else check_number(value, what)


def check_at_least(value: object, what: str, minimum: float) -> float:
    number = check_number(value, what)
    if number < minimum:
        raise ValueError(f"{what} must be at least {minimum:g}; got {number:g}.")
    return number


def check_positive(value: object, what: str) -> float:
    number = check_number(value, what)
    if number <= 0:
        raise ValueError(f"{what} must be greater than 0; got {number:g}.")
    return number


def check_open_unit_interval(value: object, what: str) -> float:
    number = check_number(value, what)
    if not 0 < number < 1:
        raise ValueError(f"{what} must be strictly between 0 and 1; got {number:g}.")
    return number


def check_date(value: object, what: str) -> date:
    # datetime is a subclass of date; a time of day would make date comparisons raise later.
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValueError(f"{what} must be a calendar date (YYYY-MM-DD); got {_shown(value)}.")
    return value


def check_optional_date(value: object, what: str) -> date | None:
    return None if value is None else check_date(value, what)


def format_figure(value: float) -> str:
    """A figure in a validation message: six significant digits, so a target of 0.9995 is not shown as 1."""
    return format_number(value, significant=6)
