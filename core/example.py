"""The example project every new installation starts with.

It follows the two worked examples of the planning method: background
replacement for a film studio (a green screen beats segmentation) and rain
(a humidity sensor serves for watering; a 15-minute forecast merits deep learning).
"""

from __future__ import annotations

from typing import Any

from core.metrics import example_metrics
from core.ratings import split_ratings
from core.resources.plan import example_resources
from core.worthiness import example_worthiness

EXAMPLE_PROJECT_NAME = "Example: film backgrounds and rain"


def example_project() -> tuple[str, dict[str, dict[str, Any]]]:
    """(name, sections) of the example project, each rater's scores in a section of their own."""
    sections = split_ratings(example_worthiness())
    sections["metrics"] = example_metrics().to_document()
    sections["resources"] = example_resources().to_document()
    return EXAMPLE_PROJECT_NAME, sections
