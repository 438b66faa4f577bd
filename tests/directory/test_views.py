"""Public directory pages: search by place, helpful messages, profiles, contact and reports."""

from __future__ import annotations

import json
import re

import pytest
from django.core import mail
from django.urls import reverse

from acuevidence.directory.models import ListingReport

pytestmark = pytest.mark.django_db

LIST = "/practitioners/"


@pytest.fixture
def bay_area(make_practitioner, make_licence):
    near = make_practitioner("Near Mission", (37.76, -122.42), email="near@example.org")
    make_licence(near, "AC 100")
    make_practitioner("Oakland Clinic", (37.80, -122.27))
    make_practitioner("Los Angeles Clinic", (34.05, -118.24))
    return near


def test_search_by_zip_code_lists_nearby_practitioners_with_distance(client, bay_area):
    html = client.get(LIST, {"place": "94103", "radius": "25"}).content.decode()
    assert "Near Mission" in html and "Oakland Clinic" in html
    assert "Los Angeles Clinic" not in html
    assert "within 25 miles of 94103 (San Francisco, CA)" in html
    assert re.search(r"<strong>\d+\.\d miles</strong> away", html)
    assert html.index("Near Mission") < html.index("Oakland Clinic")


def test_search_by_city_name_in_km(client, bay_area):
    html = client.get(LIST, {"place": "San Francisco, CA", "radius": "10", "unit": "km"}).content
    html = html.decode()
    assert "Near Mission" in html and "Oakland Clinic" not in html
    assert " km</strong> away" in html


def test_search_by_browser_coordinates(client, bay_area):
    html = client.get(LIST, {"place": "34.05, -118.25", "radius": "5"}).content.decode()
    assert "Los Angeles Clinic" in html and "of your location" in html


def test_an_unknown_place_gets_a_helpful_message_not_an_error(client, bay_area):
    response = client.get(LIST, {"place": "Atlantisville", "radius": "25"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "We could not find a place called" in html and "Portland, OR" in html
    unknown_zip = client.get(LIST, {"place": "00000"}).content.decode()
    assert "We do not know the ZIP code 00000" in unknown_zip


def test_invalid_filter_values_are_ignored(client, bay_area):
    response = client.get(LIST, {"place": "94103", "radius": "9999", "sort": "x", "condition": "?"})
    assert response.status_code == 200
    assert "within 25 miles" in response.content.decode()


def test_a_search_depends_only_on_its_url_so_every_reader_can_share_the_cached_page(
    client, bay_area, vocab, settings
):
    settings.ACUEVIDENCE_PAGE_CACHE_SECONDS = 300
    searched = client.get(LIST, {"place": "94103", "radius": "5"})
    assert not searched.cookies and settings.SESSION_COOKIE_NAME not in client.cookies
    # No earlier place is applied on the server: a link naming only a condition lists everyone.
    html = client.get(LIST, {"condition": "stroke"}).content.decode()
    assert "within" not in html and "of 94103" not in html
    again = client.get(LIST, {"place": "94103", "radius": "5"})
    assert (searched["X-Page-Cache"], again["X-Page-Cache"]) == ("miss", "hit")
    assert again.content == searched.content


def test_results_are_paginated(client, make_practitioner, settings):
    settings.DIRECTORY_PAGE_SIZE = 2
    for i in range(5):
        make_practitioner(f"P{i}", (37.77 + i / 1000, -122.42))
    first = client.get(LIST, {"place": "94103"}).content.decode()
    third = client.get(LIST, {"place": "94103", "page": "3"}).content.decode()
    assert "Page 1 of 3" in first and first.count('class="card practitioner"') == 2
    assert third.count('class="card practitioner"') == 1
    assert "place=94103" in first  # the next-page link keeps the search


def test_profile_says_what_was_verified_and_carries_json_ld(client, bay_area):
    html = client.get(bay_area.get_absolute_url()).content.decode()
    assert "Licence AC 100, California Acupuncture Board, verified on" in html
    assert "against the board&#x27;s roster" in html or "against the board's roster" in html
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    )
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "MedicalBusiness"
    assert data["name"] == "Near Mission"
    assert data["location"][0]["geo"]["latitude"] == 37.76
    assert "near@example.org" not in html


def test_a_medical_doctor_is_a_schema_org_physician(client, make_practitioner):
    doctor = make_practitioner("Dr Who", (37.7, -122.4), credentials="MD, L.Ac.")
    html = client.get(doctor.get_absolute_url()).content.decode()
    assert '"@type": "Physician"' in html


def test_demo_profiles_are_labelled_and_not_indexed(client, make_practitioner):
    demo = make_practitioner("Synthetic Sam", (37.7, -122.4), is_demo=True)
    html = client.get(demo.get_absolute_url()).content.decode()
    assert "This profile is synthetic" in html
    assert '<meta name="robots" content="noindex">' in html
    listing = client.get(LIST).content.decode()
    assert "Demo data: not a real practitioner" in listing


def test_contact_form_emails_the_practitioner_without_revealing_the_address(client, bay_area):
    url = reverse("practitioner-contact", args=[bay_area.slug])
    page = client.get(url).content.decode()
    assert "near@example.org" not in page
    response = client.post(
        url, {"name": "Rita Reader", "email": "rita@example.net", "message": "Do you treat stroke?"}
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["near@example.org"]
    assert message.reply_to == ["rita@example.net"]
    assert "Do you treat stroke?" in message.body
    assert "near@example.org" not in client.get(response.url).content.decode()


def test_contact_form_honeypot_silently_drops_bots(client, bay_area):
    url = reverse("practitioner-contact", args=[bay_area.slug])
    response = client.post(
        url,
        {"name": "Bot", "email": "bot@example.net", "message": "Buy", "homepage": "http://spam"},
    )
    assert response.status_code == 302
    assert mail.outbox == []


def test_contact_form_is_rate_limited_per_client(client, bay_area, settings):
    from django.core.cache import cache

    cache.clear()
    settings.DIRECTORY_CONTACT_LIMIT = (2, 3600)
    url = reverse("practitioner-contact", args=[bay_area.slug])
    data = {"name": "Rita", "email": "rita@example.net", "message": "Hello"}
    statuses = [client.post(url, data).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert len(mail.outbox) == 2
    other_client = client.post(url, data, REMOTE_ADDR="10.0.0.9")
    assert other_client.status_code == 302


def test_practitioners_without_an_address_have_no_contact_form(client, make_practitioner):
    silent = make_practitioner("No Mail", (37.7, -122.4))
    assert client.get(reverse("practitioner-contact", args=[silent.slug])).status_code == 404
    assert "Send a message" not in client.get(silent.get_absolute_url()).content.decode()


def test_anyone_can_report_a_wrong_listing_and_it_queues_for_staff(client, bay_area):
    from django.core.cache import cache

    cache.clear()
    url = reverse("practitioner-report", args=[bay_area.slug])
    response = client.post(url, {"reason": "closed", "details": "Closed in May."})
    assert response.status_code == 302
    report = ListingReport.objects.get()
    assert report.practitioner == bay_area
    assert report.status == ListingReport.Status.OPEN
    assert report.details == "Closed in May."


def test_unpublished_profiles_are_not_public(client, make_practitioner):
    hidden = make_practitioner("Hidden", (37.7, -122.4), is_published=False)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert "Hidden" not in client.get(LIST).content.decode()
