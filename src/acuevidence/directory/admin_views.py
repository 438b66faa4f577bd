"""The staff verification queue inside the Wagtail admin, and the private document view.

Wagtail's admin URLs already require a signed-in user who may access the admin;
these views also require ``directory.review_verificationrequest``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from acuevidence.directory import conf, selectors, services
from acuevidence.directory.documents import DocumentRejected, document_type
from acuevidence.directory.models import ListingReport, VerificationRequest

PERMISSION = "directory.review_verificationrequest"


def _check(request: HttpRequest) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def queue(request: HttpRequest) -> HttpResponse:
    _check(request)
    return render(
        request,
        "directory/admin/queue.html",
        {
            "title": "Verification queue",
            "header_icon": "tick",
            "requests": selectors.open_requests(),
            "open_reports": ListingReport.objects.filter(status=ListingReport.Status.OPEN).count(),
        },
    )


@require_POST
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    _check(request)
    item = get_object_or_404(VerificationRequest, pk=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.request_resolve(
            request=item, staff=request.user, approve=approve, note=request.POST.get("note", "")
        )
    except (ValueError, services.SelfServiceError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{item}: {'approved' if approve else 'rejected'}.")
    return redirect("directory_queue")


def document(request: HttpRequest, pk: int) -> FileResponse:
    """Stream a licence document to staff; never cached, never rendered inline."""
    _check(request)
    item = get_object_or_404(VerificationRequest, pk=pk)
    if not item.document:
        raise Http404("No document")
    handle = item.document.open("rb")
    try:
        _, content_type = document_type(handle, max_bytes=conf.upload_max_bytes())
    except DocumentRejected as exc:
        handle.close()
        raise Http404("The stored file is not an accepted document") from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=item.document.name.rsplit("/", 1)[-1],
        content_type=content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
