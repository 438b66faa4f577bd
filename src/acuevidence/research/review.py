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
from acuevidence.research.models import Arm, GeneratedText, Result, Study
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


def _span_label(row: Any) -> str:
    """Which field an extracted span filled, e.g. 'Result: FMA (acupuncture group)'."""
    if isinstance(row, Arm):
        return f"Arm: {row.label}"
    if isinstance(row, Result):
        return f"Result: {row.outcome_label} ({row.arm_label})"
    return f"Comparison: {row.outcome_label}"


def marked_source(study: Study) -> SafeString:
    """The title and abstract with every extracted span in ``<mark>``, labelled by its field.

    Spans index :attr:`Study.source_text`, the text the extractor read; a confirmed
    item keeps its span as provenance, an unconfirmed one is marked as such.
    """
    text = study.source_text
    rows = [
        row
        for rows in (study.arms.all(), study.results.all(), study.comparisons.all())
        for row in rows
        if row.span_start is not None
        and row.span_end is not None
        and 0 <= row.span_start < row.span_end <= len(text)
    ]
    out, cursor = [], 0
    for row in sorted(rows, key=lambda r: (r.span_start, r.span_end)):
        if row.span_start < cursor:
            continue
        state = "confirmed" if row.confirmed else "unconfirmed"
        label = f"{_span_label(row)}, {state}"
        out += [
            escape(text[cursor : row.span_start]),
            f'<mark title="{escape(label)}">',
            escape(text[row.span_start : row.span_end]),
            f"</mark><small> [{escape(label)}]</small>",
        ]
        cursor = row.span_end
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
