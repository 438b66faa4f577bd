"""Admin screens: upload a file for import and read the import report (same service as the CLI)."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from acuevidence.evidence.sources import SourceReadError, parse_file
from acuevidence.ingest import services
from acuevidence.ingest.forms import ImportUploadForm
from acuevidence.ingest.models import ImportBatch


@permission_required("research.add_study", raise_exception=True)
def upload(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        fmt = form.cleaned_data["format"]
        batch = services.batch_start(source=fmt, origin=upload_file.name, user=request.user)
        upload_file.file.name = upload_file.name
        try:
            services.batch_import(parse_file(fmt, upload_file.file), batch=batch)
        except SourceReadError as exc:
            services.batch_finish(batch, failed=str(exc))
        else:
            services.batch_finish(batch)
        return redirect("ingest_report", batch_id=batch.pk)
    recent = ImportBatch.objects.all()[:20]
    return render(request, "ingest/upload.html", {"form": form, "recent": recent})


@permission_required("research.add_study", raise_exception=True)
def report(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = get_object_or_404(ImportBatch, pk=batch_id)
    return render(
        request,
        "ingest/report.html",
        {"batch": batch, "quarantine": batch.quarantine.all()[:500]},
    )
