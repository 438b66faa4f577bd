"""Radius search at the edges: the radius itself, several locations, the antimeridian, the poles."""

from __future__ import annotations

import pytest

from acuevidence.directory.places import Place
from acuevidence.directory.selectors import SearchCriteria, practitioner_search, search_hits
from acuevidence.evidence.geo import Unit, destination, haversine_km

pytestmark = pytest.mark.django_db

SF = Place("San Francisco", 37.7725, -122.4147)


def search(**kwargs) -> list[tuple[str, float | None]]:
    criteria = SearchCriteria(**kwargs)
    rows = list(practitioner_search(criteria=criteria))
    return [(h.practitioner.name, h.distance_km) for h in search_hits(rows=rows, criteria=criteria)]


def names(**kwargs) -> list[str]:
    return [name for name, _ in search(**kwargs)]


def test_a_location_exactly_at_the_radius_is_included_and_just_beyond_is_not(make_practitioner):
    radius_km = Unit.MILES.to_km(25)
    for bearing in (0, 90, 180, 270, 45):
        make_practitioner(
            f"At {bearing}", destination(SF.latitude, SF.longitude, bearing, radius_km)
        )
        make_practitioner(
            f"Beyond {bearing}", destination(SF.latitude, SF.longitude, bearing, radius_km + 0.01)
        )
    found = names(origin=SF, radius=25, unit=Unit.MILES)
    assert sorted(found) == sorted(f"At {b}" for b in (0, 90, 180, 270, 45))


def test_results_are_sorted_by_distance_and_show_it(make_practitioner):
    make_practitioner("Far", destination(SF.latitude, SF.longitude, 10, 30))
    make_practitioner("Near", destination(SF.latitude, SF.longitude, 200, 2))
    make_practitioner("Middle", destination(SF.latitude, SF.longitude, 100, 12))
    results = search(origin=SF, radius=50, unit=Unit.KM)
    assert [name for name, _ in results] == ["Near", "Middle", "Far"]
    assert [round(d, 6) for _, d in results] == [2.0, 12.0, 30.0]


def test_sorting_by_name(make_practitioner):
    make_practitioner("Zoe", destination(SF.latitude, SF.longitude, 10, 1))
    make_practitioner("Adam", destination(SF.latitude, SF.longitude, 10, 20))
    assert names(origin=SF, radius=50, unit=Unit.KM, sort="name") == ["Adam", "Zoe"]


def test_a_practitioner_with_several_locations_is_listed_once_at_the_nearest(make_practitioner):
    make_practitioner(
        "Two clinics",
        destination(SF.latitude, SF.longitude, 0, 40),
        destination(SF.latitude, SF.longitude, 90, 7),
        destination(SF.latitude, SF.longitude, 180, 400),
    )
    criteria = SearchCriteria(origin=SF, radius=100, unit=Unit.KM)
    rows = list(practitioner_search(criteria=criteria))
    (hit,) = search_hits(rows=rows, criteria=criteria)
    assert hit.distance_km == pytest.approx(7.0)
    assert hit.location.name == "Two clinics clinic 2"
    assert len(hit.other_locations) == 2


def test_search_across_the_antimeridian(make_practitioner):
    fiji = Place("Taveuni", -16.8, 179.95)
    make_practitioner("East of the line", (-16.8, -179.95))
    make_practitioner("West of the line", (-16.8, 179.90))
    make_practitioner("Far away", (-16.8, 170.0))
    results = dict(search(origin=fiji, radius=25, unit=Unit.KM))
    assert set(results) == {"East of the line", "West of the line"}
    assert results["East of the line"] == pytest.approx(haversine_km(-16.8, 179.95, -16.8, -179.95))


@pytest.mark.parametrize("pole", [90.0, -90.0])
def test_search_near_a_pole_finds_points_on_the_other_side(make_practitioner, pole):
    sign = 1 if pole > 0 else -1
    origin = Place("Near the pole", sign * 89.8, 0.0)
    make_practitioner("Across the pole", (sign * 89.8, 180.0))  # about 44 km over the pole
    make_practitioner("Same meridian, too far", (sign * 88.0, 0.0))
    assert names(origin=origin, radius=50, unit=Unit.KM) == ["Across the pole"]


def test_filters_combine(make_practitioner, make_licence, vocab):
    from acuevidence.research.models import Condition, Therapy

    stroke = Condition.objects.get(slug="stroke")
    hemiplegia = Condition.objects.get(slug="post-stroke-hemiplegia")
    acupuncture = Therapy.objects.get(slug="acupuncture")
    here = (37.78, -122.41)
    match = make_practitioner(
        "Matches",
        here,
        conditions=(hemiplegia,),
        therapies=(acupuncture,),
        languages=["English", "Spanish"],
        telehealth=True,
    )
    make_licence(match, "AC 1")
    unverified = make_practitioner(
        "Unverified",
        here,
        conditions=(stroke,),
        therapies=(acupuncture,),
        languages=["Spanish"],
        telehealth=True,
    )
    make_licence(unverified, "AC 2", verified_days_ago=None)
    make_practitioner("No telehealth", here, conditions=(stroke,), languages=["Spanish"])
    make_practitioner(
        "Other language", here, conditions=(stroke,), languages=["Korean"], telehealth=True
    )
    make_practitioner("Unpublished", here, conditions=(stroke,), is_published=False)
    base = {"origin": SF, "radius": 10, "unit": Unit.KM}
    # "stroke" includes its narrower condition, post-stroke hemiplegia.
    assert set(names(**base, condition=stroke)) == {
        "Matches",
        "Unverified",
        "No telehealth",
        "Other language",
    }
    assert set(names(**base, condition=stroke, language="Spanish", telehealth=True)) == {
        "Matches",
        "Unverified",
    }
    assert names(**base, condition=stroke, verified_only=True) == ["Matches"]
    assert names(**base, therapy=acupuncture, language="spanish", verified_only=True) == ["Matches"]


def test_an_expired_licence_is_not_verified_for_the_filter(make_practitioner, make_licence):
    person = make_practitioner("Expired", (37.78, -122.41))
    make_licence(person, "AC 3", expires_in_days=-1)
    assert names(origin=SF, radius=10, unit=Unit.KM, verified_only=True) == []
    assert names(origin=SF, radius=10, unit=Unit.KM) == ["Expired"]


def test_without_a_place_every_match_is_listed_by_name(make_practitioner):
    make_practitioner("Bea", (10.0, 10.0))
    make_practitioner("Al", (-10.0, -10.0))
    assert search() == [("Al", None), ("Bea", None)]
