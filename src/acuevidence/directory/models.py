"""The practitioner directory: who practises where, and which licence backs the badge.

A practitioner is "verified" only while one of their licences is active, not
expired, and has a successful verification event that is still current
(:meth:`Licence.is_verified`). Verification events are append-only: they are
never edited, a new event supersedes an old one.
"""

from __future__ import annotations

import datetime as dt
import math
import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.search import index

from acuevidence.directory import conf
from acuevidence.research.models import Condition, Therapy

VERIFICATION_VALID_FOR = dt.timedelta(days=365)


class Practitioner(index.Indexed, ClusterableModel):
    """A licensed practitioner's public profile (the e-mail address is never shown)."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    credentials = models.CharField(
        max_length=200, blank=True, help_text="e.g. L.Ac., Dipl. Ac. (NCCAOM), MD"
    )
    bio = models.TextField(blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    languages = models.JSONField(default=list, blank=True)
    therapies = ParentalManyToManyField(Therapy, blank=True, related_name="practitioners")
    conditions = ParentalManyToManyField(
        Condition, blank=True, related_name="practitioners", verbose_name="conditions of experience"
    )
    telehealth = models.BooleanField(default=False)
    insurance_accepted = models.JSONField(default=list, blank=True)
    website = models.URLField(blank=True)
    email = models.EmailField(blank=True, help_text="Private: used for contact forms only.")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practitioner",
    )
    is_published = models.BooleanField(default=True)
    is_demo = models.BooleanField(
        default=False, help_text="Synthetic demo data; always labelled as such on the site."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("credentials"),
        FieldPanel("bio"),
        FieldPanel("photo"),
        FieldPanel("languages"),
        FieldPanel("therapies"),
        FieldPanel("conditions"),
        FieldRowPanel(
            [FieldPanel("telehealth"), FieldPanel("is_published"), FieldPanel("is_demo")]
        ),
        FieldPanel("insurance_accepted"),
        FieldPanel("website"),
        FieldPanel("email"),
        FieldPanel("user"),
        InlinePanel("locations", heading="Practice locations", label="Location"),
    ]
    search_fields = [
        index.SearchField("name", boost=3),
        index.SearchField("credentials"),
        index.SearchField("bio"),
        index.FilterField("is_published"),
        index.RelatedFields("conditions", [index.SearchField("name")]),
        index.RelatedFields("therapies", [index.SearchField("name")]),
    ]

    class Meta:
        ordering = ["name"]
        # Radius search joins each location in the box to its practitioner for these two
        # columns; on PostgreSQL this covering index answers that without heap reads.
        indexes = [
            models.Index(
                fields=["id"], include=["is_published", "name"], name="practitioner_search"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.slug:
            base = slugify(self.name)[:200] or "practitioner"
            slug, n = base, 2
            while Practitioner.objects.filter(slug=slug).exists():
                slug, n = f"{base}-{n}", n + 1
            self.slug = slug
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("practitioner-detail", kwargs={"slug": self.slug})


class Location(models.Model):
    """A practice address with its coordinates (used by radius search)."""

    practitioner = ParentalKey(Practitioner, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(max_length=200, blank=True, help_text="e.g. the clinic's name")
    address = models.CharField(max_length=300, blank=True)
    city = models.CharField(max_length=120)
    region = models.CharField("state or region", max_length=80, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, default="US")
    latitude = models.FloatField(validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.FloatField(validators=[MinValueValidator(-180), MaxValueValidator(180)])

    panels = [
        FieldPanel("name"),
        FieldPanel("address"),
        FieldRowPanel([FieldPanel("city"), FieldPanel("region"), FieldPanel("postal_code")]),
        FieldRowPanel([FieldPanel("country"), FieldPanel("latitude"), FieldPanel("longitude")]),
    ]

    class Meta:
        # The bounding-box prefilter; on PostgreSQL the practitioner id is included so the
        # search reads the index only (an index-only scan), never the table's heap pages.
        indexes = [
            models.Index(
                fields=["latitude", "longitude"],
                include=["practitioner"],
                name="location_box",
            )
        ]

    def __str__(self) -> str:
        return ", ".join(p for p in (self.name, self.city, self.region) if p)


class Licence(models.Model):
    """A licence to practise, issued by a board in one jurisdiction."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        EXPIRED = "expired", "Expired"
        LAPSED = "lapsed", "Lapsed (verification no longer current)"
        SUSPENDED = "suspended", "Suspended"
        REVOKED = "revoked", "Revoked"

    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.CASCADE, related_name="licences"
    )
    jurisdiction = models.CharField(max_length=100, help_text="e.g. California, US-CA")
    board = models.CharField(max_length=200, help_text="e.g. California Acupuncture Board")
    number = models.CharField(max_length=60)
    licence_type = models.CharField(max_length=100, blank=True, default="Licensed Acupuncturist")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    issued_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    verified_until = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text=(
            "Last day the latest verification event backs the badge; empty when that event "
            "is not a success. Kept by directory.services.licence_verify, so a search can "
            "filter on one indexed column instead of looking up each licence's events."
        ),
    )

    panels = [
        FieldPanel("practitioner"),
        FieldRowPanel([FieldPanel("jurisdiction"), FieldPanel("board")]),
        FieldRowPanel([FieldPanel("number"), FieldPanel("licence_type"), FieldPanel("status")]),
        FieldRowPanel([FieldPanel("issued_on"), FieldPanel("expires_on")]),
    ]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["board", "number"], name="licence_unique_per_board")
        ]
        indexes = [
            models.Index(
                fields=["practitioner", "verified_until"],
                include=["status", "expires_on"],
                name="licence_badge",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.board})"

    def clean(self) -> None:
        if self.issued_on and self.expires_on and self.expires_on < self.issued_on:
            raise ValidationError({"expires_on": "A licence cannot expire before it was issued."})

    def latest_verification(self) -> VerificationEvent | None:
        events = getattr(self, "prefetched_verifications", None)
        if events is not None:
            return events[0] if events else None
        return self.verifications.order_by("-performed_at").first()

    @property
    def badge_until(self) -> dt.date | None:
        """The last day this licence backs the badge, or None if it does not.

        An active licence counts while its latest verification is current and it has
        not expired, so its last day is the earlier of the two dates.
        """
        if self.status != self.Status.ACTIVE or self.verified_until is None:
            return None
        if self.expires_on is None:
            return self.verified_until
        return min(self.verified_until, self.expires_on)

    def is_verified(self, *, today: dt.date | None = None) -> bool:
        """Active, not expired, and last verified successfully within the validity window."""
        until = self.badge_until
        return until is not None and until >= (today or timezone.localdate())


