"""Great-circle distance and bounding boxes, including the antimeridian and the poles."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from acuevidence.evidence.geo import (
    EARTH_RADIUS_KM,
    KM_PER_MILE,
    Unit,
    bounding_box,
    destination,
    haversine_km,
)

ONE_DEGREE_KM = EARTH_RADIUS_KM * math.pi / 180


def test_one_degree_of_latitude_is_one_180th_of_half_a_meridian():
    assert haversine_km(10.0, 20.0, 11.0, 20.0) == pytest.approx(ONE_DEGREE_KM, rel=1e-12)


def test_a_degree_of_longitude_shrinks_with_the_cosine_of_latitude_for_short_arcs():
    assert haversine_km(60.0, 0.0, 60.0, 0.001) == pytest.approx(
        0.001 * ONE_DEGREE_KM * math.cos(math.radians(60.0)), rel=1e-6
    )


def test_distance_across_the_antimeridian_is_short():
    assert haversine_km(0.0, 179.9, 0.0, -179.9) == pytest.approx(0.2 * ONE_DEGREE_KM, rel=1e-9)


def test_antipodal_points_are_half_a_circumference_apart():
    assert haversine_km(0.0, 0.0, 0.0, 180.0) == pytest.approx(math.pi * EARTH_RADIUS_KM)
    assert haversine_km(90.0, 0.0, -90.0, 0.0) == pytest.approx(math.pi * EARTH_RADIUS_KM)


def test_all_longitudes_at_a_pole_are_the_same_point():
    assert haversine_km(90.0, -120.0, 90.0, 45.0) == pytest.approx(0.0, abs=1e-9)


def test_san_francisco_to_new_york_is_about_4130_km():
    # Both city-hall coordinates; the published great-circle figure is about 4,130 km.
    assert haversine_km(37.7793, -122.4193, 40.7128, -74.0060) == pytest.approx(4130, rel=0.005)


def test_units_convert_miles_exactly():
    assert Unit.MILES.to_km(1.0) == KM_PER_MILE
    assert Unit.MILES.from_km(KM_PER_MILE * 25) == pytest.approx(25.0)
    assert Unit.KM.to_km(7.0) == 7.0


def test_box_near_the_antimeridian_has_two_longitude_ranges():
    box = bounding_box(-17.7, 179.9, 50.0)  # Fiji
    assert len(box.lon_ranges) == 2
    assert box.contains(-17.7, -179.8)
    assert box.contains(-17.7, 179.5)
    assert not box.contains(-17.7, 0.0)


def test_box_reaching_a_pole_spans_every_longitude():
    box = bounding_box(89.9, 10.0, 50.0)
    assert box.max_lat == 90.0
    assert box.lon_ranges == ((-180.0, 180.0),)
    assert box.contains(89.9, -170.0)  # about 22 km away, over the pole


def test_box_of_an_ordinary_circle_is_one_range_wider_than_its_height_at_high_latitude():
    box = bounding_box(60.0, 10.0, 100.0)
    ((low, high),) = box.lon_ranges
    # cos 60° = 1/2: a degree of longitude is half as long as a degree of latitude there.
    assert high - low == pytest.approx(2 * (box.max_lat - box.min_lat), rel=0.01)


def test_box_rejects_impossible_input():
    with pytest.raises(ValueError, match="latitude"):
        bounding_box(91.0, 0.0, 1.0)
    with pytest.raises(ValueError, match="negative"):
        bounding_box(0.0, 0.0, -1.0)


def test_destination_is_at_the_requested_distance():
    lat, lon = destination(37.0, -122.0, 73.0, 80.0)
    assert haversine_km(37.0, -122.0, lat, lon) == pytest.approx(80.0, rel=1e-9)


@settings(max_examples=300, deadline=None)
@given(
    lat=st.floats(-90, 90),
    lon=st.floats(-180, 180, exclude_max=True),
    radius=st.floats(0.1, 500),
    bearing=st.floats(0, 360),
    fraction=st.floats(0, 0.999999),
)
def test_every_point_inside_the_circle_is_inside_the_box(lat, lon, radius, bearing, fraction):
    box = bounding_box(lat, lon, radius)
    point = destination(lat, lon, bearing, radius * fraction)
    assert box.contains(*point)
