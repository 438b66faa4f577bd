"""Search-result snippets: a short window of text around the first match, terms marked.

The text is HTML-escaped before ``<mark>`` tags are added, so a snippet is safe
to render whatever the source text contains.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "after",
        "are",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "of",
        "on",
        "or",
        "the",
        "to",
        "vs",
        "with",
        "without",
    ]
)
_WORD = re.compile(r"[\w'-]+", re.UNICODE)


def words(text: str) -> list[str]:
    """Lower-cased words of ``text`` without stopwords (hyphenated words are split too)."""
    found: list[str] = []
    for token in _WORD.findall(text.lower()):
        parts = [p for p in re.split(r"[-']", token) if p]
        for part in parts:
            if part not in STOPWORDS:
                found.append(part)
    return found


def _pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    unique = sorted({t for t in terms if len(t) > 1}, key=len, reverse=True)
    if not unique:
        return None
    return re.compile(r"\b(" + "|".join(re.escape(t) for t in unique) + r")", re.IGNORECASE)


def snippet(text: str, terms: Iterable[str], *, width: int = 220) -> SafeString:
    """About ``width`` characters of ``text`` around the first term found, terms in <mark>."""
    text = " ".join(text.split())
    pattern = _pattern(terms)
    match = pattern.search(text) if pattern else None
    start = 0
    if match and match.start() > width // 3:
        start = text.rfind(" ", 0, match.start() - width // 3) + 1
    end = min(len(text), start + width)
    if end < len(text):
        end = max(text.rfind(" ", start, end), start + width // 2)
    window = text[start:end]
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    if pattern is None:
        return mark_safe(prefix + escape(window) + suffix)
    pieces: list[str] = []
    last = 0
    for found in pattern.finditer(window):
        pieces.append(escape(window[last : found.start()]))
        pieces.append(f"<mark>{escape(found.group(0))}</mark>")
        last = found.end()
    pieces.append(escape(window[last:]))
    return mark_safe(prefix + "".join(pieces) + suffix)


def matches(text: str, terms: Iterable[str]) -> bool:
    pattern = _pattern(terms)
    return bool(pattern and pattern.search(text))