def verification_valid_until(event: VerificationEvent | None) -> dt.date | None:
    """The last day a licence's latest verification event backs the badge, or None.

    Only a successful verification counts, for :data:`VERIFICATION_VALID_FOR` after the
    day it was performed; any later event (not found, mismatch, lapsed) supersedes it.
    """
    if event is None or event.result != VerificationEvent.Result.VERIFIED:
        return None
    return timezone.localdate(event.performed_at) + VERIFICATION_VALID_FOR


LATITUDE_BANDS_PER_DEGREE = 10
"""Rows of the search grid: a band is 0.1 degree of latitude (about 11 km) high."""


def latitude_band(latitude: float) -> int:
    """The band of the search grid that holds ``latitude``."""
    return math.floor(latitude * LATITUDE_BANDS_PER_DEGREE)


class ListingEntry(models.Model):
    """What the directory search reads: one row per location of a published practitioner.

    A derived table, rebuilt from the practitioner, their locations, licences, conditions
    and therapies by :mod:`acuevidence.directory.listing` whenever one of those changes
    (the way Wagtail keeps its search index). It carries every column the search filters
    or sorts on, so a radius search reads one table through one index
    (``listing_geo``: latitude band, then longitude) and never joins or probes other
    tables per candidate. A practitioner without a location has one row without
    coordinates, so listings without a place find them too.

    ``conditions``, ``therapies`` and ``languages`` are delimited lists (``|7|12|``,
    ``|english|spanish|``) so "has any of these" is a substring test on SQLite and
    PostgreSQL alike.
    """

    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.CASCADE, related_name="listing_entries"
    )
    location = models.OneToOneField(
        Location, null=True, on_delete=models.CASCADE, related_name="listing_entry"
    )
    latitude_band = models.IntegerField(null=True)
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    name = models.CharField(max_length=200)
    telehealth = models.BooleanField(default=False)
    badge_until = models.DateField(
        null=True, help_text="Last day any of the practitioner's licences backs the badge."
    )
    languages = models.TextField(blank=True)
    conditions = models.TextField(blank=True)
    therapies = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["latitude_band", "longitude"],
                include=[
                    "latitude",
                    "practitioner",
                    "name",
                    "telehealth",
                    "badge_until",
                    "languages",
                    "conditions",
                    "therapies",
                ],
                name="listing_geo",
            ),
            models.Index(fields=["name", "practitioner"], name="listing_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.latitude}, {self.longitude})"


class BoardCertification(models.Model):
    """A national board certification, e.g. NCCAOM Diplomate of Acupuncture."""

    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.CASCADE, related_name="certifications"
    )
    body = models.CharField(max_length=200, default="NCCAOM")
    title = models.CharField(max_length=200, blank=True)
    number = models.CharField(max_length=60, blank=True)
    expires_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.body} {self.number}".strip()


