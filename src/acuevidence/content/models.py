"""Editorial pages: the home page, articles and condition hubs (Wagtail pages).

Pages hold words an editor writes; the evidence they show (studies, highlights,
syntheses) comes from ``research.selectors`` so that there is one way to ask
"what is published for this condition".
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.snippets.blocks import SnippetChooserBlock

from acuevidence.research import selectors
from acuevidence.research.models import Condition


class SectionBlock(blocks.StructBlock):
    """A titled section of an article."""

    heading = blocks.CharBlock(max_length=200)
    body = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])

    class Meta:
        icon = "doc-full"
        template = "content/blocks/section.html"


class ReferenceBlock(blocks.StructBlock):
    """A reference: a study on this site, or an outside citation with a link."""

    study = SnippetChooserBlock("research.Study", required=False)
    citation = blocks.CharBlock(required=False, max_length=500, help_text="When not a site study.")
    url = blocks.URLBlock(required=False)

    class Meta:
        icon = "link"


class HomePage(Page):
    """The site's front page: highlights, conditions and the directory search box."""

    intro = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["content.ArticleIndexPage", "content.ConditionIndexPage"]
    max_count = 1

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["highlights"] = selectors.highlight_list(limit=6)
        context["condition_hubs"] = ConditionPage.objects.live().select_related("condition")
        context["articles"] = ArticlePage.objects.live().order_by("-last_reviewed")[:3]
        return context


class ArticleIndexPage(Page):
    """Lists the articles."""

    intro = models.TextField(blank=True)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["content.ArticlePage"]
    parent_page_types = ["content.HomePage"]
    max_count = 1

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = ArticlePage.objects.child_of(self).live().order_by("-last_reviewed")
        return context


class ArticlePage(Page):
    """An educational article: every claim tied to a reference, reviewed and dated."""

    lede = models.TextField(help_text="One or two sentences that say what the article finds.")
    body = StreamField([("section", SectionBlock())], use_json_field=True)
    references = StreamField([("reference", ReferenceBlock())], blank=True, use_json_field=True)
    related_conditions = ParentalManyToManyField(Condition, blank=True, related_name="articles")
    author = models.CharField(max_length=200)
    reviewed_by = models.CharField(max_length=200, blank=True)
    last_reviewed = models.DateField(null=True, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("lede"),
        FieldPanel("body"),
        FieldPanel("references"),
        FieldPanel("related_conditions"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("author"), FieldPanel("reviewed_by")]),
                FieldPanel("last_reviewed"),
            ],
            heading="Authorship and review",
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("lede"),
        index.SearchField("body"),
    ]
    parent_page_types = ["content.ArticleIndexPage"]
    subpage_types: list[str] = []


class ConditionIndexPage(Page):
    """Lists the condition hubs."""

    intro = models.TextField(blank=True)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["content.ConditionPage"]
    parent_page_types = ["content.HomePage"]
    max_count = 1

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["hubs"] = (
            ConditionPage.objects.child_of(self)
            .live()
            .select_related("condition")
            .order_by("title")
        )
        return context


class ConditionPage(Page):
    """A condition hub: what the published evidence says, ongoing trials, articles, practitioners."""

    condition = models.OneToOneField(Condition, on_delete=models.PROTECT, related_name="hub")
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("condition"), FieldPanel("intro")]
    parent_page_types = ["content.ConditionIndexPage"]
    subpage_types: list[str] = []

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.condition_hub_context(condition=self.condition))
        context["articles"] = (
            ArticlePage.objects.live().filter(related_conditions=self.condition).distinct()
        )
        return context
