"""Reads of the public directory: radius search, listings, profiles and a practitioner's own data.

Radius search runs in two steps (see :mod:`acuevidence.evidence.geo`): an indexed
bounding-box prefilter on ``Location(latitude, longitude)``, then the exact
great-circle (haversine) distance computed in SQL, so filtering, "nearest location
per practitioner", sorting and pagination all happen in the database.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    Exists,
    F,
    FloatField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    Window,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Sin, Sqrt
from django.utils import timezone

from acuevidence.directory.listing import delimited
from acuevidence.directory.models import (
    Licence,
    ListingEntry,
    Location,
    Practitioner,
    VerificationEvent,
    VerificationRequest,
    latitude_band,
)
from acuevidence.directory.places import Place
from acuevidence.evidence.geo import EARTH_RADIUS_KM, Unit, bounding_box, haversine_km
from acuevidence.research.models import Condition, Therapy
from acuevidence.research.selectors import condition_with_descendants

RADIUS_CHOICES = (5, 10, 25, 50, 100)
DEFAULT_RADIUS = 25
AT_RADIUS_TOLERANCE_KM = 1e-6
"""A location exactly at the radius is included; 1 mm absorbs floating-point rounding."""

Sort = Literal["distance", "name"]


@dataclass(frozen=True)
class SearchCriteria:
    """What the reader asked for; ``origin`` is None for a listing without a place."""

    origin: Place | None = None
    radius: float = DEFAULT_RADIUS
    unit: Unit = Unit.MILES
    condition: Condition | None = None
    therapy: Therapy | None = None
    language: str = ""
    telehealth: bool = False
    verified_only: bool = False
    sort: Sort = "distance"

    @property
    def radius_km(self) -> float:
        return self.unit.to_km(self.radius)


@dataclass(frozen=True)
class SearchHit:
    """One practitioner in the results, at their nearest location when a place was given."""

    practitioner: Practitioner
    verified_licences: list[Licence]
    location: Location | None = None
    distance_km: float | None = None
    distance: float | None = None
    other_locations: list[Location] = field(default_factory=list)


def listing_practitioners() -> QuerySet[Practitioner]:
    """Published profiles with what a result card shows prefetched (no therapies)."""
    return Practitioner.objects.filter(is_published=True).prefetch_related(
        "locations",
        "conditions",
        Prefetch(
            "licences",
            queryset=Licence.objects.prefetch_related(
                Prefetch(
                    "verifications",
                    queryset=VerificationEvent.objects.order_by("-performed_at"),
                    to_attr="prefetched_verifications",
                )
            ),
        ),
    )


def public_practitioners() -> QuerySet[Practitioner]:
    """Published profiles with everything a profile page shows prefetched."""
    return listing_practitioners().prefetch_related("therapies")


def conditions_relevant_to(condition: Condition) -> list[Condition]:
    """A condition, its broader ancestors and its narrower descendants.

    A practitioner experienced in "Stroke" is relevant to a reader with post-stroke
    hemiplegia, and one experienced in post-stroke hemiplegia to a reader with stroke.
    """
    return [*condition.ancestors(), *condition_with_descendants(condition)]


def _listing_filters(criteria: SearchCriteria) -> Q:
    """The reader's filters as conditions on :class:`ListingEntry` columns alone."""
    q = Q()
    if criteria.condition is not None:
        any_relevant = Q()
        for condition in conditions_relevant_to(criteria.condition):
            any_relevant |= Q(conditions__contains=delimited(condition.pk))
        q &= any_relevant
    if criteria.therapy is not None:
        q &= Q(therapies__contains=delimited(criteria.therapy.pk))
    if criteria.language:
        q &= Q(languages__contains=delimited(criteria.language))
    if criteria.telehealth:
        q &= Q(telehealth=True)
    if criteria.verified_only:
        q &= Q(badge_until__gte=timezone.localdate())
    return q