class VerificationEvent(models.Model):
    """One check of a licence against a source; never edited, only superseded."""

    class Method(models.TextChoices):
        ROSTER = "roster", "Board roster match"
        DOCUMENT = "document", "Document review"
        PRIMARY_SOURCE = "primary_source", "Primary-source lookup"
        EXPIRY = "expiry", "Automatic expiry"

    class Result(models.TextChoices):
        VERIFIED = "verified", "Verified"
        NOT_FOUND = "not_found", "Not found"
        MISMATCH = "mismatch", "Details do not match"
        LAPSED = "lapsed", "Lapsed"

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="verifications")
    method = models.CharField(max_length=20, choices=Method.choices)
    result = models.CharField(max_length=20, choices=Result.choices)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    performed_at = models.DateTimeField(default=timezone.now)
    evidence_note = models.TextField(blank=True)

    panels = [
        FieldPanel("licence"),
        FieldRowPanel([FieldPanel("method"), FieldPanel("result")]),
        FieldPanel("performed_at"),
        FieldPanel("evidence_note"),
    ]

    class Meta:
        ordering = ["-performed_at"]
        indexes = [models.Index(fields=["licence", "-performed_at"], name="verification_latest")]

    def __str__(self) -> str:
        return f"{self.licence}: {self.get_result_display()} on {self.performed_at:%Y-%m-%d}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValidationError("Verification events are append-only; record a new event.")
        super().save(*args, **kwargs)

    def describe(self) -> str:
        """The public sentence: what was verified, against what, and when."""
        against = {
            self.Method.ROSTER: "against the board's roster",
            self.Method.DOCUMENT: "by review of the licence document",
            self.Method.PRIMARY_SOURCE: "by a lookup on the board's own register",
            self.Method.EXPIRY: "",
        }[self.Method(self.method)]
        return (
            f"Licence {self.licence.number}, {self.licence.board}, "
            f"{self.get_result_display().lower()} on {self.performed_at:%Y-%m-%d} {against}"
        ).strip()


class PrivateStorage(FileSystemStorage):
    """Files outside MEDIA_ROOT with no public URL: licence documents, served only to staff."""

    @property  # type: ignore[override]
    def base_location(self) -> str:
        return str(conf.private_dir())

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL; use the staff document view.")


private_storage = PrivateStorage()


def get_private_storage() -> PrivateStorage:
    return private_storage


class VerificationRequest(models.Model):
    """Work for staff: a near roster match, a submitted licence document or a claim to approve."""

    class Kind(models.TextChoices):
        ROSTER_MATCH = "roster_match", "Near match on a board roster"
        DOCUMENT = "document", "Licence document submitted"
        CLAIM = "claim", "Profile claim"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.CASCADE, related_name="verification_requests"
    )
    licence = models.ForeignKey(
        Licence, null=True, blank=True, on_delete=models.CASCADE, related_name="requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="directory_requests",
    )
    details = models.JSONField(
        default=dict, blank=True, help_text="What was submitted or found, e.g. the roster row."
    )
    score = models.FloatField(null=True, blank=True, help_text="Name similarity, 0-100.")
    document = models.FileField(
        storage=get_private_storage, upload_to="licences/%Y/%m/", blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="request_queue")]
        permissions = [("review_verificationrequest", "Can work the verification queue")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.practitioner}"


class ListingReport(models.Model):
    """A reader's report that a listing is wrong; queued for staff."""

    class Reason(models.TextChoices):
        CLOSED = "closed", "The practice has closed or moved"
        DETAILS = "details", "Details are wrong (address, services, languages)"
        LICENCE = "licence", "The licence information looks wrong"
        NOT_PRACTITIONER = "impersonation", "This is not a real or not this practitioner"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"
        DISMISSED = "dismissed", "Dismissed"

    practitioner = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    details = models.TextField(blank=True)
    reporter_email = models.EmailField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    staff_note = models.TextField(blank=True)

    panels = [
        FieldPanel("practitioner", read_only=True),
        FieldPanel("reason", read_only=True),
        FieldPanel("details", read_only=True),
        FieldPanel("reporter_email", read_only=True),
        FieldPanel("status"),
        FieldPanel("staff_note"),
    ]

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.practitioner}"
