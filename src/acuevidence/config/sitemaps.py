"""``sitemap.xml`` and ``robots.txt``: what search engines should crawl, and what not.

The sitemap lists every public page: live Wagtail pages (home, articles,
condition hubs), published studies, published practitioner profiles and the
public listings. ``robots.txt`` keeps crawlers out of the admin, the search
results and the editors' API endpoints, and points them to the sitemap.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET
from wagtail.models import Page

from acuevidence.directory.models import Practitioner
from acuevidence.directory.selectors import public_practitioners
from acuevidence.research.models import Study
from acuevidence.research.selectors import published_studies


class PageSitemap(Sitemap):
    """Live, publicly viewable Wagtail pages (not the tree's root)."""

    def items(self) -> QuerySet[Page]:
        return Page.objects.live().public().filter(depth__gt=1).order_by("path")

    def location(self, item: Page) -> str:
        return item.get_url() or "/"

    def lastmod(self, item: Page) -> dt.datetime | None:
        return item.last_published_at


class StudySitemap(Sitemap):
    def items(self) -> QuerySet[Study]:
        return published_studies().order_by("slug")

    def lastmod(self, item: Study) -> dt.datetime | None:
        return item.last_published_at


class PractitionerSitemap(Sitemap):
    def items(self) -> QuerySet[Practitioner]:
        return public_practitioners().order_by("slug")

    def lastmod(self, item: Practitioner) -> dt.datetime:
        return item.updated_at


class ListingSitemap(Sitemap):
    """The public listings that are Django views rather than Wagtail pages."""

    changefreq = "daily"

    def items(self) -> list[str]:
        return ["study-list", "highlight-list", "practitioner-list"]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {
    "pages": PageSitemap,
    "studies": StudySitemap,
    "practitioners": PractitionerSitemap,
    "listings": ListingSitemap,
}

DISALLOWED = ("/admin/", "/django-admin/", "/search/", "/api/v1/imports/")


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED)]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
