"""Download links on study pages and condition hubs (formats in ``research.exports``)."""

from __future__ import annotations

from typing import Any

from django import template

from acuevidence.research import exports
from acuevidence.research.models import Condition, Study

register = template.Library()

MAX_CSV_LINKS = 4


@register.inclusion_tag("includes/study_downloads.html")
def study_downloads(study: Study) -> dict[str, Any]:
    return {"study": study}


@register.inclusion_tag("includes/condition_downloads.html")
def condition_downloads(condition: Condition) -> dict[str, Any]:
    """RIS and JSON of the condition's studies, and a CSV per poolable outcome (largest first)."""
    datasets = exports.meta_datasets(exports.condition_studies(condition))
    return {"condition": condition, "datasets": datasets[:MAX_CSV_LINKS]}
