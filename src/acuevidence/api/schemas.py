"""The API's public shapes (pydantic, through django-ninja).

Only public fields appear here: a practitioner's e-mail, account, documents and
unpublished profiles, a study's drafts and the editors who entered numbers are
never part of any schema. Ids are slugs, stable across imports.

Schemas are small and composable so that fields added later to the research
models (certainty ratings, condition syntheses) become new optional fields or
new schemas without changing existing ones.
"""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field


class Problem(Schema):
    """An error: what went wrong, in one sentence."""

    detail: str


class ValidationProblem(Schema):
    """Invalid parameters: one entry per problem, as django-ninja reports them."""

    detail: list[dict[str, object]]


class ConditionOut(Schema):
    slug: str
    name: str
    synonyms: list[str]
    parent: str | None = Field(description="Slug of the broader condition, if any.")
    mesh_id: str
    summary: str
    url: str = Field(description="The condition's page on the site (a path).")


class TherapyOut(Schema):
    slug: str
    name: str
    synonyms: list[str]
    is_control: bool = Field(description="A comparator (sham, usual care, waitlist ...).")
    description: str


class OutcomeMeasureOut(Schema):
    slug: str
    name: str
    abbreviation: str
    synonyms: list[str]
    scale_min: float | None
    scale_max: float | None
    higher_is_better: bool | None
    minimal_important_difference: float | None
    integer_valued: bool


class SourceOut(Schema):
    """Where a number was read: a label, the text as printed and its span in the source."""

    label: str
    quote: str
    span_start: int | None
    span_end: int | None
    confirmed: bool = Field(description="An editor checked the value against its source.")


class ArmOut(Schema):
    label: str
    therapy: str | None = Field(description="Therapy slug.")
    n: int | None
    description: str
    source: SourceOut


class ResultOut(Schema):
    arm: str = Field(description="The label of one of the study's arms.")
    outcome: str | None = Field(description="Outcome measure slug, when mapped.")
    outcome_label: str
    timepoint: str
    kind: str
    n: int | None
    mean: float | None
    sd: float | None
    median: float | None
    q1: float | None
    q3: float | None
    events: int | None
    total: int | None
    percent: float | None
    source: SourceOut


class FindingOut(Schema):
    """One consistency check of a reported comparison against the arm data."""

    level: str = Field(description="ok, warn or fail.")
    code: str
    message: str


class ComparisonOut(Schema):
    outcome: str | None = Field(description="Outcome measure slug, when mapped.")
    outcome_label: str
    is_primary: bool | None
    timepoint: str
    intervention_arm: str
    control_arm: str
    measure: str
    measure_note: str
    estimate: float | None
    ci_lower: float | None
    ci_upper: float | None
    p_value: float | None
    p_relation: str
    certainty: str | None = Field(
        None, description="GRADE-style certainty: high, moderate, low or very_low (null: unrated)."
    )
    certainty_reasons: list[str] = Field(
        default_factory=list, description="Why the rating is what it is, as shown on the page."
    )
    source: SourceOut
    checks: list[FindingOut] = Field(
        description="Consistency checks recomputed from the reported numbers."
    )


class StudySummaryOut(Schema):
    """A study as listed: identity, citation facts, design and its one-line highlight."""

    slug: str
    title: str
    short_title: str
    year: int | None
    design: str
    status: str
    conditions: list[str] = Field(description="Condition slugs.")
    therapies: list[str] = Field(description="Therapy slugs.")
    sample_size: int | None
    pmid: str
    doi: str
    registry_ids: list[str]
    highlight: str
    url: str = Field(description="The study's page on the site (a path).")
    published_at: dt.datetime | None


class StudyOut(StudySummaryOut):
    """A published study with its numbers, their sources, check results and summaries."""

    authors: list[str]
    journal: str
    pmcid: str
    citation: str
    treatment_period: str
    follow_up: str
    abstract: str
    source: str
    source_note: str
    key_finding: str
    plain_summary: str
    technical_summary: str
    reviewed_at: dt.datetime | None
    arms: list[ArmOut]
    results: list[ResultOut]
    comparisons: list[ComparisonOut]


