"""What the platform knows about research: vocabularies, studies and their numbers.

A :class:`Study` is a moderated Wagtail snippet (drafts, revisions, locking,
workflow): imports and edits create revisions; only the published (``live``)
version is public. Its arms, per-arm results and comparisons are child rows
edited inline, and every number carries its provenance (:class:`Provenance`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.models import (
    AbstractGroupApprovalTask,
    DraftStateMixin,
    LockableMixin,
    Orderable,
    PreviewableMixin,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.search import index

from acuevidence.evidence.certainty import CertaintyLevel, Domain, RobDomain, RobLevel
from acuevidence.evidence.records import Design, ResultKind, Status
from acuevidence.research.panels import ReviewPanel

DESIGN_LABELS = {
    Design.RCT: "Randomized controlled trial",
    Design.CROSSOVER: "Randomized crossover trial",
    Design.CLUSTER: "Cluster-randomized trial",
    Design.SYSTEMATIC_REVIEW: "Systematic review",
    Design.PROTOCOL: "Trial protocol",
    Design.OBSERVATIONAL: "Observational study",
    Design.OTHER: "Other design",
}


def _choices(enum: type, labels: dict | None = None) -> list[tuple[str, str]]:
    labels = labels or {}
    return [
        (member.value, labels.get(member, member.value.replace("_", " ").capitalize()))
        for member in enum
    ]


class Vocabulary(models.Model):
    """Shared shape of the controlled vocabularies: a name, a slug and synonyms."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    synonyms = models.JSONField(
        default=list, blank=True, help_text="Other names used in papers and registries."
    )

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.slug:
            self.slug = slugify(self.name)[:200]
        super().save(*args, **kwargs)


class Condition(index.Indexed, Vocabulary):
    """A health condition; hierarchical (Stroke > Post-stroke hemiplegia)."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    mesh_id = models.CharField("MeSH id", max_length=20, blank=True)
    summary = models.TextField(blank=True, help_text="One or two plain sentences for readers.")

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("parent"),
        FieldPanel("synonyms"),
        FieldPanel("mesh_id"),
        FieldPanel("summary"),
    ]
    search_fields = [
        index.SearchField("name", boost=3),
        index.SearchField("synonyms_text"),
        index.SearchField("summary"),
        index.AutocompleteField("name"),
        index.FilterField("slug"),
    ]

    class Meta(Vocabulary.Meta):
        pass

    def get_absolute_url(self) -> str:
        """The condition's hub page when it has one, else the filtered study list."""
        hub = getattr(self, "hub", None)
        if hub is not None and hub.live:
            return hub.url
        return f"{reverse('study-list')}?condition={self.slug}"

    @property
    def synonyms_text(self) -> str:
        return " ".join(self.synonyms)

    def ancestors(self) -> list[Condition]:
        """The chain of parents, root first."""
        chain: list[Condition] = []
        node = self.parent
        while node is not None and node not in chain:
            chain.insert(0, node)
            node = node.parent
        return chain


class Therapy(Vocabulary):
    """An intervention or a comparator (sham acupuncture, usual care, waitlist ...)."""

    is_control = models.BooleanField(
        default=False, help_text="A comparator rather than an acupuncture-related therapy."
    )
    description = models.TextField(blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("synonyms"),
        FieldPanel("is_control"),
        FieldPanel("description"),
    ]

    class Meta(Vocabulary.Meta):
        verbose_name_plural = "therapies"


