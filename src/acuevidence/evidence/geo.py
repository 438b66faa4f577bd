"""Great-circle distance and search bounding boxes on a spherical Earth (pure maths).

The practitioner directory finds locations within a radius in two steps: a cheap,
index-friendly bounding box in latitude/longitude, then the exact great-circle
distance. The box must contain every point of the circle, including circles that
cross the antimeridian (two longitude ranges) or contain a pole (every longitude).

Formulae: the haversine distance (R. W. Sinnott, "Virtues of the Haversine",
Sky and Telescope 68(2), 1984, p. 159) and the bounding coordinates of J. P.
Matuschek, "Finding Points Within a Distance of a Latitude/Longitude Using
Bounding Coordinates" (2010), section 3.4: the longitude half-width at latitude
``lat`` for angular radius ``r`` is ``asin(sin r / cos lat)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

EARTH_RADIUS_KM = 6371.0088
"""IUGG mean Earth radius (Moritz, Geodetic Reference System 1980)."""

KM_PER_MILE = 1.609344


class Unit(Enum):
    """A unit of distance the reader chooses; ``km`` is how many kilometres one unit is."""

    KM = "km"
    MILES = "mi"

    @property
    def km(self) -> float:
        return 1.0 if self is Unit.KM else KM_PER_MILE

    def to_km(self, value: float) -> float:
        return value * self.km

    def from_km(self, value_km: float) -> float:
        return value_km / self.km


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two points given in degrees.

    The argument of ``asin`` is clamped to 1 so antipodal points do not fail on
    rounding error.
    """
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def destination(
    lat: float, lon: float, bearing_deg: float, distance_km: float
) -> tuple[float, float]:
    """The point reached from (lat, lon) after ``distance_km`` along an initial bearing.

    Spherical direct geodesic problem (the "destination point" formula); used by
    tests and the benchmark to place points at an exact distance.
    """
    delta = distance_km / EARTH_RADIUS_KM
    theta = math.radians(bearing_deg)
    phi1, lmb1 = math.radians(lat), math.radians(lon)
    sin_phi2 = math.sin(phi1) * math.cos(delta) + math.cos(phi1) * math.sin(delta) * math.cos(theta)
    phi2 = math.asin(max(-1.0, min(1.0, sin_phi2)))
    lmb2 = lmb1 + math.atan2(
        math.sin(theta) * math.sin(delta) * math.cos(phi1),
        math.cos(delta) - math.sin(phi1) * sin_phi2,
    )
    return math.degrees(phi2), normalize_longitude(math.degrees(lmb2))


def normalize_longitude(lon: float) -> float:
    """Longitude wrapped into [-180, 180)."""
    return (lon + 180.0) % 360.0 - 180.0


@dataclass(frozen=True, slots=True)
class BoundingBox:
    """Latitude bounds and one or two longitude ranges (two when crossing the antimeridian)."""

    min_lat: float
    max_lat: float
    lon_ranges: tuple[tuple[float, float], ...]

    def contains(self, lat: float, lon: float) -> bool:
        if not self.min_lat <= lat <= self.max_lat:
            return False
        return any(low <= lon <= high for low, high in self.lon_ranges)


def bounding_box(lat: float, lon: float, radius_km: float) -> BoundingBox:
    """The smallest latitude/longitude box holding every point within ``radius_km``.

    A circle that reaches a pole holds every longitude near that pole; one that
    crosses the antimeridian is split into two longitude ranges.
    """
    if not -90.0 <= lat <= 90.0:
        raise ValueError(f"latitude {lat} is outside [-90, 90]")
    if radius_km < 0:
        raise ValueError(f"radius {radius_km} km is negative")
    r = radius_km / EARTH_RADIUS_KM
    phi, lmb = math.radians(lat), math.radians(normalize_longitude(lon))
    min_phi, max_phi = phi - r, phi + r
    if min_phi <= -math.pi / 2 or max_phi >= math.pi / 2:
        return BoundingBox(
            math.degrees(max(min_phi, -math.pi / 2)),
            math.degrees(min(max_phi, math.pi / 2)),
            ((-180.0, 180.0),),
        )
    ratio = math.sin(r) / math.cos(phi)
    if ratio >= 1.0:
        return BoundingBox(math.degrees(min_phi), math.degrees(max_phi), ((-180.0, 180.0),))
    dlmb = math.asin(ratio)
    low, high = math.degrees(lmb - dlmb), math.degrees(lmb + dlmb)
    if low < -180.0:
        ranges: tuple[tuple[float, float], ...] = ((low + 360.0, 180.0), (-180.0, high))
    elif high > 180.0:
        ranges = ((low, 180.0), (-180.0, high - 360.0))
    else:
        ranges = ((low, high),)
    return BoundingBox(math.degrees(min_phi), math.degrees(max_phi), ranges)
