"""The public REST API (django-ninja): read-only evidence data, and editors' import requests.

Mounted at ``/api/``: endpoints under ``/api/v1/``, the OpenAPI 3 schema at
``/api/schema/`` and the interactive documentation at ``/api/docs/`` (Swagger UI
served from this site's static files, no CDN). See docs/api.md.
"""

from __future__ import annotations

from typing import Annotated

from django.http import Http404, HttpRequest
from ninja import File, NinjaAPI, Path, Query, Router
from ninja import Status as HttpStatus
from ninja.files import UploadedFile
from ninja.openapi.docs import Swagger
from pydantic import Field

from acuevidence.api import schemas, selectors, serialize, services
from acuevidence.api.auth import EditorToken
from acuevidence.api.http import conditional_get
from acuevidence.api.models import ImportRequest
from acuevidence.api.pagination import (
    CURSOR_PATTERN,
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    CursorPage,
    paginate,
)
from acuevidence.api.throttling import AnonymousClientThrottle
from acuevidence.evidence.certainty import CertaintyLevel
from acuevidence.evidence.records import Design, Status
from acuevidence.research.models import Condition, OutcomeMeasure, Study, Therapy
from acuevidence.research.selectors import published_study

api = NinjaAPI(
    title="AcuEvidence API",
    version="1",
    description=(
        "Published, checked evidence on acupuncture and related therapies: conditions, "
        "therapies, outcome measures, studies with their numbers and sources, living "
        "condition syntheses, highlights and verified practitioners. Read endpoints are public and rate-limited; import "
        "endpoints need an editor's token."
    ),
    urls_namespace="api",
    openapi_url="/schema/",
    docs_url="/docs/",
    docs=Swagger(settings={"validatorUrl": None, "defaultModelsExpandDepth": 0}),
    throttle=[AnonymousClientThrottle()],
)


@api.exception_handler(services.ImportRejected)
def _import_rejected(request: HttpRequest, exc: services.ImportRejected) -> object:
    return api.create_response(request, {"detail": str(exc)}, status=400)


Slug = Annotated[str, Path(pattern=CURSOR_PATTERN, max_length=220, description="Stable id.")]
LIST_ERRORS = {422: schemas.ValidationProblem, 429: schemas.Problem}
ITEM_ERRORS = {404: schemas.Problem, 422: schemas.ValidationProblem, 429: schemas.Problem}


class PageParams(schemas.Schema):
    cursor: str | None = Field(
        None,
        max_length=200,
        pattern=CURSOR_PATTERN,
        description="The `next` value of the previous page (the last slug it held).",
    )
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


def _page(page: CursorPage, convert: object) -> dict[str, object]:
    return {"next": page.next_cursor, "results": [convert(item) for item in page.items]}  # type: ignore[operator]


def _page_schema(name: str, item: type) -> type:
    return type(
        name,
        (schemas.Schema,),
        {
            "__annotations__": {"next": str | None, "results": list[item]},  # type: ignore[valid-type]
            "__doc__": "One page; pass `next` as `cursor` for the following page (null at the end).",
        },
    )


class SynthesisPageParams(schemas.Schema):
    cursor: str | None = Field(
        None,
        max_length=20,
        pattern=r"^[0-9]+$",
        description="The `next` value of the previous page.",
    )
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


ConditionPage = _page_schema("ConditionPage", schemas.ConditionOut)
TherapyPage = _page_schema("TherapyPage", schemas.TherapyOut)
OutcomeMeasurePage = _page_schema("OutcomeMeasurePage", schemas.OutcomeMeasureOut)
StudyPage = _page_schema("StudyPage", schemas.StudySummaryOut)
PractitionerPage = _page_schema("PractitionerPage", schemas.PractitionerOut)
SynthesisPage = _page_schema("SynthesisPage", schemas.SynthesisOut)

vocabularies = Router(tags=["vocabularies"])
studies = Router(tags=["studies"])
syntheses = Router(tags=["syntheses"])
directory = Router(tags=["practitioners"])
imports = Router(tags=["imports"], auth=EditorToken())
for public in (vocabularies, studies, syntheses, directory):
    public.add_decorator(conditional_get, mode="view")


@vocabularies.get("/conditions/", response={200: ConditionPage, **LIST_ERRORS})
def list_conditions(request: HttpRequest, page: Query[PageParams]) -> dict[str, object]:
    """Conditions, with synonyms and their parent (broader) condition."""
    found = paginate(
        Condition.objects.select_related("parent"), cursor=page.cursor, page_size=page.page_size
    )
    return _page(found, serialize.condition)