class OutcomeMeasure(Vocabulary):
    """A scale or event outcome, with the facts the checks and certainty rating need."""

    abbreviation = models.CharField(max_length=40, blank=True)
    scale_min = models.FloatField(null=True, blank=True)
    scale_max = models.FloatField(null=True, blank=True)
    higher_is_better = models.BooleanField(null=True, blank=True)
    minimal_important_difference = models.FloatField(
        null=True, blank=True, help_text="On the scale's own units, where published."
    )
    integer_valued = models.BooleanField(
        default=False, help_text="Item scores are whole numbers (enables the GRIM check)."
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("abbreviation"),
        FieldPanel("slug"),
        FieldPanel("synonyms"),
        FieldRowPanel([FieldPanel("scale_min"), FieldPanel("scale_max")]),
        FieldPanel("higher_is_better"),
        FieldPanel("minimal_important_difference"),
        FieldPanel("integer_valued"),
    ]

    def clean(self) -> None:
        if (
            self.scale_min is not None
            and self.scale_max is not None
            and self.scale_min >= self.scale_max
        ):
            raise ValidationError({"scale_max": "The scale's maximum must exceed its minimum."})


class Study(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    index.Indexed,
    ClusterableModel,
):
    """One trial or review, merged from all its sources, moderated before publication."""

    # A study's outgoing references (vocabularies, users) are not worth indexing, and
    # indexing them on every save would dominate bulk imports; pages that cite a study
    # are still indexed from their side, so "where is this study used" keeps working.
    wagtail_reference_index_ignore = True

    class Source(models.TextChoices):
        PUBMED = "pubmed", "PubMed"
        MEDLINE = "medline", "MEDLINE"
        RIS = "ris", "RIS file"
        CTGOV = "ctgov", "ClinicalTrials.gov"
        CSV = "csv", "CSV template"
        MANUAL = "manual", "Entered by an editor"
        PUBLISHED_REVIEW = "review", "Per-study data from a published review"

    title = models.CharField(max_length=500)
    slug = models.SlugField(max_length=120, unique=True)
    short_title = models.CharField(
        max_length=120, blank=True, help_text="For tables and plots, e.g. 'Agarwal 2000'."
    )
    pmid = models.CharField("PMID", max_length=20, blank=True, db_index=True)
    doi = models.CharField("DOI", max_length=200, blank=True, db_index=True)
    pmcid = models.CharField("PMCID", max_length=20, blank=True, db_index=True)
    registry_ids = models.JSONField(
        default=list, blank=True, help_text="Trial registry ids, e.g. NCT05230628, ChiCTR..."
    )
    authors = models.JSONField(default=list, blank=True)
    journal = models.CharField(max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    design = models.CharField(
        max_length=30, choices=_choices(Design, DESIGN_LABELS), default=Design.RCT
    )
    status = models.CharField(max_length=20, choices=_choices(Status), default=Status.COMPLETED)
    conditions = ParentalManyToManyField(Condition, blank=True, related_name="studies")
    therapies = ParentalManyToManyField(Therapy, blank=True, related_name="studies")
    sample_size = models.PositiveIntegerField(
        null=True, blank=True, help_text="Participants randomized (or planned, for ongoing trials)."
    )
    treatment_period = models.CharField(max_length=200, blank=True)
    follow_up = models.CharField(max_length=200, blank=True)
    abstract = models.TextField(blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.MANUAL)
    source_note = models.TextField(
        blank=True, help_text="Where the numbers were taken from, for readers and editors."
    )
    withdrawn = models.BooleanField(
        default=False, help_text="Retracted or deleted at source; kept, never shown as current."
    )

    population_plain = models.CharField(
        "who took part, in plain words",
        max_length=200,
        blank=True,
        help_text="A lay noun phrase, e.g. 'people who are weak on one side after a stroke'.",
    )
    intervention_plain = models.CharField(
        "treatment tested, in plain words",
        max_length=200,
        blank=True,
        help_text="Singular lay phrase, e.g. 'acupotomy added to acupuncture and usual care'.",
    )
    intervention_short = models.CharField(
        max_length=100,
        blank=True,
        help_text="Short name for repeated mentions: 'the added treatments'.",
    )
    comparator_plain = models.CharField(
        "comparison, in plain words",
        max_length=200,
        blank=True,
        help_text="e.g. 'usual care alone'.",
    )
    design_details = models.CharField(
        max_length=200, blank=True, help_text="e.g. 'single centre, not blinded'."
    )
    plain_explanations = models.TextField(
        blank=True,
        help_text="Plain sentences explaining terms the summaries use, one per line.",
    )

    key_finding = models.TextField(blank=True)
    plain_summary = models.TextField("plain-language summary", blank=True)
    technical_summary = models.TextField(blank=True)
    highlight = models.CharField(max_length=200, blank=True, help_text="One line for the feed.")

    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("key_finding"),
        index.SearchField("plain_summary"),
        index.SearchField("abstract"),
        index.FilterField("live"),
        index.FilterField("design"),
        index.FilterField("year"),
        index.RelatedFields("conditions", [index.SearchField("name")]),
    ]

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("title"),
                    FieldPanel("short_title"),
                    FieldPanel("slug"),
                    MultiFieldPanel(
                        [
                            FieldRowPanel([FieldPanel("pmid"), FieldPanel("pmcid")]),
                            FieldPanel("doi"),
                            FieldPanel("registry_ids"),
                        ],
                        heading="Identifiers",
                    ),
                    MultiFieldPanel(
                        [
                            FieldPanel("authors"),
                            FieldRowPanel([FieldPanel("journal"), FieldPanel("year")]),
                        ],
                        heading="Citation",
                    ),
                    FieldRowPanel([FieldPanel("design"), FieldPanel("status")]),
                    FieldPanel("conditions"),
                    FieldPanel("therapies"),
                    FieldRowPanel(
                        [
                            FieldPanel("sample_size"),
                            FieldPanel("treatment_period"),
                            FieldPanel("follow_up"),
                        ]
                    ),
                    FieldPanel("abstract"),
                    FieldRowPanel([FieldPanel("source"), FieldPanel("withdrawn")]),
                    FieldPanel("source_note"),
                ],
                heading="Study",
            ),
            ObjectList(
                [
                    InlinePanel("arms", heading="Arms", label="Arm"),
                    InlinePanel("results", heading="Per-arm results", label="Result"),
                    InlinePanel("comparisons", heading="Comparisons", label="Comparison"),
                ],
                heading="Numbers",
            ),
            ObjectList(
                [
                    InlinePanel(
                        "risk_of_bias",
                        heading="Risk of bias (RoB 2), one row per domain",
                        label="Domain judgment",
                        help_text="Domains without a row count as 'some concerns' and are shown "
                        "as not assessed.",
                    ),
                    InlinePanel(
                        "certainty_overrides",
                        heading="Certainty: editor's overrides",
                        label="Override",
                        help_text="Replace the computed judgment of one GRADE domain; the reason "
                        "is shown to readers next to the rating.",
                    ),
                ],
                heading="Certainty",
            ),
            ObjectList(
                [
                    MultiFieldPanel(
                        [
                            FieldPanel("population_plain"),
                            FieldPanel("intervention_plain"),
                            FieldRowPanel(
                                [FieldPanel("intervention_short"), FieldPanel("comparator_plain")]
                            ),
                            FieldPanel("design_details"),
                            FieldPanel("plain_explanations"),
                        ],
                        heading="Plain words the drafts are built from",
                    ),
                    FieldPanel("key_finding"),
                    FieldPanel("plain_summary"),
                    FieldPanel("technical_summary"),
                    FieldPanel("highlight"),
                ],
                heading="Summaries",
            ),
            ObjectList([ReviewPanel()], heading="Review"),
        ]
    )

    class Meta:
        verbose_name_plural = "studies"
        ordering = ["-year", "title"]
        indexes = [models.Index(fields=["live", "-year"], name="study_live_year")]

    def __str__(self) -> str:
        return self.short_title or self.title

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.slug:
            self.slug = unique_study_slug(self.short_title or self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("study-detail", kwargs={"slug": self.slug})

    def get_preview_template(self, request: object, mode_name: str) -> str:
        return "research/study_detail.html"

    def get_preview_context(self, request: object, mode_name: str) -> dict[str, object]:
        from acuevidence.research.selectors import study_page_context

        return study_page_context(study=self)

    @property
    def citation(self) -> str:
        """Vancouver-style citation from the stored parts."""
        authors = list(self.authors)
        if len(authors) > 6:
            authors = [*authors[:6], "et al."]
        parts = [", ".join(a for a in authors if a != "et al.")]
        if "et al." in authors:
            parts[0] += ", et al"
        parts.append(self.title.rstrip("."))
        if self.journal:
            parts.append(self.journal + (f" {self.year}" if self.year else ""))
        elif self.year:
            parts.append(str(self.year))
        return ". ".join(p for p in parts if p) + "."

    @property
    def source_text(self) -> str:
        """The text extraction reads and every stored span indexes: title, newline, abstract."""
        return f"{self.title}\n{self.abstract}"

    @property
    def is_ongoing(self) -> bool:
        return self.status == Status.ONGOING


def unique_study_slug(text: str) -> str:
    """A slug for a new study, made unique by a numeric suffix when needed."""
    base = slugify(text)[:100] or "study"
    slug, n = base, 2
    while Study.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


class Provenance(models.Model):
    """Where a number came from: a span of the study's source text, or an editor.

    The house rule is that every published number has one or the other
    (:meth:`has_provenance`).
    """

    source_label = models.CharField(
        max_length=200,
        blank=True,
        help_text="Where it was read: 'abstract', 'registry results', 'Table 2', ...",
    )
    source_quote = models.CharField(
        max_length=300, blank=True, help_text="The value exactly as printed in the source."
    )
    span_start = models.PositiveIntegerField(null=True, blank=True)
    span_end = models.PositiveIntegerField(null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed = models.BooleanField(
        default=False, help_text="An editor checked this value against its source."
    )

    class Meta:
        abstract = True

    def has_provenance(self) -> bool:
        return bool(self.source_quote or self.span_start is not None or self.entered_by_id)

    def clean(self) -> None:
        if (self.span_start is None) != (self.span_end is None):
            raise ValidationError("Give both ends of the source span, or neither.")
        if self.span_start is not None and self.span_end < self.span_start:
            raise ValidationError({"span_end": "The span must not end before it starts."})


class Arm(Provenance, Orderable):
    """A group of participants in a study and what they received."""

    study = ParentalKey(Study, on_delete=models.CASCADE, related_name="arms")
    label = models.CharField(max_length=200)
    therapy = models.ForeignKey(
        Therapy, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    n = models.PositiveIntegerField("participants", null=True, blank=True)
    description = models.TextField(blank=True)

    panels = [
        FieldRowPanel([FieldPanel("label"), FieldPanel("therapy"), FieldPanel("n")]),
        FieldPanel("description"),
        FieldRowPanel(
            [FieldPanel("source_label"), FieldPanel("source_quote"), FieldPanel("confirmed")]
        ),
    ]

    def __str__(self) -> str:
        return self.label


class Result(Provenance, Orderable):
    """One outcome in one arm at one time point, in the form it was reported."""

    study = ParentalKey(Study, on_delete=models.CASCADE, related_name="results")
    arm_label = models.CharField(max_length=200, help_text="The label of one of the study's arms.")
    outcome = models.ForeignKey(
        OutcomeMeasure, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome_label = models.CharField(max_length=300, help_text="The outcome as the paper names it.")
    timepoint = models.CharField(max_length=100, blank=True)
    kind = models.CharField(max_length=20, choices=_choices(ResultKind), default=ResultKind.MEAN_SD)
    n = models.PositiveIntegerField(null=True, blank=True)
    mean = models.FloatField(null=True, blank=True)
    sd = models.FloatField("SD", null=True, blank=True)
    median = models.FloatField(null=True, blank=True)
    q1 = models.FloatField("lower quartile", null=True, blank=True)
    q3 = models.FloatField("upper quartile", null=True, blank=True)
    events = models.PositiveIntegerField(null=True, blank=True)
    total = models.PositiveIntegerField(null=True, blank=True)
    percent = models.FloatField(null=True, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("arm_label"), FieldPanel("outcome"), FieldPanel("timepoint")]),
        FieldPanel("outcome_label"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("n"), FieldPanel("mean"), FieldPanel("sd")]),
        FieldRowPanel([FieldPanel("median"), FieldPanel("q1"), FieldPanel("q3")]),
        FieldRowPanel([FieldPanel("events"), FieldPanel("total"), FieldPanel("percent")]),
        FieldRowPanel(
            [FieldPanel("source_label"), FieldPanel("source_quote"), FieldPanel("confirmed")]
        ),
    ]

    def __str__(self) -> str:
        return f"{self.outcome_label} ({self.arm_label})"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.sd is not None and self.sd < 0:
            errors["sd"] = "An SD cannot be negative."
        if self.events is not None and self.total is not None and self.events > self.total:
            errors["events"] = "Events cannot exceed the number of participants."
        if self.percent is not None and not 0 <= self.percent <= 100:
            errors["percent"] = "A percentage lies between 0 and 100."
        if self.q1 is not None and self.q3 is not None and self.q1 > self.q3:
            errors["q3"] = "The upper quartile cannot be below the lower quartile."
        if errors:
            raise ValidationError(errors)


class Comparison(Provenance, Orderable):
    """A between-arm effect as reported: estimate, 95% CI and p-value."""

    class Measure(models.TextChoices):
        MD = "MD", "Mean difference"
        SMD = "SMD", "Standardized mean difference"
        RR = "RR", "Risk ratio"
        OR = "OR", "Odds ratio"
        HR = "HR", "Hazard ratio"
        RD = "RD", "Risk difference"

    study = ParentalKey(Study, on_delete=models.CASCADE, related_name="comparisons")
    outcome = models.ForeignKey(
        OutcomeMeasure, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome_label = models.CharField(max_length=300)
    is_primary = models.BooleanField(null=True, blank=True)
    timepoint = models.CharField(max_length=100, blank=True)
    intervention_arm = models.CharField(max_length=200, blank=True)
    control_arm = models.CharField(max_length=200, blank=True)
    measure = models.CharField(max_length=5, choices=Measure.choices, blank=True)
    measure_note = models.CharField(
        max_length=200, blank=True, help_text="What the estimate is when it is adjusted or unusual."
    )
    estimate = models.FloatField(null=True, blank=True)
    ci_lower = models.FloatField("95% CI lower", null=True, blank=True)
    ci_upper = models.FloatField("95% CI upper", null=True, blank=True)
    p_value = models.FloatField(null=True, blank=True)
    p_relation = models.CharField(
        max_length=1, choices=[("=", "="), ("<", "<"), (">", ">")], blank=True
    )
    outcome_plain = models.CharField(
        "outcome, in plain words",
        max_length=200,
        blank=True,
        help_text="e.g. 'arm movement'; the drafts use it instead of the scale's name.",
    )
    indirect = models.BooleanField(
        "indirect evidence",
        default=False,
        help_text="Population, treatment, comparison or outcome differ from the question asked.",
    )
    indirectness_reason = models.CharField(max_length=300, blank=True)
    publication_bias_suspected = models.BooleanField(default=False)
    publication_bias_reason = models.CharField(max_length=300, blank=True)
    certainty = models.CharField(
        max_length=10,
        choices=[(level.value, level.label.capitalize()) for level in CertaintyLevel],
        blank=True,
        editable=False,
        help_text="Computed GRADE-style rating, stored when the study is published.",
    )
    certainty_domains = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="Each domain's levels down, public reason and whether an editor overrode it.",
    )

    panels = [
        FieldRowPanel(
            [FieldPanel("outcome"), FieldPanel("outcome_label"), FieldPanel("is_primary")]
        ),
        FieldRowPanel(
            [FieldPanel("timepoint"), FieldPanel("intervention_arm"), FieldPanel("control_arm")]
        ),
        FieldRowPanel([FieldPanel("measure"), FieldPanel("measure_note")]),
        FieldRowPanel([FieldPanel("estimate"), FieldPanel("ci_lower"), FieldPanel("ci_upper")]),
        FieldRowPanel([FieldPanel("p_relation"), FieldPanel("p_value")]),
        FieldRowPanel(
            [FieldPanel("source_label"), FieldPanel("source_quote"), FieldPanel("confirmed")]
        ),
        FieldPanel("outcome_plain"),
        FieldRowPanel([FieldPanel("indirect"), FieldPanel("indirectness_reason")]),
        FieldRowPanel(
            [FieldPanel("publication_bias_suspected"), FieldPanel("publication_bias_reason")]
        ),
    ]

    def __str__(self) -> str:
        return f"{self.outcome_label}: {self.measure or 'effect'} {self.estimate}"

    def clean(self) -> None:
        super().clean()
        if self.ci_lower is not None and self.ci_upper is not None:
            if self.ci_lower > self.ci_upper:
                raise ValidationError(
                    {"ci_upper": "The CI's upper limit is below its lower limit."}
                )
            if self.estimate is not None and not self.ci_lower <= self.estimate <= self.ci_upper:
                raise ValidationError({"estimate": "The estimate lies outside its own CI."})
        if self.p_value is not None and not 0 <= self.p_value <= 1:
            raise ValidationError({"p_value": "A p-value lies between 0 and 1."})
        if self.measure in {"RR", "OR", "HR"} and self.ci_lower is not None and self.ci_lower <= 0:
            raise ValidationError({"ci_lower": "A ratio's CI must be above zero."})

    @property
    def ci_includes_null(self) -> bool | None:
        if self.ci_lower is None or self.ci_upper is None:
            return None
        null = 1.0 if self.measure in {"RR", "OR", "HR"} else 0.0
        return self.ci_lower <= null <= self.ci_upper

    @property
    def certainty_level(self) -> CertaintyLevel | None:
        return CertaintyLevel(self.certainty) if self.certainty else None

    @property
    def certainty_reasons(self) -> list[str]:
        """Public reasons: every domain that lowered the rating or that an editor changed."""
        return [
            f"{d['label'].capitalize()}: {d['reason']}"
            for d in self.certainty_domains
            if d.get("levels_down") or d.get("overridden")
        ]


_ROB_LEVEL_CHOICES = [(level.value, level.label.capitalize()) for level in RobLevel]
_DOMAIN_CHOICES = [(domain.value, domain.label.capitalize()) for domain in Domain]
_LEVELS_DOWN_CHOICES = [(0, "Not rated down"), (1, "Down one level"), (2, "Down two levels")]


class RiskOfBiasJudgment(Orderable):
    """An editor's RoB 2 judgment of one domain for a study (Sterne et al. 2019).

    A domain without a row is unassessed: it counts as "some concerns" in the
    certainty rating and is named as unassessed in the public reason.
    """

    study = ParentalKey(Study, on_delete=models.CASCADE, related_name="risk_of_bias")
    domain = models.CharField(
        max_length=20, choices=[(d.value, d.label.capitalize()) for d in RobDomain]
    )
    level = models.CharField(
        max_length=20, choices=_ROB_LEVEL_CHOICES, blank=True, help_text="Blank: not assessed."
    )
    support = models.CharField(
        max_length=300, blank=True, help_text="Why, in a phrase readers will see."
    )

    panels = [FieldRowPanel([FieldPanel("domain"), FieldPanel("level")]), FieldPanel("support")]

    def __str__(self) -> str:
        return f"{self.get_domain_display()}: {self.get_level_display() or 'not assessed'}"


class CertaintyOverride(Orderable):
    """An editor's judgment replacing the computed one for a GRADE domain; the reason is public."""

    study = ParentalKey(Study, on_delete=models.CASCADE, related_name="certainty_overrides")
    outcome_label = models.CharField(
        max_length=300,
        blank=True,
        help_text="The comparison's outcome label as entered under Numbers; blank for every outcome.",
    )
    domain = models.CharField(max_length=20, choices=_DOMAIN_CHOICES)
    levels_down = models.PositiveSmallIntegerField(choices=_LEVELS_DOWN_CHOICES)
    reason = models.TextField(help_text="Shown to readers next to the rating.")

    panels = [
        FieldRowPanel(
            [FieldPanel("outcome_label"), FieldPanel("domain"), FieldPanel("levels_down")]
        ),
        FieldPanel("reason"),
    ]

    def clean(self) -> None:
        if not self.reason.strip():
            raise ValidationError({"reason": "An override needs a written reason."})


class GeneratedText(models.Model):
    """Append-only record of every automated draft of a study's summary texts.

    Comparing a study's current text with the latest generated one tells whether the
    text is the automated draft as generated or was edited by a person.
    """

    FIELDS = ("key_finding", "plain_summary", "technical_summary", "highlight")

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="generated_texts")
    field = models.CharField(max_length=30, choices=[(f, f.replace("_", " ")) for f in FIELDS])
    text = models.TextField()
    reading_grade = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.study} {self.field} ({self.created_at:%Y-%m-%d})"


