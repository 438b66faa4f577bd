"""Cursor (keyset) pagination on a unique, stable key: the slug.

A cursor is the opaque, URL-safe encoding of the last slug of the previous
page. Unlike page numbers, cursors do not skip or repeat items when studies
are published between two requests, and every page costs one indexed query.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import Model, QuerySet

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

M = TypeVar("M", bound=Model)


class InvalidCursor(ValueError):
    """The cursor was not made by this API."""


@dataclass(frozen=True)
class CursorPage(Generic[M]):
    items: list[M]
    next_cursor: str | None


def encode_cursor(key: str) -> str:
    return base64.urlsafe_b64encode(key.encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> str:
    padded = cursor + "=" * (-len(cursor) % 4)
    try:
        raw = base64.b64decode(padded.encode("ascii"), altchars=b"-_", validate=True)
        key = raw.decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError) as exc:
        raise InvalidCursor(f"cursor {cursor!r} is not valid; use the 'next' value given") from exc
    if not key:
        raise InvalidCursor(f"cursor {cursor!r} is empty; use the 'next' value given")
    return key


def paginate(
    queryset: QuerySet[M], *, cursor: str | None, page_size: int, key: str = "slug"
) -> CursorPage[M]:
    """One page of ``queryset`` ordered by ``key``, starting after ``cursor``."""
    ordered = queryset.order_by(key)
    if cursor:
        ordered = ordered.filter(**{f"{key}__gt": decode_cursor(cursor)})
    rows = list(ordered[: page_size + 1])
    items = rows[:page_size]
    more = len(rows) > page_size
    return CursorPage(items, encode_cursor(getattr(items[-1], key)) if more else None)