@vocabularies.get("/conditions/{slug}/", response={200: schemas.ConditionOut, **ITEM_ERRORS})
def get_condition(request: HttpRequest, slug: Slug) -> dict[str, object]:
    condition = Condition.objects.select_related("parent").filter(slug=slug).first()
    if condition is None:
        raise Http404(f"No condition {slug!r}.")
    return serialize.condition(condition)


@vocabularies.get("/therapies/", response={200: TherapyPage, **LIST_ERRORS})
def list_therapies(request: HttpRequest, page: Query[PageParams]) -> dict[str, object]:
    """Therapies and comparators (``is_control``)."""
    found = paginate(Therapy.objects.all(), cursor=page.cursor, page_size=page.page_size)
    return _page(found, serialize.therapy)


@vocabularies.get("/therapies/{slug}/", response={200: schemas.TherapyOut, **ITEM_ERRORS})
def get_therapy(request: HttpRequest, slug: Slug) -> dict[str, object]:
    therapy = Therapy.objects.filter(slug=slug).first()
    if therapy is None:
        raise Http404(f"No therapy {slug!r}.")
    return serialize.therapy(therapy)


@vocabularies.get("/outcome-measures/", response={200: OutcomeMeasurePage, **LIST_ERRORS})
def list_outcome_measures(request: HttpRequest, page: Query[PageParams]) -> dict[str, object]:
    """Outcome measures with their scale, direction and minimal important difference."""
    found = paginate(OutcomeMeasure.objects.all(), cursor=page.cursor, page_size=page.page_size)
    return _page(found, serialize.outcome_measure)


@vocabularies.get(
    "/outcome-measures/{slug}/", response={200: schemas.OutcomeMeasureOut, **ITEM_ERRORS}
)
def get_outcome_measure(request: HttpRequest, slug: Slug) -> dict[str, object]:
    measure = OutcomeMeasure.objects.filter(slug=slug).first()
    if measure is None:
        raise Http404(f"No outcome measure {slug!r}.")
    return serialize.outcome_measure(measure)


class StudyQuery(schemas.Schema):
    condition: str | None = Field(None, description="Condition slug; includes subconditions.")
    therapy: str | None = Field(None, description="Therapy slug.")
    design: Design | None = None
    status: Status | None = None
    year: int | None = Field(None, ge=1000, le=9999)
    year_from: int | None = Field(None, ge=1000, le=9999)
    year_to: int | None = Field(None, ge=1000, le=9999)
    certainty: CertaintyLevel | None = Field(
        None, description="Studies with at least one comparison rated at this certainty."
    )


@studies.get("/studies/", response={200: StudyPage, **LIST_ERRORS})
def list_studies(
    request: HttpRequest, filters: Query[StudyQuery], page: Query[PageParams]
) -> dict[str, object]:
    """Published studies (never drafts or withdrawn ones), filtered, in slug order."""
    query = selectors.StudyFilters(
        condition=filters.condition,
        therapy=filters.therapy,
        design=filters.design.value if filters.design else None,
        status=filters.status.value if filters.status else None,
        year=filters.year,
        year_from=filters.year_from,
        year_to=filters.year_to,
        certainty=filters.certainty.value if filters.certainty else None,
    )
    found = paginate(selectors.api_studies(query), cursor=page.cursor, page_size=page.page_size)
    return _page(found, serialize.study_summary)


@studies.get("/studies/{slug}/", response={200: schemas.StudyOut, **ITEM_ERRORS})
def get_study(request: HttpRequest, slug: Slug) -> dict[str, object]:
    """A published study with arms, per-arm results, comparisons, their checks and summaries."""
    try:
        study = published_study(slug)
    except Study.DoesNotExist as exc:
        raise Http404(f"No published study {slug!r}.") from exc
    return serialize.study_detail(study)


@studies.get(
    "/highlights/",
    response={
        200: list[schemas.HighlightOut],
        422: schemas.ValidationProblem,
        429: schemas.Problem,
    },
)
def list_highlights(
    request: HttpRequest,
    condition: str | None = None,
    limit: int = Query(20, ge=1, le=100),
) -> list[dict[str, object]]:
    """The newest research highlights, optionally for one condition."""
    return [
        serialize.highlight(s) for s in selectors.api_highlights(condition=condition, limit=limit)
    ]


@syntheses.get("/conditions/{slug}/syntheses/", response={200: SynthesisPage, **ITEM_ERRORS})
def list_condition_syntheses(
    request: HttpRequest, slug: Slug, page: Query[SynthesisPageParams]
) -> dict[str, object]:
    """Living syntheses of a condition and its subconditions: the current version of each.

    One per outcome measure and comparator type, pooling the published studies the way
    RevMan 5 does. Texts (key finding, what it means, plain summary) are null until an
    editor approves them. Ordered by when each synthesis was first made.
    """
    condition = Condition.objects.filter(slug=slug).first()
    if condition is None:
        raise Http404(f"No condition {slug!r}.")
    found = paginate(
        selectors.api_condition_syntheses(condition),
        cursor=page.cursor,
        page_size=page.page_size,
        key="synthesis_id",
    )
    return _page(found, serialize.synthesis)