def haversine_sql(lat: float, lon: float) -> Combinable:
    """Great-circle distance in km from (lat, lon) to the row's coordinates, in SQL."""
    phi = math.radians(lat)
    half_dphi = (Radians(F("latitude")) - Value(phi)) / Value(2.0)
    half_dlmb = (Radians(F("longitude")) - Value(math.radians(lon))) / Value(2.0)
    a = Power(Sin(half_dphi), 2) + Value(math.cos(phi)) * Cos(Radians(F("latitude"))) * Power(
        Sin(half_dlmb), 2
    )
    return Value(2 * EARTH_RADIUS_KM) * ASin(Least(Value(1.0), Sqrt(a)))


def _bounding_box_q(place: Place, radius_km: float) -> Q:
    """The box around the circle, as the latitude bands it spans and its longitude ranges.

    Listing the bands lets the ``listing_geo`` index read each band's slice of the box
    (band, then longitude) instead of a whole band of latitude around the globe.
    """
    box = bounding_box(place.latitude, place.longitude, radius_km + 0.001)
    bands = list(range(latitude_band(box.min_lat), latitude_band(box.max_lat) + 1))
    longitudes = Q()
    for low, high in box.lon_ranges:
        longitudes |= Q(longitude__gte=low, longitude__lte=high)
    return (
        Q(latitude_band__in=bands)
        & longitudes
        & Q(latitude__gte=box.min_lat, latitude__lte=box.max_lat)
    )


def practitioner_search(*, criteria: SearchCriteria) -> QuerySet[Any]:
    """Rows ``{"practitioner_id", "distance"}`` in result order; lazy, for a paginator.

    With a place: one row per practitioner with a location within the radius, at
    the distance of the nearest such location (km). Without: every matching
    practitioner by name, ``distance`` None. Reads :class:`ListingEntry` only.
    """
    rows = (
        ListingEntry.objects.filter(_listing_filters(criteria))
        .values("practitioner_id", "name")
        .order_by()
    )
    if criteria.origin is None:
        return rows.annotate(
            locations=Count("pk"), distance=Value(None, output_field=FloatField())
        ).order_by("name", "practitioner_id")
    origin = criteria.origin
    rows = (
        rows.filter(_bounding_box_q(origin, criteria.radius_km))
        .annotate(distance=Min(haversine_sql(origin.latitude, origin.longitude)))
        .filter(distance__lte=criteria.radius_km + AT_RADIUS_TOLERANCE_KM)
    )
    if criteria.sort == "name":
        return rows.order_by("name", "distance", "practitioner_id")
    return rows.order_by("distance", "name", "practitioner_id")


