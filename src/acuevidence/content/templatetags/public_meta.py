"""What every public page declares about itself: canonical URL, Open Graph, feeds, JSON-LD.

``base.html`` calls these tags; each works from the template context (a Wagtail
``page``, a ``study`` on its page, a ``condition`` filter, the URL name) so page
templates need nothing extra. A template that knows better (the practitioner
profile) overrides ``{% block structured_data %}`` and includes
``includes/json_ld.html`` with its own data.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django import template
from django.http import HttpRequest
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page

from acuevidence.content import structured_data as ld
from acuevidence.content.models import (
    ArticleIndexPage,
    ArticlePage,
    ConditionIndexPage,
    ConditionPage,
    HomePage,
)
from acuevidence.research.models import Condition, Study

register = template.Library()

SITE_DESCRIPTION = (
    "Independent, checked summaries of clinical research on acupuncture and related therapies."
)
CANONICAL_PARAMETERS = ("condition", "therapy", "page")
"""Query parameters that change what a listing shows; every other one is dropped."""

_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def ld_json(data: dict[str, Any]) -> SafeString:
    """JSON safe inside ``<script>``: <, > and & escaped as in Django's ``json_script``."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, default=str)
    return mark_safe(text.translate(_JSON_ESCAPES))


def _request(context: template.Context) -> HttpRequest | None:
    return context.get("request")


@register.simple_tag(takes_context=True)
def canonical_url(context: template.Context) -> str:
    """The page's absolute URL without tracking or search parameters (page 1 has no ``page``)."""
    request = _request(context)
    if request is None:
        return ""
    kept = {
        key: request.GET[key]
        for key in CANONICAL_PARAMETERS
        if request.GET.get(key) and not (key == "page" and request.GET[key] == "1")
    }
    url = request.build_absolute_uri(request.path)
    return f"{url}?{urlencode(kept)}" if kept else url


def _wagtail_page(context: template.Context) -> Page | None:
    page = context.get("page")
    return page if isinstance(page, Page) else None


def _study(context: template.Context) -> Study | None:
    study = context.get("study")
    return study if isinstance(study, Study) and "results_rows" in context else None


def _url_name(context: template.Context) -> str:
    request = _request(context)
    match = getattr(request, "resolver_match", None)
    return match.url_name if match else ""


@register.simple_tag(takes_context=True)
def open_graph(context: template.Context) -> dict[str, str]:
    """Open Graph title, description and type for the page."""
    page, study = _wagtail_page(context), _study(context)
    condition = context.get("condition")
    if study is not None:
        return {
            "title": study.title,
            "description": study.key_finding or study.highlight or SITE_DESCRIPTION,
            "type": "article",
        }
    if page is not None:
        description = page.search_description or getattr(page, "lede", "") or SITE_DESCRIPTION
        if isinstance(page, ConditionPage) and page.condition.summary:
            description = page.condition.summary
        kind = "article" if isinstance(page, ArticlePage) else "website"
        return {"title": page.seo_title or page.title, "description": description, "type": kind}
    practitioner = context.get("practitioner")
    if practitioner is not None and hasattr(practitioner, "credentials"):
        return {"title": practitioner.name, "description": SITE_DESCRIPTION, "type": "profile"}
    title = {
        "study-list": "Published studies",
        "highlight-list": "Research highlights",
        "practitioner-list": "Find a practitioner",
        "search": "Search",
    }.get(_url_name(context), ld.SITE_NAME)
    if isinstance(condition, Condition):
        title = f"{title}: {condition.name}"
    return {"title": title, "description": SITE_DESCRIPTION, "type": "website"}


@register.inclusion_tag("includes/feed_links.html", takes_context=True)
def feed_links(context: template.Context) -> dict[str, Any]:
    """RSS/Atom discovery links: the highlights, and the condition's feed on its pages."""
    page = _wagtail_page(context)
    condition = page.condition if isinstance(page, ConditionPage) else context.get("condition")
    return {"condition": condition if isinstance(condition, Condition) else None}


def _listing_kind(url_name: str) -> str | None:
    return {
        "study-list": "CollectionPage",
        "highlight-list": "CollectionPage",
        "practitioner-list": "CollectionPage",
        "search": "SearchResultsPage",
    }.get(url_name)


def _page_ld(page: Page, context: template.Context, url: str) -> dict[str, Any]:
    request = context["request"]
    if isinstance(page, HomePage):
        return ld.website_ld(url=url, search_url=request.build_absolute_uri(reverse("search")))
    if isinstance(page, ArticlePage):
        return ld.medical_web_page_ld(
            name=page.title,
            url=url,
            description=page.lede,
            last_reviewed=page.last_reviewed,
            reviewed_by=page.reviewed_by,
            author=page.author,
            about=[ld.condition_ld(c) for c in page.related_conditions.all()],
            date_modified=page.last_published_at,
        )
    if isinstance(page, ConditionPage):
        studies = [*context.get("completed_studies", []), *context.get("ongoing_studies", [])]
        return ld.condition_hub_ld(
            condition=page.condition,
            studies=studies,
            name=page.title,
            url=url,
            date_modified=page.last_published_at,
        )
    kind = (
        "CollectionPage" if isinstance(page, ArticleIndexPage | ConditionIndexPage) else "WebPage"
    )
    return ld.web_page_ld(name=page.title, url=url, kind=kind)


@register.simple_tag(takes_context=True)
def page_structured_data(context: template.Context) -> dict[str, Any] | None:
    """The JSON-LD object describing the page being rendered (None without a request)."""
    request = _request(context)
    if request is None:
        return None
    url = canonical_url(context)
    if (study := _study(context)) is not None:
        return ld.study_ld(study, url=url)
    if (page := _wagtail_page(context)) is not None:
        return _page_ld(page, context, url)
    title = open_graph(context)["title"]
    return ld.web_page_ld(name=title, url=url, kind=_listing_kind(_url_name(context)) or "WebPage")
