"""Directory pages: thin views over ``directory.selectors`` (reads) and ``services`` (writes)."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.html import _json_script_escapes  # type: ignore[attr-defined]
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from acuevidence.directory import conf, forms, selectors, services
from acuevidence.directory.models import Licence, Location, Practitioner
from acuevidence.directory.places import Place

account_required = login_required(login_url=reverse_lazy("directory-login"))


def _origin(request: HttpRequest) -> tuple[Place | None, str, str]:
    """(place, message, text) from the query string alone.

    The page depends only on its URL, so the page cache can serve it to every reader;
    the reader's last place is remembered by their browser (``js/directory-place.js``),
    not by a server-side session.
    """
    text = request.GET.get("place", "").strip()
    if not text:
        return None, "", ""
    place, message = forms.resolve_place(text)
    return place, message, text


def practitioner_list(request: HttpRequest) -> HttpResponse:
    """Search by place, radius and filters; without a place, every match by name."""
    choices = selectors.filter_choices()
    form = forms.SearchForm(request.GET, choices=choices)
    origin, place_message, place_text = _origin(request)
    criteria = form.criteria(origin)
    page, hits = None, []
    if not place_message:
        page = selectors.search_page(
            criteria=criteria, number=request.GET.get("page"), per_page=conf.page_size()
        )
        hits = selectors.search_hits(rows=list(page.object_list), criteria=criteria)
    return render(
        request,
        "directory/practitioner_list.html",
        {
            "form": form,
            "criteria": criteria,
            "condition": criteria.condition,
            "therapy": criteria.therapy,
            "place_text": place_text,
            "place_message": place_message,
            "page": page,
            "hits": hits,
            "radius_choices": selectors.RADIUS_CHOICES,
            "conditions": choices.conditions,
            "therapies": choices.therapies,
            "languages": choices.languages,
        },
    )


def _json_ld(data: dict[str, Any]) -> str:
    """JSON for a ``<script type="application/ld+json">`` element, safe against ``</script>``."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_json_script_escapes))


def practitioner_detail(request: HttpRequest, slug: str) -> HttpResponse:
    practitioner = get_object_or_404(selectors.public_practitioners(), slug=slug)
    url = request.build_absolute_uri(practitioner.get_absolute_url())
    return render(
        request,
        "directory/practitioner_detail.html",
        {
            "practitioner": practitioner,
            "verified_licences": selectors.verified_licences(practitioner),
            "json_ld": _json_ld(selectors.practitioner_json_ld(practitioner=practitioner, url=url)),
            "is_owner": request.user.is_authenticated and practitioner.user_id == request.user.pk,
        },
    )


