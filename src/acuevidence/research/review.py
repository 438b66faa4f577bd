"""What the review panel shows an editor about a study's current draft.

Source text with the extracted spans marked, consistency-check findings, certainty with
its reasons, and each summary text with its origin, readability grade and overclaim
flags. Read-only: drafting and publishing are in ``research.services``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from acuevidence.evidence.overclaim import Flag
from acuevidence.research.certainty import study_ratings
from acuevidence.research.models import GeneratedText, Study
from acuevidence.research.summaries import (
    PLAIN_GRADE_TARGET,
    TEXT_FIELDS,
    plain_grade,
    study_findings,
    text_flags,
)


@dataclass(frozen=True)
class TextReview:
    field: str
    label: str
    text: str
    origin: str
    grade: float | None
    flags: list[Flag]

    @property
    def grade_ok(self) -> bool:
        return self.grade is None or self.grade <= PLAIN_GRADE_TARGET


def text_origin(study: Study, field: str, text: str) -> str:
    """ "automated draft" (as generated), "edited" (a generated draft was changed) or
    "written by an editor" (nothing was generated)."""
    if not text:
        return "empty"
    generated = GeneratedText.objects.filter(study_id=study.pk, field=field)
    if not generated.exists():
        return "written by an editor"
    return "automated draft" if generated.filter(text=text).exists() else "edited"


def marked_source(study: Study) -> SafeString:
    """The abstract with every extracted number's span wrapped in ``<mark>``."""
    text = study.abstract or ""
    spans = sorted(
        {
            (row.span_start, row.span_end)
            for rows in (study.arms.all(), study.results.all(), study.comparisons.all())
            for row in rows
            if row.span_start is not None
            and row.span_end is not None
            and 0 <= row.span_start < row.span_end <= len(text)
        }
    )
    out, cursor = [], 0
    for start, end in spans:
        if start < cursor:
            continue
        out += [escape(text[cursor:start]), "<mark>", escape(text[start:end]), "</mark>"]
        cursor = end
    out.append(escape(text[cursor:]))
    return mark_safe("".join(out))


def review_context(*, study: Study) -> dict[str, Any]:
    texts = []
    for name in TEXT_FIELDS:
        text = getattr(study, name)
        texts.append(
            TextReview(
                field=name,
                label=name.replace("_", " ").capitalize(),
                text=text,
                origin=text_origin(study, name, text),
                grade=plain_grade(text) if name == "plain_summary" and text else None,
                flags=text_flags(study, name, text),
            )
        )
    return {
        "review_texts": texts,
        "review_ratings": study_ratings(study),
        "review_findings": study_findings(study),
        "review_source": marked_source(study),
        "review_grade_target": PLAIN_GRADE_TARGET,
        "review_study_pk": study.pk,
    }
