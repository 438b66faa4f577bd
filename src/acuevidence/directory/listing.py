"""Keeps :class:`~acuevidence.directory.models.ListingEntry`, the search's table, in step.

The entries are derived data, like a search index: :func:`listing_entries_refresh`
rewrites one or more practitioners' entries from what the directory holds now, and
:func:`connect_listing_index` calls it whenever a practitioner, a location, a licence
or a practitioner's conditions or therapies are saved or deleted, whoever changes
them (services, the Wagtail admin, the demo loader). Bulk loads that bypass the ORM
(the benchmark seeders) call :func:`listing_entries_rebuild` afterwards, as does
``acuevidence directory reindex``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from itertools import islice
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import QuerySet

from acuevidence.directory.models import (
    Licence,
    ListingEntry,
    Location,
    Practitioner,
    latitude_band,
)

REBUILD_BATCH = 2000


def delimited(value: object) -> str:
    """One item as it appears inside a delimited list: ``|spanish|``, ``|7|``."""
    return f"|{str(value).strip().lower()}|"


def _delimited_list(values: Iterable[object]) -> str:
    items = sorted({str(v).strip().lower() for v in values if str(v).strip()})
    return f"|{'|'.join(items)}|" if items else ""


def badge_until(licences: Iterable[Licence]) -> dt.date | None:
    """The last day any of these licences backs the badge (:attr:`Licence.badge_until`)."""
    return max((d for d in (licence.badge_until for licence in licences) if d), default=None)


def _entries_for(practitioner_ids: Collection[int]) -> list[ListingEntry]:
    """The entries the published practitioners among ``practitioner_ids`` should have."""
    practitioners = Practitioner.objects.filter(pk__in=practitioner_ids, is_published=True).values(
        "pk", "name", "telehealth", "languages"
    )
    related: dict[str, dict[int, list[Any]]] = {
        "locations": defaultdict(list),
        "conditions": defaultdict(list),
        "therapies": defaultdict(list),
        "licences": defaultdict(list),
    }
    for pk, practitioner_id, lat, lon in Location.objects.filter(
        practitioner_id__in=practitioner_ids
    ).values_list("pk", "practitioner_id", "latitude", "longitude"):
        related["locations"][practitioner_id].append((pk, lat, lon))
    for name, through, target in (
        ("conditions", Practitioner.conditions.through, "condition_id"),
        ("therapies", Practitioner.therapies.through, "therapy_id"),
    ):
        for practitioner_id, target_id in through.objects.filter(
            practitioner_id__in=practitioner_ids
        ).values_list("practitioner_id", target):
            related[name][practitioner_id].append(target_id)
    for licence in Licence.objects.filter(practitioner_id__in=practitioner_ids).only(
        "practitioner_id", "status", "expires_on", "verified_until"
    ):
        related["licences"][licence.practitioner_id].append(licence)

    entries = []
    for practitioner in practitioners:
        pk = practitioner["pk"]
        shared = {
            "practitioner_id": pk,
            "name": practitioner["name"],
            "telehealth": practitioner["telehealth"],
            "badge_until": badge_until(related["licences"][pk]),
            "languages": _delimited_list(practitioner["languages"] or []),
            "conditions": _delimited_list(related["conditions"][pk]),
            "therapies": _delimited_list(related["therapies"][pk]),
        }
        places = related["locations"][pk] or [(None, None, None)]
        entries.extend(
            ListingEntry(
                location_id=location_id,
                latitude_band=None if lat is None else latitude_band(lat),
                latitude=lat,
                longitude=lon,
                **shared,
            )
            for location_id, lat, lon in places
        )
    return entries


@transaction.atomic
def listing_entries_refresh(*, practitioner_ids: Collection[int]) -> int:
    """Rewrite these practitioners' entries from the directory; returns how many were written."""
    ListingEntry.objects.filter(practitioner_id__in=practitioner_ids).delete()
    entries = _entries_for(practitioner_ids)
    ListingEntry.objects.bulk_create(entries, batch_size=REBUILD_BATCH)
    return len(entries)


def listing_entries_rebuild(*, batch_size: int = REBUILD_BATCH) -> Iterator[int]:
    """Refresh every practitioner's entries, a batch at a time; yields each batch's size.

    Each batch is its own transaction, so the search keeps answering during a rebuild.
    """
    ids = Practitioner.objects.order_by("pk").values_list("pk", flat=True).iterator()
    while batch := list(islice(ids, batch_size)):
        listing_entries_refresh(practitioner_ids=batch)
        yield len(batch)


def listing_entries_build_if_missing(*, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """After ``migrate``: build the entries of a directory that has practitioners but none.

    Connected to ``post_migrate``, so upgrading a site (or the demo database) to the
    release that introduced the table fills it without a separate step. Does nothing
    when a migration to an earlier state has removed the table.
    """
    if ListingEntry._meta.db_table not in connections[using].introspection.table_names():
        return
    published = Practitioner.objects.using(using).filter(is_published=True)
    if published.exists() and not ListingEntry.objects.using(using).exists():
        for _ in listing_entries_rebuild():
            pass


def _practitioner_changed(sender: type, instance: Practitioner, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        listing_entries_refresh(practitioner_ids=[instance.pk])


def _deleting_practitioner(origin: object) -> bool:
    """True while a practitioner's own deletion cascades to their locations and licences."""
    if isinstance(origin, Practitioner):
        return True
    return isinstance(origin, QuerySet) and origin.model is Practitioner


def _part_changed(sender: type, instance: Location | Licence, **kwargs: Any) -> None:
    if kwargs.get("raw") or _deleting_practitioner(kwargs.get("origin")):
        return
    listing_entries_refresh(practitioner_ids=[instance.practitioner_id])


def _vocabulary_changed(
    sender: type, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        listing_entries_refresh(practitioner_ids=[instance.pk])
    elif action == "post_clear":  # a condition or therapy lost all its practitioners
        field = f"{type(instance)._meta.model_name}s"
        listing_entries_refresh(
            practitioner_ids=list(
                ListingEntry.objects.filter(**{f"{field}__contains": delimited(instance.pk)})
                .values_list("practitioner_id", flat=True)
                .distinct()
            )
        )
    elif pk_set:
        listing_entries_refresh(practitioner_ids=pk_set)


def connect_listing_index() -> None:
    """Refresh the entries whenever what they are derived from is saved or deleted."""
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

    post_migrate.connect(
        listing_entries_build_if_missing,
        sender=apps.get_app_config("directory"),
        dispatch_uid="listing-build-if-missing",
    )

    for signal in (post_save, post_delete):
        signal.connect(_practitioner_changed, sender=Practitioner, dispatch_uid="listing-p")
        signal.connect(_part_changed, sender=Location, dispatch_uid="listing-location")
        signal.connect(_part_changed, sender=Licence, dispatch_uid="listing-licence")
    for through in (Practitioner.conditions.through, Practitioner.therapies.through):
        m2m_changed.connect(
            _vocabulary_changed, sender=through, dispatch_uid=f"listing-{through._meta.label}"
        )
