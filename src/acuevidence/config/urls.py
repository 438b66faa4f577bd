from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from acuevidence.api.api import api
from acuevidence.config.sitemaps import SITEMAPS, robots_txt
from acuevidence.research import export_views, feeds
from acuevidence.search import views as search_views

handler500 = "acuevidence.ops.views.server_error"

urlpatterns = [
    path("", include("acuevidence.ops.urls")),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("acuevidence.research.urls")),
    path("", include("acuevidence.directory.urls")),
    path("api/", api.urls),
    path("search/", search_views.search, name="search"),
    path("feeds/highlights.rss", feeds.HighlightsRss(), name="feed-highlights-rss"),
    path("feeds/highlights.atom", feeds.HighlightsAtom(), name="feed-highlights-atom"),
    path("feeds/conditions/<slug:slug>.rss", feeds.ConditionRss(), name="feed-condition-rss"),
    path("feeds/conditions/<slug:slug>.atom", feeds.ConditionAtom(), name="feed-condition-atom"),
    path(
        "exports/conditions/<slug:slug>.<str:fmt>",
        export_views.condition_export,
        name="condition-export",
    ),
    path("exports/studies/<slug:slug>.<str:fmt>", export_views.study_export, name="study-export"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots-txt"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns.append(path("", include(wagtail_urls)))