class ReviewTask(AbstractGroupApprovalTask):
    """Group approval in which the person who submitted the study cannot approve it.

    The rule itself lives in :mod:`acuevidence.research.workflow`; approval then
    records the reviewer and refreshes the syntheses through the publish service.
    """

    def get_actions(self, obj: object, user: object) -> list[tuple[str, str, bool]]:
        from acuevidence.research import workflow

        actions = super().get_actions(obj, user)
        if workflow.is_submitter(obj=obj, user=user):
            return [a for a in actions if a[0] != "approve"]
        return actions

    def on_action(
        self, task_state: object, user: object, action_name: str, **kwargs: object
    ) -> None:
        from acuevidence.research import workflow

        if action_name == "approve":
            workflow.review_approve(task=self, task_state=task_state, user=user, **kwargs)
        else:
            super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls) -> str:
        return "Members of the chosen groups approve, but never their own submission."

    class Meta:
        verbose_name = "second-person review task"
        verbose_name_plural = "second-person review tasks"


class ComparatorType(models.TextChoices):
    SHAM = "sham", "Sham or placebo"
    USUAL_CARE = "usual_care", "Usual care or no treatment"
    ACTIVE = "active", "Another active treatment"


class ConditionSynthesis(ClusterableModel):
    """The living pooled evidence for one condition, outcome and type of comparator.

    Editors set the plain words and the certainty judgments that need a person;
    every recomputation adds a :class:`SynthesisVersion`, so earlier results stay readable.
    """

    condition = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="syntheses")
    outcome = models.ForeignKey(OutcomeMeasure, on_delete=models.PROTECT, related_name="+")
    comparator_type = models.CharField(max_length=20, choices=ComparatorType.choices)
    intervention_plain = models.CharField(max_length=200, blank=True)
    comparator_plain = models.CharField(max_length=200, blank=True)
    population_plain = models.CharField(max_length=200, blank=True)
    outcome_plain = models.CharField(max_length=200, blank=True)
    plain_explanations = models.TextField(blank=True, help_text="One plain sentence per line.")
    indirect = models.BooleanField("indirect evidence", default=False)
    indirectness_reason = models.CharField(max_length=300, blank=True)
    publication_bias_suspected = models.BooleanField(default=False)
    publication_bias_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("condition", read_only=True),
        FieldPanel("outcome", read_only=True),
        FieldPanel("comparator_type", read_only=True),
        MultiFieldPanel(
            [
                FieldPanel("population_plain"),
                FieldPanel("intervention_plain"),
                FieldPanel("comparator_plain"),
                FieldPanel("outcome_plain"),
                FieldPanel("plain_explanations"),
            ],
            heading="Plain words",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("indirect"), FieldPanel("indirectness_reason")]),
                FieldRowPanel(
                    [
                        FieldPanel("publication_bias_suspected"),
                        FieldPanel("publication_bias_reason"),
                    ]
                ),
                InlinePanel("overrides", label="Override"),
            ],
            heading="Certainty judgments",
        ),
    ]

    class Meta:
        verbose_name_plural = "condition syntheses"
        ordering = ["condition__name", "outcome__name", "comparator_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["condition", "outcome", "comparator_type"], name="one_synthesis_per_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.condition}: {self.outcome} vs {self.get_comparator_type_display().lower()}"

    @property
    def latest_version(self) -> SynthesisVersion | None:
        return self.versions.order_by("-number").first()


