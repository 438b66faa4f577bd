"""Forms of the directory: search, self-service, contact and reports (validation only)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from acuevidence.directory import conf
from acuevidence.directory.documents import DocumentRejected, document_type
from acuevidence.directory.models import ListingReport, Location, Practitioner
from acuevidence.directory.places import Place, UnknownPlace, country_names, place_resolve
from acuevidence.directory.selectors import (
    DEFAULT_RADIUS,
    RADIUS_CHOICES,
    FilterChoices,
    SearchCriteria,
)
from acuevidence.evidence.geo import Unit
from acuevidence.research.models import Condition, Therapy


class SearchForm(forms.Form):
    """The listing's filters. Invalid values are dropped, never an error page."""

    place = forms.CharField(
        required=False, max_length=120, label="Near (US ZIP code or city)", strip=True
    )
    radius = forms.TypedChoiceField(
        required=False,
        coerce=int,
        choices=[(r, str(r)) for r in RADIUS_CHOICES],
        initial=DEFAULT_RADIUS,
        label="Within",
    )
    unit = forms.ChoiceField(
        required=False,
        choices=[(u.value, "miles" if u is Unit.MILES else "km") for u in Unit],
        label="Unit",
    )
    condition = forms.ModelChoiceField(
        required=False, queryset=Condition.objects.none(), to_field_name="slug", empty_label="Any"
    )
    therapy = forms.ModelChoiceField(
        required=False, queryset=Therapy.objects.none(), to_field_name="slug", empty_label="Any"
    )
    language = forms.ChoiceField(required=False, choices=[("", "Any")])
    telehealth = forms.BooleanField(required=False, label="Offers telehealth")
    verified = forms.BooleanField(required=False, label="Verified licence only")
    sort = forms.ChoiceField(
        required=False, choices=[("distance", "Distance"), ("name", "Name")], label="Sort by"
    )

    def __init__(self, *args: Any, choices: FilterChoices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["condition"].queryset = choices.condition_queryset
        self.fields["therapy"].queryset = choices.therapy_queryset
        self.fields["language"].choices = [("", "Any"), *((x, x) for x in choices.languages)]

    def value(self, name: str, default: Any = None) -> Any:
        """The cleaned value, or ``default`` when the field was missing or invalid."""
        if name in self.errors:
            return default
        value = self.cleaned_data.get(name)
        return default if value in (None, "") else value

    def criteria(self, origin: Place | None) -> SearchCriteria:
        self.is_valid()
        radius = self.value("radius", DEFAULT_RADIUS)
        return SearchCriteria(
            origin=origin,
            radius=radius,
            unit=Unit(self.value("unit", Unit.MILES.value)),
            condition=self.value("condition"),
            therapy=self.value("therapy"),
            language=self.value("language", ""),
            telehealth=bool(self.value("telehealth", False)),
            verified_only=bool(self.value("verified", False)),
            sort=self.value("sort", "distance"),
        )


def resolve_place(text: str) -> tuple[Place | None, str]:
    """(place, "") or (None, a message for the reader)."""
    try:
        return place_resolve(text), ""
    except UnknownPlace as exc:
        return None, str(exc)


class HoneypotMixin(forms.Form):
    """A field people never see (hidden by CSS, skipped by keyboard and screen readers)."""

    homepage = forms.CharField(required=False, label="Leave this field empty")

    def is_spam(self) -> bool:
        return bool(self.data.get("homepage"))


class ContactForm(HoneypotMixin):
    name = forms.CharField(max_length=100, label="Your name")
    email = forms.EmailField(label="Your e-mail address (the practitioner replies to it)")
    message = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), max_length=3000)


class ListingReportForm(HoneypotMixin):
    reason = forms.ChoiceField(choices=ListingReport.Reason.choices, widget=forms.RadioSelect)
    details = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=3000
    )
    email = forms.EmailField(required=False, label="Your e-mail address (optional, for questions)")


