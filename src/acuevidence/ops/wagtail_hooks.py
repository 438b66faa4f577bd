"""Admin entries for operations: the "Background jobs" report (Reports menu)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from acuevidence.ops import job_views


@hooks.register("register_admin_urls")
def register_admin_urls() -> list[Any]:
    return [
        path("jobs/", job_views.JobListView.as_view(), name="ops_jobs"),
        path(
            "jobs/results/",
            job_views.JobListView.as_view(results_only=True),
            name="ops_jobs_results",
        ),
        path("jobs/<int:pk>/", job_views.JobDetailView.as_view(), name="ops_job_detail"),
        path("jobs/<int:pk>/retry/", job_views.job_retry_view, name="ops_job_retry"),
    ]


class JobsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return job_views.job_permission_policy.user_has_permission(request.user, "view")


@hooks.register("register_reports_menu_item")
def register_jobs_menu_item() -> MenuItem:
    return JobsMenuItem(
        "Background jobs", reverse("ops_jobs"), name="background-jobs", icon_name="cogs", order=1300
    )
