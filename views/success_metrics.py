"""Success metrics: goal -> tangible business metrics -> model metrics -> label, checked live, and the
break-even model metric, per worthiness candidate. The page's code is in ui.metrics_page (compiled once)."""

from ui.metrics_page import render

render()
