"""RSS 2.0 and Atom feeds: research highlights, and new evidence for each condition.

Both list published studies only (``research.selectors``), newest publication first.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from acuevidence.research.models import Condition, Study
from acuevidence.research.selectors import highlight_list, study_list

FEED_LENGTH = 50


class _StudyItems:
    """How a study appears as a feed item (shared by every feed here)."""

    def item_title(self, item: Study) -> str:
        return item.title

    def item_description(self, item: Study) -> str:
        return item.highlight or item.key_finding or item.title

    def item_link(self, item: Study) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Study) -> dt.datetime | None:
        return item.first_published_at or item.last_published_at

    def item_updateddate(self, item: Study) -> dt.datetime | None:
        return item.last_published_at

    def item_categories(self, item: Study) -> list[str]:
        return [c.name for c in item.conditions.all()]


class HighlightsRss(_StudyItems, Feed):
    title = "AcuEvidence research highlights"
    description = "One-line highlights of newly published, checked studies."

    def link(self) -> str:
        return reverse("highlight-list")

    def items(self) -> list[Study]:
        items = highlight_list(limit=FEED_LENGTH)
        prefetch_related_objects(items, "conditions")  # item_categories: one query, not one each
        return items


class HighlightsAtom(HighlightsRss):
    feed_type = Atom1Feed
    subtitle = HighlightsRss.description


class ConditionRss(_StudyItems, Feed):
    """Studies newly published for one condition (and its subconditions)."""

    def get_object(self, request: HttpRequest, slug: str) -> Condition:
        return get_object_or_404(Condition, slug=slug)

    def title(self, obj: Condition) -> str:
        return f"New evidence on {obj.name} · AcuEvidence"

    def description(self, obj: Condition) -> str:
        return f"Studies on {obj.name} as they are published on AcuEvidence."

    def link(self, obj: Condition) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Condition) -> list[Study]:
        studies = study_list(condition=obj).order_by("-last_published_at", "-year")
        return list(studies[:FEED_LENGTH])


class ConditionAtom(ConditionRss):
    feed_type = Atom1Feed

    def subtitle(self, obj: Condition) -> str:
        return self.description(obj)