def search_page(*, criteria: SearchCriteria, number: object, per_page: int) -> Page:
    """One page of :func:`practitioner_search` rows, counted in the same query.

    The total comes from ``COUNT(*) OVER ()`` on the page's rows, so the search
    runs once per page view rather than once for the count and once for the rows.
    A page number past the end gives the last page.
    """
    rows = practitioner_search(criteria=criteria).annotate(total=Window(Count("*")))
    try:
        wanted = max(1, int(str(number)))
    except ValueError:
        wanted = 1
    items = list(rows[(wanted - 1) * per_page : wanted * per_page])
    if items:
        total = items[0]["total"]
    else:
        total = rows.count() if wanted > 1 else 0
        wanted = max(1, -(-total // per_page))
        items = list(rows[(wanted - 1) * per_page : wanted * per_page]) if total else []
    paginator = Paginator(rows, per_page)
    paginator.count = total  # type: ignore[misc]  # known already; skip the COUNT query
    return Page(items, wanted, paginator)


def search_hits(*, rows: list[dict[str, Any]], criteria: SearchCriteria) -> list[SearchHit]:
    """The practitioners behind one page of :func:`practitioner_search` rows, in row order."""
    by_id = listing_practitioners().in_bulk([row["practitioner_id"] for row in rows])
    hits = []
    for row in rows:
        practitioner = by_id.get(row["practitioner_id"])
        if practitioner is None:  # unpublished between the two queries
            continue
        verified = verified_licences(practitioner)
        locations = list(practitioner.locations.all())
        if criteria.origin is None:
            hits.append(SearchHit(practitioner, verified, other_locations=locations))
            continue
        origin = criteria.origin
        nearest = min(
            locations,
            key=lambda loc: haversine_km(
                origin.latitude, origin.longitude, loc.latitude, loc.longitude
            ),
        )
        hits.append(
            SearchHit(
                practitioner,
                verified,
                location=nearest,
                distance_km=row["distance"],
                distance=criteria.unit.from_km(row["distance"]),
                other_locations=[loc for loc in locations if loc != nearest],
            )
        )
    return hits


def verified_licences(practitioner: Practitioner) -> list[Licence]:
    """The practitioner's licences that currently back the verified badge."""
    return [licence for licence in practitioner.licences.all() if licence.is_verified()]


FILTER_CHOICES_CACHE_KEY = "directory:filter-choices"
FILTER_CHOICES_SECONDS = 600


@dataclass(frozen=True)
class FilterChoices:
    """What the search form offers: (slug, name) pairs in display order, and languages.

    Plain values, cached as they are, so a search page renders its filters without
    loading a model instance per condition; the form validates a chosen slug against
    the querysets, which query only when a value was submitted.
    """

    conditions: list[tuple[str, str]]
    therapies: list[tuple[str, str]]
    languages: list[str]

    @property
    def condition_queryset(self) -> QuerySet[Condition]:
        return Condition.objects.filter(slug__in=[slug for slug, _ in self.conditions])

    @property
    def therapy_queryset(self) -> QuerySet[Therapy]:
        return Therapy.objects.filter(slug__in=[slug for slug, _ in self.therapies])


def _with_published_practitioners(
    model: type[Condition] | type[Therapy],
) -> list[tuple[str, str]]:
    """(slug, name) of ``model`` rows (conditions or therapies) a published practitioner lists.

    One ``EXISTS`` probe per vocabulary entry (tens of rows), each answered by the
    many-to-many table's index, rather than a scan of every practitioner.
    """
    through = (Practitioner.conditions if model is Condition else Practitioner.therapies).through
    column = f"{model._meta.model_name}_id"
    listed = through.objects.filter(**{column: OuterRef("pk")}, practitioner__is_published=True)
    return list(model.objects.filter(Exists(listed)).values_list("slug", "name"))


def _filter_choices_compute() -> FilterChoices:
    """Conditions and therapies, and the languages, that published practitioners have.

    Languages come from the distinct language lists (a few dozen combinations however
    many practitioners there are).
    """
    lists = (
        Practitioner.objects.filter(is_published=True)
        .order_by()  # the model's default ordering would make every row distinct
        .values_list("languages", flat=True)
        .distinct()
    )
    languages = {language for entry in lists for language in entry or []}
    return FilterChoices(
        conditions=_with_published_practitioners(Condition),
        therapies=_with_published_practitioners(Therapy),
        languages=sorted(languages),
    )


def filter_choices() -> FilterChoices:
    """Conditions, therapies and languages that at least one published practitioner has.

    Cached for a few minutes: a new language appearing in the filter a little late is
    harmless, a slow search page is not.
    """
    return cache.get_or_set(
        FILTER_CHOICES_CACHE_KEY, _filter_choices_compute, FILTER_CHOICES_SECONDS
    )


def practitioner_json_ld(*, practitioner: Practitioner, url: str) -> dict[str, Any]:
    """schema.org description of a profile: Physician for medical doctors, else MedicalBusiness."""
    is_physician = any(
        part.strip().rstrip(".").upper() in {"MD", "DO"}
        for part in practitioner.credentials.split(",")
    )
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Physician" if is_physician else "MedicalBusiness",
        "name": practitioner.name,
        "url": url,
        "knowsLanguage": practitioner.languages,
        "location": [
            {
                "@type": "Place",
                "name": loc.name or practitioner.name,
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": loc.address,
                    "addressLocality": loc.city,
                    "addressRegion": loc.region,
                    "postalCode": loc.postal_code,
                    "addressCountry": loc.country,
                },
                "geo": {
                    "@type": "GeoCoordinates",
                    "latitude": loc.latitude,
                    "longitude": loc.longitude,
                },
            }
            for loc in practitioner.locations.all()
        ],
    }
    if is_physician:
        # schema.org defines availableService on Physician (and clinics), not on MedicalBusiness.
        data["availableService"] = [
            {"@type": "MedicalTherapy", "name": t.name} for t in practitioner.therapies.all()
        ]
    if practitioner.credentials:
        data["hasCredential"] = practitioner.credentials
    if practitioner.website:
        data["sameAs"] = practitioner.website
    if practitioner.insurance_accepted:
        data["paymentAccepted"] = ", ".join(practitioner.insurance_accepted)
    if practitioner.is_demo:
        data["description"] = "Demo data: a synthetic profile, not a real practitioner."
    return data


