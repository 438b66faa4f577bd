"""What the review screens show an editor: a study's current draft, a synthesis's texts.

Source text with the extracted spans marked, consistency-check findings, certainty with
its reasons, and each summary text with its origin, readability grade and overclaim
flags. Read-only: drafting and publishing are in ``research.services``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from acuevidence.evidence.overclaim import Flag, find_overclaims
from acuevidence.evidence.records import Design
from acuevidence.research.certainty import RANDOMIZED, study_ratings
from acuevidence.research.models import Arm, GeneratedText, Result, Study, SynthesisVersion
from acuevidence.research.summaries import (
    PLAIN_GRADE_TARGET,
    TEXT_FIELDS,
    plain_grade,
    study_findings,
    text_flags,
)
from acuevidence.research.syntheses import SYNTHESIS_TEXT_FIELDS, synthesis_version_texts_digest


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


def _synthesis_randomized(version: SynthesisVersion) -> bool:
    """Whether every study pooled in ``version`` is randomized (one query)."""
    slugs = [entry["slug"] for entry in version.studies]
    designs = set(Study.objects.filter(slug__in=slugs).values_list("design", flat=True))
    return bool(designs) and all(Design(design) in RANDOMIZED for design in designs)


def synthesis_text_origin(version: SynthesisVersion) -> str:
    """ "automated draft" until an editor changes the texts, then who edited them and when."""
    if version.words_edited_by_id is None and version.words_edited_at is None:
        return "automated draft"
    who = version.words_edited_by
    name = (who.get_full_name() or who.get_username()) if who is not None else "a former user"
    when = timezone.localtime(version.words_edited_at).strftime("%d %b %Y %H:%M")
    return f"edited by {name}, {when}"


def synthesis_review_context(*, version: SynthesisVersion) -> dict[str, Any]:
    """What the synthesis texts screen shows: each text with origin, grade and flags."""
    randomized = _synthesis_randomized(version)
    origin = synthesis_text_origin(version)
    texts = [
        TextReview(
            field=name,
            label=name.replace("_", " ").capitalize(),
            text=getattr(version, name),
            origin=origin if getattr(version, name) else "empty",
            grade=plain_grade(getattr(version, name)) if getattr(version, name) else None,
            flags=(
                find_overclaims(getattr(version, name), randomized=randomized)
                if getattr(version, name)
                else []
            ),
        )
        for name in SYNTHESIS_TEXT_FIELDS
    ]
    return {
        "review_texts": texts,
        "review_grade_target": PLAIN_GRADE_TARGET,
        "review_randomized": randomized,
        "review_digest": synthesis_version_texts_digest(version),
    }
