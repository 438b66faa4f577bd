"""Cursor (keyset) pagination on a unique, stable key: the slug.

The cursor is the last slug of the previous page; the next page is the items
whose slug sorts after it. Unlike page numbers, cursors neither skip nor repeat
items when studies are published between two requests, and each page costs one
indexed query. Any slug-shaped cursor is valid (it is a position, not a secret).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import Model, QuerySet

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
CURSOR_PATTERN = r"^[-a-zA-Z0-9_]+$"

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class CursorPage(Generic[M]):
    items: list[M]
    next_cursor: str | None


def paginate(
    queryset: QuerySet[M], *, cursor: str | None, page_size: int, key: str = "slug"
) -> CursorPage[M]:
    """One page of ``queryset`` ordered by ``key``, starting after ``cursor``."""
    ordered = queryset.order_by(key)
    if cursor:
        ordered = ordered.filter(**{f"{key}__gt": cursor})
    rows = list(ordered[: page_size + 1])
    items = rows[:page_size]
    more = len(rows) > page_size
    return CursorPage(items, str(getattr(items[-1], key)) if more else None)
