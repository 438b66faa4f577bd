"""Writes to the page tree: the site skeleton, condition hubs and articles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.html import escape
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from acuevidence.content.models import (
    ArticleIndexPage,
    ArticlePage,
    ConditionIndexPage,
    ConditionPage,
    HomePage,
)
from acuevidence.research.models import Condition, Study

HOME_INTRO = (
    "What does research say about acupuncture and related therapies for your condition, "
    "and how sure can anyone be? Every summary here is checked against its source and "
    "reviewed by an editor."
)


def _tree_root() -> Page:
    """Wagtail's root page, recreated if the database was flushed (as test runners do)."""
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant("en"))
    return Page.add_root(
        instance=Page(
            title="Root", slug="root", content_type=ContentType.objects.get_for_model(Page)
        )
    )


@transaction.atomic
def site_pages_ensure(*, hostname: str = "localhost", port: int = 80) -> HomePage:
    """Create the home page, the article and condition indexes, and the default site, once."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node() or _tree_root()
        default_home = Page.objects.filter(depth=2, slug="home").first()
        if default_home is not None and not isinstance(default_home.specific, HomePage):
            default_home.slug = "welcome-placeholder"
            default_home.save()
        home = root.add_child(
            instance=HomePage(
                title="Evidence on acupuncture, checked", slug="home", intro=HOME_INTRO
            )
        )
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={
                "hostname": hostname,
                "port": port,
                "root_page": home,
                "site_name": "AcuEvidence",
            },
        )
        if default_home is not None and not isinstance(default_home.specific, HomePage):
            default_home.delete()
    if not ArticleIndexPage.objects.exists():
        home.add_child(instance=ArticleIndexPage(title="Articles", slug="articles"))
    if not ConditionIndexPage.objects.exists():
        home.add_child(
            instance=ConditionIndexPage(
                title="Conditions",
                slug="conditions",
                intro="Each condition page gathers the published studies, trials underway and articles.",
            )
        )
    return home


@transaction.atomic
def condition_hubs_ensure(*, conditions: Iterable[Condition]) -> int:
    """Give each condition a published hub page if it has none; returns how many were made."""
    index = ConditionIndexPage.objects.get()
    made = 0
    for condition in conditions:
        if ConditionPage.objects.filter(condition=condition).exists():
            continue
        index.add_child(
            instance=ConditionPage(title=condition.name, slug=condition.slug, condition=condition)
        )
        made += 1
    return made


@transaction.atomic
def article_save(*, data: Mapping[str, Any]) -> tuple[ArticlePage, bool]:
    """Create or update an article from structured data and publish it; keyed by slug."""
    index = ArticleIndexPage.objects.get()
    article = ArticlePage.objects.filter(slug=data["slug"]).first()
    created = article is None
    article = article or ArticlePage(slug=data["slug"])
    article.title = data["title"]
    article.lede = data["lede"]
    article.author = data["author"]
    article.reviewed_by = data.get("reviewed_by", "")
    article.last_reviewed = (
        dt.date.fromisoformat(data["last_reviewed"]) if data.get("last_reviewed") else None
    )
    article.body = [
        (
            "section",
            {
                "heading": s["heading"],
                "body": "".join(f"<p>{escape(p)}</p>" for p in s["paragraphs"]),
            },
        )
        for s in data["sections"]
    ]
    references = []
    for ref in data.get("references", []):
        if ref.get("study_key"):
            study = Study.objects.filter(slug=ref["study_key"]).first()
            if study is None:
                raise ValueError(
                    f"article {data['slug']}: reference to unknown study {ref['study_key']!r}"
                )
            references.append(("reference", {"study": study, "citation": "", "url": ""}))
        else:
            references.append(
                (
                    "reference",
                    {"study": None, "citation": ref.get("citation", ""), "url": ref.get("url", "")},
                )
            )
    article.references = references
    if created:
        index.add_child(instance=article)
    article.related_conditions.set(
        Condition.objects.filter(slug__in=data.get("related_conditions", []))
    )
    article.save_revision().publish()
    return article, created