def practitioner_own_data(*, practitioner: Practitioner | None, user: Any) -> dict[str, Any]:
    """Everything we hold about a practitioner account, for the "download my data" export."""
    data: dict[str, Any] = {
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
        },
        "profile": None,
    }
    if practitioner is None:
        return data
    data["profile"] = {
        "name": practitioner.name,
        "slug": practitioner.slug,
        "credentials": practitioner.credentials,
        "bio": practitioner.bio,
        "email": practitioner.email,
        "languages": practitioner.languages,
        "therapies": [t.name for t in practitioner.therapies.all()],
        "conditions": [c.name for c in practitioner.conditions.all()],
        "telehealth": practitioner.telehealth,
        "insurance_accepted": practitioner.insurance_accepted,
        "website": practitioner.website,
        "is_published": practitioner.is_published,
        "locations": [
            {
                "name": loc.name,
                "address": loc.address,
                "city": loc.city,
                "region": loc.region,
                "postal_code": loc.postal_code,
                "country": loc.country,
                "latitude": loc.latitude,
                "longitude": loc.longitude,
            }
            for loc in practitioner.locations.all()
        ],
        "licences": [
            {
                "jurisdiction": lic.jurisdiction,
                "board": lic.board,
                "number": lic.number,
                "type": lic.licence_type,
                "status": lic.status,
                "issued_on": lic.issued_on.isoformat() if lic.issued_on else None,
                "expires_on": lic.expires_on.isoformat() if lic.expires_on else None,
                "verifications": [
                    {
                        "method": ev.method,
                        "result": ev.result,
                        "performed_at": ev.performed_at.isoformat(),
                        "evidence_note": ev.evidence_note,
                    }
                    for ev in lic.verifications.order_by("performed_at")
                ],
            }
            for lic in practitioner.licences.all()
        ],
        "certifications": [
            {"body": c.body, "title": c.title, "number": c.number}
            for c in practitioner.certifications.all()
        ],
        "requests": [
            {
                "kind": r.kind,
                "status": r.status,
                "created_at": r.created_at.isoformat(),
                "details": r.details,
                "document": r.document.name.rsplit("/", 1)[-1] if r.document else None,
            }
            for r in practitioner.verification_requests.all()
        ],
    }
    return data


def open_requests(*, kind: str | None = None) -> QuerySet[VerificationRequest]:
    """The staff queue: open requests, oldest first."""
    queue = VerificationRequest.objects.filter(
        status=VerificationRequest.Status.OPEN
    ).select_related("practitioner", "licence", "requested_by")
    return queue.filter(kind=kind) if kind else queue
