"""One search across studies, articles, conditions and practitioners.

Text matching goes through Wagtail's search backend (the database backend:
SQLite FTS5 by default, PostgreSQL full-text search in production; the
OpenSearch/Elasticsearch backend is a settings change, see docs/search.md).

Synonyms come from the controlled vocabularies: a query that names a condition
by any of its names ("hemiparesis" is a word of "hemiparesis after stroke") is
expanded with the condition's name and synonyms, and studies and practitioners
tagged with that condition (or a narrower one) are found even when their text
uses other words. Results are grouped by kind, each group in relevance order:
text matches first (backend ranking), then the tagged items newest first.
Facets (condition, therapy, design, year, certainty) count the study hits and filter them;
a study counts under every certainty level one of its comparisons was rated at.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.safestring import SafeString
from wagtail.search.backends import get_search_backend
from wagtail.search.query import Or, Phrase, PlainText, SearchQuery

from acuevidence.content.models import ArticlePage
from acuevidence.directory.models import Practitioner
from acuevidence.directory.selectors import conditions_relevant_to, public_practitioners
from acuevidence.evidence.certainty import CertaintyLevel
from acuevidence.research.models import Condition, Study
from acuevidence.research.selectors import condition_with_descendants, published_studies
from acuevidence.search.highlight import matches, snippet, words

MAX_STUDY_HITS = 200
MAX_OTHER_HITS = 10
FACETS = ("condition", "therapy", "design", "year", "certainty")
CERTAINTY_LABELS = {level.value: level.label.capitalize() for level in CertaintyLevel}


@dataclass(frozen=True)
class Hit:
    item: object
    snippet: SafeString


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchResults:
    query: str
    conditions: list[Condition] = field(default_factory=list)
    studies: list[Hit] = field(default_factory=list)
    study_total: int = 0
    articles: list[Hit] = field(default_factory=list)
    practitioners: list[Hit] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    synonyms: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.conditions or self.studies or self.articles or self.practitioners)


def _names(condition: Condition) -> list[str]:
    return [condition.name, *condition.synonyms]


def conditions_named(query: str) -> list[Condition]:
    """Conditions the query names: a name or synonym inside the query, or the query inside one.

    Word-based and stopword-free, so "hemiparesis" names post-stroke hemiplegia
    (synonym "hemiparesis after stroke") and "acupuncture for knee osteoarthritis"
    names knee osteoarthritis.
    """
    query_words = words(query)
    if not query_words:
        return []
    query_set = set(query_words)
    named: list[Condition] = []
    whole: list[Condition] = []  # a whole name or synonym appears in the query
    for condition in Condition.objects.order_by("name"):
        name_sets = [set(words(name)) for name in _names(condition)]
        if any(n and n <= query_set for n in name_sets):
            named.append(condition)
            whole.append(condition)
        elif any(n and query_set <= n for n in name_sets):
            named.append(condition)
    # "low back pain" names chronic low back pain, not every kind of pain: the broader
    # ancestors of a condition named in full are dropped.
    broader = {a.pk for c in whole for a in c.ancestors()}
    return [c for c in named if c.pk not in broader]


def _expanded(query: str, conditions: list[Condition], *, operator: str) -> SearchQuery:
    text = PlainText(query, operator=operator)
    phrases = {n.lower() for c in conditions for n in _names(c)}
    if not phrases:
        return text
    return Or([text, *(Phrase(p) for p in sorted(phrases))])


def _backend_hits(query: SearchQuery, queryset: QuerySet, limit: int) -> list:
    backend = get_search_backend()
    return list(backend.search(query, queryset)[:limit])


def _study_snippet(study: Study, terms: list[str]) -> SafeString:
    fields = (study.key_finding, study.highlight, study.plain_summary, study.abstract, study.title)
    text = next((f for f in fields if f and matches(f, terms)), None)
    return snippet(text or study.highlight or study.key_finding or study.title, terms)


def _facet_filter(studies: QuerySet[Study], selected: dict[str, str]) -> QuerySet[Study]:
    if slug := selected.get("condition"):
        condition = Condition.objects.filter(slug=slug).first()
        scope = condition_with_descendants(condition) if condition else []
        studies = studies.filter(conditions__in=scope)
    if slug := selected.get("therapy"):
        studies = studies.filter(therapies__slug=slug)
    if design := selected.get("design"):
        studies = studies.filter(design=design)
    if (year := selected.get("year", "")).isdigit():
        studies = studies.filter(year=int(year))
    if (level := selected.get("certainty")) in CERTAINTY_LABELS:
        studies = studies.filter(comparisons__certainty=level)
    return studies.distinct()


def _facets(studies: list[Study], selected: dict[str, str]) -> dict[str, list[FacetValue]]:
    counts: dict[str, Counter[tuple[str, str]]] = {name: Counter() for name in FACETS}
    design_labels = dict(Study._meta.get_field("design").choices)
    for study in studies:
        counts["condition"].update((c.slug, c.name) for c in study.conditions.all())
        counts["therapy"].update((t.slug, t.name) for t in study.therapies.all())
        counts["design"][(study.design, str(design_labels.get(study.design, study.design)))] += 1
        if study.year:
            counts["year"][(str(study.year), str(study.year))] += 1
        levels = {c.certainty for c in study.comparisons.all() if c.certainty}
        counts["certainty"].update((level, CERTAINTY_LABELS[level]) for level in levels)
    facets = {}
    for name, counter in counts.items():
        ordered = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0][1]))
        if name == "year":
            ordered = sorted(counter.items(), key=lambda kv: kv[0][0], reverse=True)
        facets[name] = [
            FacetValue(value, label, count, selected.get(name) == value)
            for (value, label), count in ordered
        ]
    return facets


def _studies(
    query: SearchQuery, conditions: list[Condition], terms: list[str], selected: dict[str, str]
) -> tuple[list[Hit], int, dict[str, list[FacetValue]]]:
    ranked = [s.pk for s in _backend_hits(query, Study.objects.filter(live=True), MAX_STUDY_HITS)]
    if conditions:
        scope = {c.pk for named in conditions for c in condition_with_descendants(named)}
        tagged = (
            published_studies()
            .filter(conditions__in=scope)
            .exclude(pk__in=ranked)
            .order_by("-year", "title")
            .values_list("pk", flat=True)
            .distinct()
        )
        ranked += list(tagged[:MAX_STUDY_HITS])
    public = (
        published_studies()
        .filter(pk__in=ranked)
        .prefetch_related("conditions", "therapies", "comparisons")
    )
    by_pk = {s.pk: s for s in public}
    facet_ids = set(_facet_filter(public, selected).values_list("pk", flat=True))
    found = [by_pk[pk] for pk in dict.fromkeys(ranked) if pk in by_pk and pk in facet_ids]
    hits = [Hit(s, _study_snippet(s, terms)) for s in found]
    return hits, len(found), _facets(found, selected)


def _practitioners(query: SearchQuery, conditions: list[Condition], terms: list[str]) -> list[Hit]:
    text = _backend_hits(query, Practitioner.objects.filter(is_published=True), MAX_OTHER_HITS)
    ordered = [p.pk for p in text]
    for condition in conditions:
        relevant = public_practitioners().filter(conditions__in=conditions_relevant_to(condition))
        ordered += list(relevant.order_by("name").values_list("pk", flat=True).distinct())
    ordered = list(dict.fromkeys(ordered))[:MAX_OTHER_HITS]
    by_pk = public_practitioners().in_bulk(ordered)
    return [
        Hit(by_pk[pk], snippet(by_pk[pk].bio or by_pk[pk].credentials, terms))
        for pk in ordered
        if pk in by_pk
    ]


def _articles(query: SearchQuery, conditions: list[Condition], terms: list[str]) -> list[Hit]:
    text = list(ArticlePage.objects.live().public().search(query)[:MAX_OTHER_HITS])
    tagged = ArticlePage.objects.live().public().filter(related_conditions__in=conditions)
    pages = list(dict.fromkeys([*text, *tagged.distinct()]))[:MAX_OTHER_HITS]
    return [Hit(page, snippet(page.lede, terms)) for page in pages]


def site_search(query: str, *, selected: dict[str, str] | None = None) -> SearchResults:
    """Everything public that matches ``query``; ``selected`` holds chosen facet values."""
    query = " ".join(query.split())[:200]
    results = SearchResults(query=query)
    if not words(query):
        return results
    selected = {k: v for k, v in (selected or {}).items() if k in FACETS and v}
    conditions = conditions_named(query)
    terms = [*words(query), *(w for c in conditions for n in _names(c) for w in words(n))]
    results.conditions = conditions
    results.synonyms = sorted(
        {n for c in conditions for n in _names(c)} - {query.lower()}, key=str.lower
    )
    # Every word must match; when nothing does, any word may ("nausea after surgery").
    for operator in ("and", "or"):
        expanded = _expanded(query, conditions, operator=operator)
        results.studies, results.study_total, results.facets = _studies(
            expanded, conditions, terms, selected
        )
        results.articles = _articles(expanded, conditions, terms)
        results.practitioners = _practitioners(expanded, conditions, terms)
        if results.studies:
            break
    return results
