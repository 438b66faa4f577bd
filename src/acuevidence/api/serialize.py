"""Model instances to the plain dicts the API schemas describe (public fields only)."""

from __future__ import annotations

from typing import Any

from acuevidence.api.findings import comparison_findings
from acuevidence.directory.models import Location, Practitioner
from acuevidence.directory.selectors import verified_licences
from acuevidence.research.models import (
    Condition,
    OutcomeMeasure,
    Provenance,
    Study,
    SynthesisVersion,
    Therapy,
)
from acuevidence.research.syntheses import DL_METHOD, DL_MH_METHOD


def condition(item: Condition) -> dict[str, Any]:
    return {
        "slug": item.slug,
        "name": item.name,
        "synonyms": list(item.synonyms),
        "parent": item.parent.slug if item.parent_id else None,
        "mesh_id": item.mesh_id,
        "summary": item.summary,
        "url": item.get_absolute_url(),
    }


def therapy(item: Therapy) -> dict[str, Any]:
    return {
        "slug": item.slug,
        "name": item.name,
        "synonyms": list(item.synonyms),
        "is_control": item.is_control,
        "description": item.description,
    }


def outcome_measure(item: OutcomeMeasure) -> dict[str, Any]:
    fields = ("slug", "name", "abbreviation", "scale_min", "scale_max", "higher_is_better")
    return {
        **{name: getattr(item, name) for name in fields},
        "synonyms": list(item.synonyms),
        "minimal_important_difference": item.minimal_important_difference,
        "integer_valued": item.integer_valued,
    }


def _source(item: Provenance) -> dict[str, Any]:
    return {
        "label": item.source_label,
        "quote": item.source_quote,
        "span_start": item.span_start,
        "span_end": item.span_end,
        "confirmed": item.confirmed,
    }


def study_summary(study: Study) -> dict[str, Any]:
    return {
        "slug": study.slug,
        "title": study.title,
        "short_title": study.short_title,
        "year": study.year,
        "design": study.design,
        "status": study.status,
        "conditions": [c.slug for c in study.conditions.all()],
        "therapies": [t.slug for t in study.therapies.all()],
        "sample_size": study.sample_size,
        "pmid": study.pmid,
        "doi": study.doi,
        "registry_ids": list(study.registry_ids),
        "highlight": study.highlight,
        "url": study.get_absolute_url(),
        "published_at": study.last_published_at,
    }


def study_detail(study: Study) -> dict[str, Any]:
    text_fields = (
        "journal",
        "pmcid",
        "citation",
        "treatment_period",
        "follow_up",
        "abstract",
        "source",
        "source_note",
        "key_finding",
        "plain_summary",
        "technical_summary",
        "reviewed_at",
    )
    return {
        **study_summary(study),
        **{name: getattr(study, name) for name in text_fields},
        "authors": list(study.authors),
        "arms": [
            {
                "label": arm.label,
                "therapy": arm.therapy.slug if arm.therapy_id else None,
                "n": arm.n,
                "description": arm.description,
                "source": _source(arm),
            }
            for arm in study.arms.all()
        ],
        "results": [
            {
                "arm": r.arm_label,
                "outcome": r.outcome.slug if r.outcome_id else None,
                "outcome_label": r.outcome_label,
                "timepoint": r.timepoint,
                "kind": r.kind,
                **{
                    f: getattr(r, f)
                    for f in ("n", "mean", "sd", "median", "q1", "q3", "events", "total", "percent")
                },
                "source": _source(r),
            }
            for r in study.results.all()
        ],
        "comparisons": [
            {
                "outcome": c.outcome.slug if c.outcome_id else None,
                **{
                    f: getattr(c, f)
                    for f in (
                        "outcome_label",
                        "is_primary",
                        "timepoint",
                        "intervention_arm",
                        "control_arm",
                        "measure",
                        "measure_note",
                        "estimate",
                        "ci_lower",
                        "ci_upper",
                        "p_value",
                        "p_relation",
                    )
                },
                "certainty": c.certainty or None,
                "certainty_reasons": c.certainty_reasons,
                "source": _source(c),
                "checks": [
                    {"level": str(f.level), "code": f.code, "message": f.message}
                    for f in comparison_findings(study, c)
                ],
            }
            for c in study.comparisons.all()
        ],
    }


def highlight(study: Study) -> dict[str, Any]:
    return {
        "study": study.slug,
        "highlight": study.highlight,
        "title": study.title,
        "year": study.year,
        "conditions": [c.slug for c in study.conditions.all()],
        "url": study.get_absolute_url(),
        "published_at": study.last_published_at,
    }


_METHOD_CODES = {DL_MH_METHOD: "DL-MH", DL_METHOD: "DL"}


def synthesis(version: SynthesisVersion) -> dict[str, Any]:
    """A synthesis's current version; its texts only when an editor approved them."""
    item = version.synthesis
    approved = version.texts_approved
    numbers = ("k", "participants", "estimate", "ci_lower", "ci_upper", "pi_lower", "pi_upper")
    return {
        "condition": item.condition.slug,
        "outcome": item.outcome.slug,
        "outcome_name": item.outcome.name,
        "comparator_type": item.comparator_type,
        "comparator": item.get_comparator_type_display(),
        "version": version.number,
        "updated_at": version.created_at,
        "changes": list(version.changes),
        "pooled": version.pooled,
        **{name: getattr(version, name) for name in numbers},
        "measure": version.measure or None,
        "p_value": version.p_value,
        "i2": version.i2,
        "tau2": version.tau2,
        "method_code": _METHOD_CODES.get(version.method) if version.method else None,
        "method": version.method or None,
        "certainty": version.certainty or None,
        "certainty_reasons": version.certainty_reasons,
        **{
            name: (getattr(version, name) or None) if approved else None
            for name in ("key_finding", "what_it_means", "plain_summary")
        },
        "texts_approved_at": version.approved_at,
        "studies": [entry["slug"] for entry in version.studies],
        "url": _synthesis_url(version),
    }


def _synthesis_url(version: SynthesisVersion) -> str:
    """The synthesis on its condition's hub page, or the condition's study list."""
    url = version.synthesis.condition.get_absolute_url()
    return url if "?" in url else f"{url}#synthesis-{version.pk}-heading"


def _location(item: Location) -> dict[str, Any]:
    fields = ("name", "address", "city", "region", "postal_code", "country")
    return {
        **{name: getattr(item, name) for name in fields},
        "latitude": item.latitude,
        "longitude": item.longitude,
    }


def practitioner(item: Practitioner, *, distance_km: float | None = None) -> dict[str, Any]:
    licences = verified_licences(item)
    return {
        "slug": item.slug,
        "name": item.name,
        "credentials": item.credentials,
        "bio": item.bio,
        "languages": list(item.languages),
        "therapies": [t.slug for t in item.therapies.all()],
        "conditions": [c.slug for c in item.conditions.all()],
        "telehealth": item.telehealth,
        "insurance_accepted": list(item.insurance_accepted),
        "website": item.website,
        "is_demo": item.is_demo,
        "verified": bool(licences),
        "verified_licences": [
            {
                "jurisdiction": licence.jurisdiction,
                "board": licence.board,
                "licence_type": licence.licence_type,
                "number": licence.number,
                "expires_on": licence.expires_on,
                "verified_on": licence.latest_verification().performed_at.date(),
            }
            for licence in licences
        ],
        "locations": [_location(loc) for loc in item.locations.all()],
        "distance_km": None if distance_km is None else round(distance_km, 1),
        "url": item.get_absolute_url(),
    }
