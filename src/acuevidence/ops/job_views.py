"""Reports > Background jobs: what ran, what failed and why, and "start again".

Built on Wagtail's report view (filters, pagination, CSV/XLSX export) over
:class:`~acuevidence.ops.models.Job`. Seeing jobs needs ``ops.view_job`` and starting
one again ``ops.retry_job`` (the Administrators role has both; see
``research/roles.py``): jobs carry their arguments, which for e-mails include
addresses and messages, so editors do not see them.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic import PermissionCheckedMixin, WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from acuevidence.ops.jobs import JobNotRetryable, job_retry
from acuevidence.ops.models import Job

job_permission_policy = ModelPermissionPolicy(Job)


def _task_choices() -> list[tuple[str, str]]:
    paths = Job.objects.order_by("task_path").values_list("task_path", flat=True).distinct()
    return [(path, path.rpartition(".")[2]) for path in paths]


class JobFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=Job.Status.choices, empty_label="Any status")
    task_path = django_filters.ChoiceFilter(
        label="Task", choices=_task_choices, empty_label="Any task"
    )
    enqueued_at = django_filters.DateFromToRangeFilter(label="Queued", widget=DateRangePickerWidget)

    class Meta:
        model = Job
        fields = ["status", "task_path", "enqueued_at"]


def _attempts(job: Job) -> str:
    return f"{job.attempts} of {job.max_attempts}"


def _when_next(job: Job) -> Any:
    return job.finished_at or job.next_attempt_at


class JobListView(ReportView):
    page_title = "Background jobs"
    header_icon = "cogs"
    index_url_name = "ops_jobs"
    index_results_url_name = "ops_jobs_results"
    results_template_name = "wagtailadmin/reports/base_report_results.html"
    filterset_class = JobFilterSet
    permission_policy = job_permission_policy
    permission_required = "view"
    model = Job
    paginate_by = 50
    default_ordering = "-enqueued_at"
    no_results_message = "No background jobs match."
    columns = [
        TitleColumn(
            "task_name",
            label="Job",
            get_url=lambda job: reverse("ops_job_detail", args=[job.pk]),
        ),
        StatusTagColumn(
            "get_status_display",
            label="Status",
            primary=lambda job: job.status == Job.Status.FAILED,
        ),
        Column("attempts", label="Attempts", accessor=_attempts),
        Column("last_error", label="Last error"),
        DateColumn("enqueued_at", label="Queued", sort_key="enqueued_at"),
        DateColumn("finished_at", label="Finished / next try", accessor=_when_next),
    ]
    list_export = [
        "pk",
        "task_path",
        "status",
        "attempts",
        "max_attempts",
        "last_error",
        "enqueued_at",
        "started_at",
        "finished_at",
        "next_attempt_at",
    ]
    export_headings = {"pk": "Job", "task_path": "Task"}

    def get_filename(self) -> str:
        return "background-jobs"


class JobDetailView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "ops/jobs/detail.html"
    header_icon = "cogs"
    permission_policy = job_permission_policy
    permission_required = "view"

    @cached_property
    def job(self) -> Job:
        return get_object_or_404(Job.objects.select_related("retried_by"), pk=self.kwargs["pk"])

    def get_page_title(self) -> str:
        return f"Job #{self.job.pk}: {self.job.task_name}"

    def get_breadcrumbs_items(self) -> list[dict[str, str]]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse("ops_jobs"), "label": "Background jobs"},
            {"url": "", "label": f"Job #{self.job.pk}"},
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["job"] = self.job
        context["attempts"] = self.job.attempt_log.order_by("-number")
        context["can_retry"] = self.job.is_retryable and self.user_has_permission("retry")
        return context


@require_POST
def job_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a failed job again (POST, CSRF-checked by the middleware, ``ops.retry_job``)."""
    if not job_permission_policy.user_has_permission(request.user, "retry"):
        raise PermissionDenied
    job = get_object_or_404(Job, pk=pk)
    try:
        job = job_retry(job=job, user=request.user)  # type: ignore[arg-type]
    except JobNotRetryable as exc:
        messages.error(request, f"Job #{pk} was not started again: {exc}.")
    else:
        messages.success(
            request, f"Job #{pk} was started again; it is now {job.get_status_display().lower()}."
        )
    return redirect("ops_job_detail", pk=pk)