def _client_key(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


def _rate_limited(
    view: Callable[..., HttpResponse], limit: Callable[[], tuple[int, int]], action: str
) -> Callable[..., HttpResponse]:
    """POSTs beyond the limit per client address get a 429 page, not the action."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST":
            count, window = limit()
            key = f"{action}:{_client_key(request)}"
            if services.rate_limit_hit(key=key, limit=count, window=window):
                return render(
                    request,
                    "directory/rate_limited.html",
                    {"minutes": max(1, window // 60)},
                    status=429,
                )
        return view(request, *args, **kwargs)

    return wrapper


@require_http_methods(["GET", "POST"])
def _contact(request: HttpRequest, slug: str) -> HttpResponse:
    practitioner = get_object_or_404(selectors.public_practitioners(), slug=slug)
    if not practitioner.email:
        raise Http404("This practitioner cannot be contacted through the directory.")
    form = forms.ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not form.is_spam():
            services.contact_send(
                practitioner=practitioner,
                sender_name=form.cleaned_data["name"],
                sender_email=form.cleaned_data["email"],
                message=form.cleaned_data["message"],
            )
        messages.success(request, f"Your message was sent to {practitioner.name}.")
        return redirect(practitioner)
    return render(request, "directory/contact.html", {"practitioner": practitioner, "form": form})


practitioner_contact = _rate_limited(_contact, conf.contact_limit, "contact")


@require_http_methods(["GET", "POST"])
def _report(request: HttpRequest, slug: str) -> HttpResponse:
    practitioner = get_object_or_404(selectors.public_practitioners(), slug=slug)
    form = forms.ListingReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not form.is_spam():
            services.listing_report_create(
                practitioner=practitioner,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
                reporter_email=form.cleaned_data["email"],
            )
        messages.success(request, "Thank you. Staff will review this listing.")
        return redirect(practitioner)
    return render(request, "directory/report.html", {"practitioner": practitioner, "form": form})


practitioner_report = _rate_limited(_report, conf.report_limit, "report")


# --- Practitioner accounts -----------------------------------------------------------


class LoginView(auth_views.LoginView):
    template_name = "directory/account/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return reverse("directory-account")


class LogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("practitioner-list")


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    form = forms.SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_signup(
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password"],
                confirm_url=lambda token: request.build_absolute_uri(
                    reverse("directory-signup-confirm", args=[token])
                ),
            )
        except services.SelfServiceError as exc:
            form.add_error("email", str(exc))
        else:
            return render(
                request, "directory/account/signup_sent.html", {"email": form.cleaned_data["email"]}
            )
    return render(request, "directory/account/signup.html", {"form": form})


def signup_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = services.account_confirm(token=token)
    except services.SelfServiceError as exc:
        return render(
            request, "directory/account/link_invalid.html", {"message": str(exc)}, status=400
        )
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, "Your e-mail address is confirmed. Welcome.")
    return redirect("directory-account")


def _own_practitioner(request: HttpRequest) -> Practitioner | None:
    return Practitioner.objects.filter(user=request.user).first()


@account_required
def account(request: HttpRequest) -> HttpResponse:
    """The practitioner's dashboard: their profile, licences, verification status, requests."""
    practitioner = _own_practitioner(request)
    licences = []
    locations: list[Location] = []
    if practitioner is not None:
        locations = list(practitioner.locations.order_by("pk"))
        for licence in practitioner.licences.order_by("board", "number"):
            licences.append((licence, licence.is_verified(), licence.verifications.all()[:5]))
    return render(
        request,
        "directory/account/dashboard.html",
        {
            "practitioner": practitioner,
            "licences": licences,
            "locations": locations,
            "can_add_location": len(locations) < conf.max_locations(),
            "requests": practitioner.verification_requests.order_by("-created_at")
            if practitioner
            else [],
        },
    )


@account_required
@require_http_methods(["GET", "POST"])
def claim(request: HttpRequest) -> HttpResponse:
    boards = sorted(set(Licence.objects.values_list("board", flat=True)))
    form = forms.ClaimForm(request.POST or None, boards=boards)
    if request.method == "POST" and form.is_valid():
        try:
            how = services.profile_claim_start(
                user=request.user,
                board=form.cleaned_data["board"],
                number=form.cleaned_data["number"],
                staff_review=form.cleaned_data["staff_review"],
                confirm_url=lambda token: request.build_absolute_uri(
                    reverse("directory-claim-confirm", args=[token])
                ),
            )
        except services.SelfServiceError as exc:
            form.add_error(None, str(exc))
        else:
            return render(request, "directory/account/claim_started.html", {"how": how})
    return render(request, "directory/account/claim.html", {"form": form})


@account_required
def claim_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        practitioner = services.profile_claim_confirm(token=token, user=request.user)
    except services.SelfServiceError as exc:
        return render(
            request, "directory/account/link_invalid.html", {"message": str(exc)}, status=400
        )
    messages.success(request, f"You now manage the profile of {practitioner.name}.")
    return redirect("directory-account")


def _require_own_practitioner(request: HttpRequest) -> Practitioner:
    practitioner = _own_practitioner(request)
    if practitioner is None:
        raise Http404("Your account does not manage a profile yet; claim one first.")
    return practitioner


@account_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    """Edit the signed-in practitioner's own profile; there is no way to name another one."""
    practitioner = _require_own_practitioner(request)
    form = forms.ProfileForm(request.POST or None, instance=practitioner)
    if request.method == "POST" and form.is_valid():
        services.practitioner_update(
            practitioner=practitioner,
            fields=form.profile_fields(),
            therapies=form.cleaned_data["therapies"],
            conditions=form.cleaned_data["conditions"],
        )
        messages.success(request, "Your profile was saved.")
        return redirect("directory-account")
    return render(request, "directory/account/profile_form.html", {"form": form})


def _location_form(
    request: HttpRequest, practitioner: Practitioner, location: Location | None
) -> HttpResponse:
    form = forms.LocationForm(request.POST or None, location=location)
    if request.method == "POST" and form.is_valid():
        try:
            services.location_save(
                practitioner=practitioner, location=location, data=form.cleaned_data
            )
        except services.LocationInvalid as exc:
            form.add_error(exc.field, str(exc))
        else:
            messages.success(request, "Your practice location was saved.")
            return redirect("directory-account")
    return render(
        request, "directory/account/location_form.html", {"form": form, "location": location}
    )


@account_required
@require_http_methods(["GET", "POST"])
def location_add(request: HttpRequest) -> HttpResponse:
    return _location_form(request, _require_own_practitioner(request), None)


@account_required
@require_http_methods(["GET", "POST"])
def location_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Only the signed-in practitioner's own locations: any other id is a 404."""
    practitioner = _require_own_practitioner(request)
    return _location_form(request, practitioner, get_object_or_404(practitioner.locations, pk=pk))


@account_required
@require_http_methods(["GET", "POST"])
def location_delete(request: HttpRequest, pk: int) -> HttpResponse:
    practitioner = _require_own_practitioner(request)
    location = get_object_or_404(practitioner.locations, pk=pk)
    if request.method == "POST":
        services.location_delete(practitioner=practitioner, location=location)
        messages.success(request, f"The location {location} was removed from your profile.")
        return redirect("directory-account")
    return render(request, "directory/account/location_delete.html", {"location": location})


@account_required
@require_http_methods(["GET", "POST"])
def licence_submit(request: HttpRequest) -> HttpResponse:
    practitioner = _require_own_practitioner(request)
    form = forms.LicenceSubmissionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.licence_submit(
                practitioner=practitioner,
                user=request.user,
                jurisdiction=data["jurisdiction"],
                board=data["board"],
                number=data["number"],
                licence_type=data["licence_type"],
                issued_on=data["issued_on"],
                expires_on=data["expires_on"],
                document=data["document"],
            )
        except services.SelfServiceError as exc:
            form.add_error("number", str(exc))
        else:
            messages.success(request, "Your licence was submitted. Staff will review it.")
            return redirect("directory-account")
    return render(
        request,
        "directory/account/licence_form.html",
        {"form": form, "max_mb": conf.upload_max_bytes() // 1_048_576},
    )


@account_required
def own_data_download(request: HttpRequest) -> JsonResponse:
    data = selectors.practitioner_own_data(
        practitioner=_own_practitioner(request), user=request.user
    )
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = 'attachment; filename="acuevidence-my-data.json"'
    return response


@account_required
@require_http_methods(["GET", "POST"])
def own_data_delete(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if request.POST.get("confirm") != "delete":
            messages.error(request, "Type “delete” to confirm.")
            return redirect("directory-delete")
        user = request.user
        logout(request)
        services.own_data_delete(user=user)
        return render(request, "directory/account/deleted.html")
    return render(
        request, "directory/account/delete.html", {"practitioner": _own_practitioner(request)}
    )
