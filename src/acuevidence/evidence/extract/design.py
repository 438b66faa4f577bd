"""Study design from publication types and MeSH when the source has them, else from the text."""

from __future__ import annotations

import re
from collections.abc import Iterable

from acuevidence.evidence.records import Design

_PUBLICATION_TYPES: tuple[tuple[str, Design], ...] = (
    ("systematic review", Design.SYSTEMATIC_REVIEW),
    ("meta-analysis", Design.SYSTEMATIC_REVIEW),
    ("clinical trial protocol", Design.PROTOCOL),
    ("observational study", Design.OBSERVATIONAL),
    ("randomized controlled trial", Design.RCT),
)
_MESH: tuple[tuple[str, Design], ...] = (
    ("cross-over studies", Design.CROSSOVER),
    ("cohort studies", Design.OBSERVATIONAL),
    ("case-control studies", Design.OBSERVATIONAL),
    ("cross-sectional studies", Design.OBSERVATIONAL),
)

_REVIEW = re.compile(
    r"systematic\sreview|meta-?\s?analys[ie]s|network\smeta|databases\swere\ssearched|we\ssearched",
    re.IGNORECASE,
)
_PROTOCOL = re.compile(
    r"\bprotocol\b|will\sbe\s(?:randomi[sz]ed|randomly|recruited|enrolled|assigned|allocated)",
    re.IGNORECASE,
)
_REVIEW_METHODS = re.compile(
    r"searched|databases|eligible\s(?:trials|studies)|studies\swere\sincluded", re.IGNORECASE
)
_CROSSOVER = re.compile(r"cross-?\s?over", re.IGNORECASE)
_CLUSTER = re.compile(r"cluster[-\s]{1,2}randomi[sz]ed|cluster\srandomi[sz]ation", re.IGNORECASE)
_NON_RANDOM = re.compile(
    r"non-?\s?randomi[sz]ed|single-?\s?arm|case\sseries|before-and-after", re.IGNORECASE
)
_RANDOM = re.compile(
    r"randomi[sz]ed|randomly\s(?:assigned|allocated|divided)|randomi[sz]ation", re.IGNORECASE
)
_OBSERVATIONAL = re.compile(
    r"\bcohort\b|case-control|cross-sectional|retrospective|observational|registry\sstudy",
    re.IGNORECASE,
)


def classify_design(
    title: str,
    text: str,
    *,
    publication_types: Iterable[str] = (),
    mesh_terms: Iterable[str] = (),
) -> Design | None:
    """The design of the study a title and abstract describe, or ``None`` if nothing says.

    Indexing wins over wording (an indexer read the full paper); a specific
    randomized design (crossover, cluster) refines a generic RCT publication type.
    A review is recognised from its title or its methods ("we searched"), not from a
    background sentence that cites one.
    """
    indexed = _from_index(publication_types, mesh_terms)
    if indexed is not None and indexed is not Design.RCT:
        return indexed
    if indexed is None and (_REVIEW.search(title) or (_REVIEW.search(text) and _searched(text))):
        return Design.SYSTEMATIC_REVIEW
    if indexed is None and (_PROTOCOL.search(title) or _PROTOCOL.search(text)):
        return Design.PROTOCOL
    if _CROSSOVER.search(title) or _CROSSOVER.search(text):
        return Design.CROSSOVER
    if _CLUSTER.search(title) or _CLUSTER.search(text):
        return Design.CLUSTER
    if indexed is Design.RCT:
        return Design.RCT
    if _NON_RANDOM.search(title) or _NON_RANDOM.search(text):
        return Design.OTHER
    if _RANDOM.search(title) or _RANDOM.search(text):
        return Design.RCT
    if _OBSERVATIONAL.search(title) or _OBSERVATIONAL.search(text):
        return Design.OBSERVATIONAL
    return None


def _searched(text: str) -> bool:
    """Review methods, as opposed to a background sentence citing a review."""
    return _REVIEW_METHODS.search(text) is not None


def _from_index(publication_types: Iterable[str], mesh_terms: Iterable[str]) -> Design | None:
    types = {item.strip().lower() for item in publication_types}
    mesh = {item.strip().lower().rstrip("*") for item in mesh_terms}
    for name, design in _MESH:
        if name in mesh:
            return design
    for name, design in _PUBLICATION_TYPES:
        if name in types:
            return design
    return None