class SignupForm(forms.Form):
    full_name = forms.CharField(max_length=150, label="Your name")
    email = forms.EmailField(label="E-mail address")
    password = forms.CharField(widget=forms.PasswordInput, label="Password")

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class ClaimForm(forms.Form):
    board = forms.ChoiceField(label="Licensing board")
    number = forms.CharField(max_length=60, label="Licence number")
    staff_review = forms.BooleanField(
        required=False,
        label="I no longer use the e-mail address on record: ask staff to check my claim",
    )

    def __init__(self, *args: Any, boards: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["board"].choices = [(b, b) for b in boards]


def _split_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


class ProfileForm(forms.ModelForm):
    languages_text = forms.CharField(
        required=False, label="Languages", help_text="Separated by commas."
    )
    insurance_text = forms.CharField(
        required=False, label="Insurance accepted", help_text="Separated by commas."
    )

    class Meta:
        model = Practitioner
        fields = [
            "name",
            "credentials",
            "bio",
            "telehealth",
            "website",
            "email",
            "therapies",
            "conditions",
        ]
        widgets = {
            "therapies": forms.CheckboxSelectMultiple,
            "conditions": forms.CheckboxSelectMultiple,
        }
        labels = {"email": "E-mail for messages from readers (never shown)"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["therapies"].queryset = Therapy.objects.filter(is_control=False)
        self.fields["languages_text"].initial = ", ".join(self.instance.languages)
        self.fields["insurance_text"].initial = ", ".join(self.instance.insurance_accepted)

    def profile_fields(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("therapies", "conditions")}
        data["languages"] = _split_list(data.pop("languages_text"))
        data["insurance_accepted"] = _split_list(data.pop("insurance_text"))
        return data


class LicenceSubmissionForm(forms.Form):
    jurisdiction = forms.CharField(max_length=100, help_text="e.g. California")
    board = forms.CharField(max_length=200, help_text="e.g. California Acupuncture Board")
    number = forms.CharField(max_length=60, label="Licence number")
    licence_type = forms.CharField(max_length=100, initial="Licensed Acupuncturist")
    issued_on = forms.DateField(required=False, help_text="YYYY-MM-DD")
    expires_on = forms.DateField(required=False, help_text="YYYY-MM-DD")
    document = forms.FileField(
        help_text="A scan or photo of the licence: PDF, JPEG or PNG.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def clean_document(self) -> Any:
        document = self.cleaned_data["document"]
        try:
            document_type(document, max_bytes=conf.upload_max_bytes())
        except DocumentRejected as exc:
            raise ValidationError(str(exc)) from exc
        return document

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        issued, expires = data.get("issued_on"), data.get("expires_on")
        if issued and expires and expires < issued:
            self.add_error("expires_on", "A licence cannot expire before it was issued.")
        return data


LOCATION_ADDRESS_FIELDS = ("name", "address", "city", "region", "postal_code", "country")


def _country_choices() -> list[tuple[str, str]]:
    names = country_names()
    others = sorted((name, code) for code, name in names.items() if code != "US")
    return [("US", names["US"]), *((code, name) for name, code in others)]


class LocationForm(forms.Form):
    """A practice location. Coordinates come from the ZIP code or city unless given exactly."""

    name = forms.CharField(required=False, max_length=200, label="Name of the clinic")
    address = forms.CharField(required=False, max_length=300, label="Street address")
    city = forms.CharField(max_length=120)
    region = forms.CharField(
        required=False, max_length=80, label="State or region", help_text="e.g. CA or Oregon"
    )
    postal_code = forms.CharField(
        required=False,
        max_length=20,
        label="Postal code",
        help_text="In the US, the ZIP code places the clinic on the map; elsewhere the city does.",
    )
    country = forms.ChoiceField(initial="US")
    latitude = forms.FloatField(
        required=False, min_value=-90, max_value=90, label="Latitude (optional)"
    )
    longitude = forms.FloatField(
        required=False,
        min_value=-180,
        max_value=180,
        label="Longitude (optional)",
        help_text="Exact coordinates, e.g. 37.7749 and -122.4194, instead of the ZIP code "
        "or city's centre.",
    )

    def __init__(self, *args: Any, location: Location | None = None, **kwargs: Any) -> None:
        if location is not None:
            kwargs.setdefault(
                "initial", {name: getattr(location, name) for name in LOCATION_ADDRESS_FIELDS}
            )
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _country_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if "latitude" in data and "longitude" in data and (latitude is None) != (longitude is None):
            missing = "longitude" if longitude is None else "latitude"
            self.add_error(missing, "Enter both latitude and longitude, or neither.")
        return data