class HighlightOut(Schema):
    study: str = Field(description="Study slug.")
    highlight: str
    title: str
    year: int | None
    conditions: list[str]
    url: str
    published_at: dt.datetime | None


class SynthesisOut(Schema):
    """The current version of a living synthesis: one condition, outcome and comparator type.

    Numbers pool the published studies listed in ``studies`` (computed automatically);
    the texts are given only once an editor has approved them, else null.
    """

    condition: str = Field(description="Condition slug (the condition asked for, or narrower).")
    outcome: str = Field(description="Outcome measure slug.")
    outcome_name: str
    comparator_type: str = Field(
        description="sham (sham or placebo), usual_care (usual care, waitlist or no "
        "treatment) or active (another active treatment)."
    )
    comparator: str = Field(description="The comparator type in words.")
    version: int = Field(
        description="Version number; each recomputation that changes the result adds one."
    )
    updated_at: dt.datetime = Field(description="When this version was computed.")
    changes: list[str] = Field(description="What this version changed, in words.")
    pooled: bool = Field(description="False when fewer than two comparable studies remain.")
    k: int = Field(description="Number of studies pooled.")
    participants: int
    measure: str | None = Field(description="RR, MD or SMD (null when not pooled).")
    estimate: float | None = Field(description="Pooled estimate (ratios on their natural scale).")
    ci_lower: float | None = Field(description="95% confidence interval, lower end.")
    ci_upper: float | None
    pi_lower: float | None = Field(
        description="95% prediction interval (random effects), lower end; null when not computed."
    )
    pi_upper: float | None
    p_value: float | None
    i2: float | None = Field(description="I², percent.")
    tau2: float | None = Field(description="Between-study variance τ² (log scale for ratios).")
    method_code: str | None = Field(
        description="DL-MH (Mantel-Haenszel, DerSimonian-Laird τ²) or DL (inverse variance, "
        "DerSimonian-Laird τ²): the RevMan 5 conventions."
    )
    method: str | None = Field(description="The pooling method in words.")
    certainty: str | None = Field(
        description="GRADE-style certainty: high, moderate, low or very_low (null: unrated)."
    )
    certainty_reasons: list[str] = Field(description="Why the rating is what it is.")
    key_finding: str | None = Field(description="The approved key finding; null until approved.")
    what_it_means: str | None = Field(description="Approved; null until approved.")
    plain_summary: str | None = Field(description="Approved; null until approved.")
    texts_approved_at: dt.datetime | None = Field(
        description="When an editor approved the texts (null: not yet)."
    )
    studies: list[str] = Field(description="Slugs of the pooled studies, oldest first.")
    url: str = Field(description="The synthesis on its condition page (a path).")


class LocationOut(Schema):
    name: str
    address: str
    city: str
    region: str
    postal_code: str
    country: str
    latitude: float
    longitude: float


class VerifiedLicenceOut(Schema):
    jurisdiction: str
    board: str
    licence_type: str
    number: str
    expires_on: dt.date | None
    verified_on: dt.date


class PractitionerOut(Schema):
    """A published practitioner profile: public fields only (never e-mail or documents)."""

    slug: str
    name: str
    credentials: str
    bio: str
    languages: list[str]
    therapies: list[str]
    conditions: list[str]
    telehealth: bool
    insurance_accepted: list[str]
    website: str
    is_demo: bool = Field(description="Synthetic demo data, not a real practitioner.")
    verified: bool = Field(description="At least one licence is currently verified.")
    verified_licences: list[VerifiedLicenceOut]
    locations: list[LocationOut]
    distance_km: float | None = Field(
        None, description="Distance to the nearest location, when searching by place."
    )
    url: str


class IdentifierIn(Schema):
    identifier: str = Field(
        min_length=1,
        max_length=40,
        description="A PubMed id (e.g. 40048119) or a ClinicalTrials.gov id (e.g. NCT05230628).",
    )


class ImportRequestOut(Schema):
    id: int
    kind: str
    identifier: str
    filename: str
    state: str
    message: str
    study: str | None = Field(description="Slug of the imported study, once there is one.")
    created_at: dt.datetime
    updated_at: dt.datetime