_LATITUDE = r"-?(?:90(?:\.0+)?|[1-8]?\d(?:\.\d+)?)"
_LONGITUDE = r"-?(?:180(?:\.0+)?|(?:1[0-7]\d|[1-9]?\d)(?:\.\d+)?)"
NEAR_PATTERN = rf"^{_LATITUDE},{_LONGITUDE}$"


class PractitionerQuery(schemas.Schema):
    condition: str | None = Field(
        None, description="Condition slug; broader and narrower conditions count too."
    )
    therapy: str | None = Field(None, description="Therapy slug.")
    telehealth: bool | None = None
    region: str | None = Field(None, description="State or region, e.g. CA.")
    near: str | None = Field(
        None,
        pattern=NEAR_PATTERN,
        description="`latitude,longitude` in degrees: only practitioners within `radius_km`.",
        examples=["37.8044,-122.2712"],
    )
    radius_km: float = Field(25, gt=0, le=1000, description="Search radius around `near`.")


@directory.get("/practitioners/", response={200: PractitionerPage, **LIST_ERRORS})
def list_practitioners(
    request: HttpRequest, filters: Query[PractitionerQuery], page: Query[PageParams]
) -> dict[str, object]:
    """Published practitioner profiles (public fields only), filtered, in slug order."""
    place = None
    if filters.near:
        latitude, longitude = (float(part) for part in filters.near.split(","))
        place = selectors.Place(latitude, longitude, filters.radius_km)
    found_qs, distances = selectors.api_practitioners(
        selectors.PractitionerFilters(
            condition=filters.condition,
            therapy=filters.therapy,
            telehealth=filters.telehealth,
            region=filters.region,
            place=place,
        )
    )
    found = paginate(found_qs, cursor=page.cursor, page_size=page.page_size)
    return {
        "next": found.next_cursor,
        "results": [
            serialize.practitioner(p, distance_km=distances.get(p.pk)) for p in found.items
        ],
    }


@directory.get("/practitioners/{slug}/", response={200: schemas.PractitionerOut, **ITEM_ERRORS})
def get_practitioner(request: HttpRequest, slug: Slug) -> dict[str, object]:
    found_qs, _ = selectors.api_practitioners(selectors.PractitionerFilters())
    practitioner = found_qs.filter(slug=slug).first()
    if practitioner is None:
        raise Http404(f"No published practitioner {slug!r}.")
    return serialize.practitioner(practitioner)


WRITE_ERRORS = {400: schemas.Problem, 401: schemas.Problem, 422: schemas.ValidationProblem}


def _import_out(request: ImportRequest) -> dict[str, object]:
    return {
        "id": request.pk,
        "kind": request.kind,
        "identifier": request.identifier,
        "filename": request.original_filename,
        "state": request.state,
        "message": request.message,
        "study": request.study.slug if request.study_id else None,
        "created_at": request.created_at,
        "updated_at": request.updated_at,
    }


@imports.post("/imports/identifier/", response={202: schemas.ImportRequestOut, **WRITE_ERRORS})
def submit_identifier(request: HttpRequest, payload: schemas.IdentifierIn) -> HttpStatus:
    """Queue the import of a study by PubMed id or ClinicalTrials.gov id (editors only)."""
    created = services.import_request_submit_identifier(
        identifier=payload.identifier, user=request.user
    )
    return HttpStatus(202, _import_out(created))


@imports.post("/imports/file/", response={202: schemas.ImportRequestOut, **WRITE_ERRORS})
def submit_file(request: HttpRequest, file: File[UploadedFile]) -> HttpStatus:
    """Queue the import of a PubMed XML, MEDLINE, RIS, ClinicalTrials.gov JSON or CSV file."""
    created = services.import_request_submit_file(upload=file, user=request.user)
    return HttpStatus(202, _import_out(created))


@imports.get(
    "/imports/{request_id}/",
    response={200: schemas.ImportRequestOut, 401: schemas.Problem, 404: schemas.Problem},
)
def get_import(request: HttpRequest, request_id: int) -> dict[str, object]:
    """Where an import request stands; the imported study then waits in the review queue."""
    found = ImportRequest.objects.select_related("study").filter(pk=request_id).first()
    if found is None:
        raise Http404(f"No import request {request_id}.")
    return _import_out(found)


for router in (vocabularies, studies, syntheses, directory, imports):
    api.add_router("/v1/", router)