class SynthesisOverride(Orderable):
    """An editor's override of one GRADE domain for a synthesis; the reason is public."""

    synthesis = ParentalKey(ConditionSynthesis, on_delete=models.CASCADE, related_name="overrides")
    domain = models.CharField(max_length=20, choices=_DOMAIN_CHOICES)
    levels_down = models.PositiveSmallIntegerField(choices=_LEVELS_DOWN_CHOICES)
    reason = models.TextField()

    panels = [
        FieldRowPanel([FieldPanel("domain"), FieldPanel("levels_down")]),
        FieldPanel("reason"),
    ]


class SynthesisVersion(models.Model):
    """One computation of a synthesis, kept for good: its date, inputs, result and texts.

    ``studies`` holds each contributing study's slug, label and the numbers used;
    ``changes`` says in words what differs from the previous version. The texts are
    automated until an editor approves the version (``approved_at``); an editor may edit
    them first (``words_edited_by``), and then a different person approves.
    """

    synthesis = models.ForeignKey(
        ConditionSynthesis, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    trigger = models.CharField(max_length=300)
    changes = models.JSONField(default=list)
    studies = models.JSONField(default=list)
    k = models.PositiveIntegerField()
    participants = models.PositiveIntegerField()
    measure = models.CharField(max_length=5)
    method = models.CharField(max_length=200, blank=True)
    estimate = models.FloatField(null=True, blank=True)
    ci_lower = models.FloatField(null=True, blank=True)
    ci_upper = models.FloatField(null=True, blank=True)
    p_value = models.FloatField(null=True, blank=True)
    i2 = models.FloatField(null=True, blank=True)
    tau2 = models.FloatField(null=True, blank=True)
    pi_lower = models.FloatField(
        null=True, blank=True, help_text="95% prediction interval (random effects), if computed."
    )
    pi_upper = models.FloatField(null=True, blank=True)
    egger_p = models.FloatField(null=True, blank=True)
    certainty = models.CharField(
        max_length=10,
        choices=[(level.value, level.label.capitalize()) for level in CertaintyLevel],
        blank=True,
    )
    certainty_domains = models.JSONField(default=list)
    key_finding = models.TextField(blank=True)
    what_it_means = models.TextField(blank=True)
    plain_summary = models.TextField(blank=True)
    technical_summary = models.TextField(blank=True)
    forest_svg = models.TextField(blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    words_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who last changed the texts; they cannot approve them.",
    )
    words_edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["synthesis", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["synthesis", "number"], name="one_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.synthesis} v{self.number}"

    @property
    def pooled(self) -> bool:
        return self.estimate is not None

    @property
    def texts_approved(self) -> bool:
        """The texts were approved by an editor (and not changed since)."""
        return self.approved_at is not None

    @property
    def certainty_reasons(self) -> list[str]:
        return [
            f"{d['label'].capitalize()}: {d['reason']}"
            for d in self.certainty_domains
            if d.get("levels_down") or d.get("overridden")
        ]
