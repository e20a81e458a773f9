"""The example project every new installation starts with.

It follows the two worked examples of the planning method: background
replacement for a film studio (a green screen beats segmentation) and rain
(a humidity sensor serves for watering; a 15-minute forecast merits deep learning).
"""

from __future__ import annotations

from typing import Any

EXAMPLE_PROJECT_NAME = "Example: film backgrounds and rain"


def example_project() -> tuple[str, dict[str, dict[str, Any]]]:
    """(name, sections) of the example project."""
    return EXAMPLE_PROJECT_NAME, {}
