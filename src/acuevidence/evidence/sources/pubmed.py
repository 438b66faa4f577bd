"""PubMed XML: E-utilities ``efetch`` output and MEDLINE baseline/update files.

The file is read as a stream of records (``PubmedArticle``, ``PubmedBookArticle``,
``DeleteCitation``, or ``MedlineCitation`` in legacy ``MedlineCitationSet``
files). Each record's bytes are cut out of the stream and parsed on their own
with lxml, then dropped, so memory stays bounded by one record plus one read
buffer however large the file is.

Why not one ``lxml.etree.iterparse`` over the whole file: libxml2 stops at the
first syntax error, so one damaged article would lose every article after it.
Parsing record by record turns that article into a :class:`RecordError` and the
rest of the file still parses, which is what the import report needs. It is
also faster, since no tree for the enclosing set is ever built.

``DeleteCitation`` yields one record per PMID with ``deleted=True``; the
importer withdraws those studies rather than deleting them.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from typing import IO

from lxml import etree

from acuevidence.evidence.records import AbstractSection, RecordError, StudyRecord
from acuevidence.evidence.sources.common import (
    REGISTRY_PATTERNS,
    ParseResult,
    Source,
    SourceReadError,
    design_from_indexing,
    open_binary,
    registry_ids_in,
    source_name,
    unique,
    year_from_text,
)

SOURCE = "pubmed"
_CHUNK = 1 << 20
_RECORD_TAGS = (b"PubmedArticle", b"PubmedBookArticle", b"DeleteCitation")
_LEGACY_TAGS = (b"MedlineCitation", b"DeleteCitation")
_SET_ROOTS = (b"<PubmedArticleSet", b"<MedlineCitationSet", b"<PubmedBookArticleSet")
_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def parse_pubmed(source: Source) -> Iterator[ParseResult]:
    """Yield a :class:`StudyRecord` or :class:`RecordError` for each record in a PubMed XML file.

    Accepts efetch output, MEDLINE baseline and update files (gzipped or not) and
    legacy ``MedlineCitationSet`` files. Raises :class:`SourceReadError` if the
    file cannot be opened or is not PubMed XML at all.
    """
    name = source_name(source)
    number = 0
    with open_binary(source) as stream:
        for chunk in _record_chunks(stream, name):
            for result in _results(chunk, name, number + 1):
                number += 1
                yield result


def _results(chunk: bytes | RecordError, name: str, number: int) -> Iterator[ParseResult]:
    """The record (or error) in one chunk; a ``DeleteCitation`` gives one record per PMID."""
    if isinstance(chunk, RecordError):
        yield RecordError(name, number, chunk.record_id, chunk.field, chunk.message, chunk.raw)
        return
    try:
        element = etree.fromstring(chunk, _PARSER)
    except etree.XMLSyntaxError as exc:
        yield RecordError(name, number, _pmid_hint(chunk), "xml", str(exc), _raw(chunk))
        return
    if element.tag == "DeleteCitation":
        for offset, pmid in enumerate(element.iterfind("PMID")):
            yield StudyRecord(
                source=SOURCE, pmid=_text(pmid), deleted=True, record_number=number + offset
            )
        return
    try:
        yield _study(element, number)
    except _FieldError as exc:
        yield RecordError(name, number, exc.record_id, exc.field, exc.message, _raw(chunk))


class _FieldError(Exception):
    def __init__(self, record_id: str | None, field: str, message: str) -> None:
        super().__init__(message)
        self.record_id, self.field, self.message = record_id, field, message


def _record_chunks(stream: IO[bytes], name: str) -> Iterator[bytes | RecordError]:
    """Cut the byte stream into one ``bytes`` per record.

    A record that never closes (a truncated file, a damaged end tag) comes out
    as a :class:`RecordError` (numbered later) and scanning resumes at the next
    record's start tag.
    """
    buffer = _read(stream, name)
    while not any(root in buffer for root in _SET_ROOTS):
        more = _read(stream, name)
        if not more or len(buffer) > 4 * _CHUNK:
            raise SourceReadError(f"{name}: not PubMed XML (no <PubmedArticleSet> element found)")
        buffer += more
    tags = _LEGACY_TAGS if b"<MedlineCitationSet" in buffer else _RECORD_TAGS
    start_re = re.compile(rb"<(" + b"|".join(tags) + rb")[\s>]")
    pos = 0  # scanning moves an offset; the buffer is only cut when more is read
    eof = False
    while True:
        start = start_re.search(buffer, pos)
        if start is None:
            if eof:
                return
            more = _read(stream, name)
            eof = not more
            buffer = buffer[max(pos, len(buffer) - 64) :] + more  # a tag may straddle two reads
            pos = 0
            continue
        tag = start.group(1)
        end_tag = b"</" + tag + b">"
        end = buffer.find(end_tag, start.end())
        following = start_re.search(buffer, start.end(), end + 1 if end != -1 else len(buffer))
        if end != -1 and following is None:
            pos = end + len(end_tag)
            yield buffer[start.start() : pos]
        elif following is not None:
            yield _unclosed(buffer[start.start() : following.start()], tag)
            pos = following.start()
        elif eof:
            yield _unclosed(buffer[start.start() :], tag)
            return
        else:
            more = _read(stream, name)
            eof = not more
            buffer = buffer[start.start() :] + more
            pos = 0


def _read(stream: IO[bytes], name: str) -> bytes:
    try:
        return stream.read(_CHUNK)
    except (OSError, EOFError) as exc:
        raise SourceReadError(f"{name}: cannot read file ({exc})") from exc


def _unclosed(chunk: bytes, tag: bytes) -> RecordError:
    message = f"<{tag.decode()}> is not closed (damaged or truncated record)"
    return RecordError("", None, _pmid_hint(chunk), "xml", message, _raw(chunk))


_PMID_HINT = re.compile(rb"<PMID[^>]*>\s*(\d+)\s*</PMID>")


def _pmid_hint(chunk: bytes) -> str | None:
    match = _PMID_HINT.search(chunk)
    return match.group(1).decode() if match else None


def _raw(chunk: bytes) -> str:
    """The start of a record's text, enough for an editor to recognise it in quarantine."""
    return chunk[:4000].decode("utf-8", errors="replace")


def _leaf(parent: etree._Element | None, path: str) -> str:
    """The stripped text of a child that holds plain text only (ids, names, dates).

    Much cheaper than :func:`_text`, which matters at 30,000 records a file.
    """
    if parent is None:
        return ""
    return (parent.findtext(path) or "").strip()


def _text(element: etree._Element | None) -> str:
    """All text inside ``element`` in document order, inline markup dropped, ends stripped."""
    if element is None:
        return ""
    return "".join(element.itertext()).strip()


def _study(element: etree._Element, number: int) -> StudyRecord:
    if element.tag == "PubmedBookArticle":
        return _book(element, number)
    citation = element.find("MedlineCitation") if element.tag == "PubmedArticle" else element
    if citation is None:
        raise _FieldError(None, "MedlineCitation", "PubmedArticle has no MedlineCitation")
    pmid_element = citation.find("PMID")
    pmid = _text(pmid_element)
    if not pmid.isdigit():
        raise _FieldError(None, "PMID", f"missing or non-numeric PMID {pmid!r}")
    article = citation.find("Article")
    if article is None:
        raise _FieldError(pmid, "Article", "MedlineCitation has no Article")
    journal = article.find("Journal")
    pub_date = journal.find("JournalIssue/PubDate") if journal is not None else None
    year = _checked_year(pub_date, pmid, "PubDate")
    if year is None:
        year = _checked_year(article.find("ArticleDate"), pmid, "ArticleDate")
    ids = _article_ids(element.find("PubmedData/ArticleIdList"))
    doi = ids.get("doi") or _leaf(article, "ELocationID[@EIdType='doi']") or None
    sections = _abstract_sections(article.find("Abstract"))
    abstract = _joined(sections)
    registry = _databank_ids(article.find("DataBankList"))
    publication_types = unique(
        [(t.text or "").strip() for t in article.iterfind("PublicationTypeList/*")]
    )
    mesh_path = "MeshHeadingList/MeshHeading/DescriptorName"
    mesh = unique([(d.text or "").strip() for d in citation.iterfind(mesh_path)])
    title = _text(article.find("ArticleTitle")) or _text(article.find("VernacularTitle"))
    extra = _extra(
        pii=ids.get("pii"),
        journal_abbreviation=_leaf(journal, "ISOAbbreviation"),
        medline_status=citation.get("Status", ""),
        pmid_version=pmid_element.get("Version", "") if pmid_element is not None else "",
        date_revised=_iso_date(citation.find("DateRevised")),
        entrez_date=_iso_date(
            element.find("PubmedData/History/PubMedPubDate[@PubStatus='entrez']")
        ),
        publication_status=_leaf(element, "PubmedData/PublicationStatus"),
        vernacular_title=_text(article.find("VernacularTitle")),
        registry_ids_in_abstract=[i for i in registry_ids_in(abstract) if i not in registry],
    )
    return StudyRecord(
        source=SOURCE,
        title=title,
        pmid=pmid,
        doi=doi,
        pmcid=ids.get("pmc"),
        nct_id=next((i for i in registry if i.startswith("NCT")), None),
        registry_ids=registry,
        abstract=abstract,
        abstract_sections=sections,
        journal=_leaf(journal, "Title"),
        year=year,
        authors=_authors(article.find("AuthorList")),
        publication_types=publication_types,
        mesh_terms=mesh,
        keywords=unique([_text(k) for k in citation.iterfind("KeywordList/Keyword")]),
        language=_leaf(article, "Language"),
        design=design_from_indexing(publication_types, mesh),
        record_number=number,
        extra=extra,
    )


def _book(element: etree._Element, number: int) -> StudyRecord:
    document = element.find("BookDocument")
    if document is None:
        raise _FieldError(None, "BookDocument", "PubmedBookArticle has no BookDocument")
    pmid = _leaf(document, "PMID")
    if not pmid.isdigit():
        raise _FieldError(None, "PMID", f"missing or non-numeric PMID {pmid!r}")
    book = document.find("Book")
    book_title = _text(book.find("BookTitle")) if book is not None else ""
    year = _checked_year(book.find("PubDate") if book is not None else None, pmid, "PubDate")
    ids = _article_ids(document.find("ArticleIdList"))
    ids.update(_article_ids(element.find("PubmedBookData/ArticleIdList")))
    sections = _abstract_sections(document.find("Abstract"))
    publication_types = unique(
        [(t.text or "").strip() for t in document.iterfind("PublicationType")]
    )
    authors = next(
        (a for a in document.iterfind("AuthorList") if a.get("Type", "authors") == "authors"), None
    )
    return StudyRecord(
        source=SOURCE,
        title=_text(document.find("ArticleTitle")) or book_title,
        pmid=pmid,
        doi=ids.get("doi"),
        pmcid=ids.get("pmc"),
        abstract=_joined(sections),
        abstract_sections=sections,
        journal=book_title,
        year=year,
        authors=_authors(authors),
        publication_types=publication_types,
        keywords=unique([_text(k) for k in document.iterfind("KeywordList/Keyword")]),
        language=_leaf(document, "Language"),
        design=design_from_indexing(publication_types),
        record_number=number,
        extra=_extra(
            book_accession=ids.get("bookaccession"),
            publisher=_leaf(book, "Publisher/PublisherName"),
            date_revised=_iso_date(document.find("DateRevised")),
            entrez_date=_iso_date(
                element.find("PubmedBookData/History/PubMedPubDate[@PubStatus='entrez']")
            ),
        ),
    )


def _extra(**values: object) -> dict[str, object]:
    return {key: value for key, value in values.items() if value}


def _article_ids(id_list: etree._Element | None) -> dict[str, str]:
    if id_list is None:
        return {}
    ids: dict[str, str] = {}
    for article_id in id_list.iterfind("ArticleId"):
        value = (article_id.text or "").strip()
        if value:
            ids.setdefault(article_id.get("IdType", ""), value)
    return ids


def _abstract_sections(abstract: etree._Element | None) -> tuple[AbstractSection, ...]:
    if abstract is None:
        return ()
    sections = []
    for part in abstract.iterfind("AbstractText"):
        text = _text(part)
        if text:
            label, category = part.get("Label", "").strip(), part.get("NlmCategory", "")
            sections.append(AbstractSection(label=label, text=text, category=category))
    return tuple(sections)


def _joined(sections: tuple[AbstractSection, ...]) -> str:
    """The full abstract: one paragraph per section, each starting with its label."""
    return "\n".join(f"{s.label}: {s.text}" if s.label else s.text for s in sections)


def _authors(author_list: etree._Element | None) -> tuple[str, ...]:
    """Authors as "LastName Initials" (MEDLINE style), collective names as written."""
    if author_list is None:
        return ()
    names = []
    for author in author_list.iterfind("Author"):
        parts = _children(author)
        collective = author.find("CollectiveName") if "CollectiveName" in parts else None
        if collective is not None:
            names.append(_text(collective))
            continue
        initials = parts.get("Initials") or parts.get("ForeName", "")
        names.append(f"{parts.get('LastName', '')} {initials}".strip())
    return unique(names)


def _children(element: etree._Element) -> dict[str, str]:
    """Tag -> stripped text of the direct children, read in one pass (first of a tag wins)."""
    values: dict[str, str] = {}
    for child in element:
        tag = child.tag
        if isinstance(tag, str) and tag not in values:
            values[tag] = (child.text or "").strip()
    return values


def _databank_ids(databanks: etree._Element | None) -> tuple[str, ...]:
    """Accession numbers from trial registries; other data banks (GEO, figshare) are skipped."""
    if databanks is None:
        return ()
    ids = []
    for bank in databanks.iterfind("DataBank"):
        bank_name = _leaf(bank, "DataBankName")
        for accession in bank.iterfind("AccessionNumberList/AccessionNumber"):
            value = (accession.text or "").strip()
            if bank_name in REGISTRY_PATTERNS or registry_ids_in(value):
                ids.append(value)
    return unique(ids)


def _checked_year(date: etree._Element | None, pmid: str, field: str) -> int | None:
    """The year of a PubDate-like element; an impossible Year/Month/Day raises.

    ``MedlineDate`` ("1998 Dec-1999 Jan") gives its first year; ``Season`` is
    accepted in place of a month.
    """
    if date is None:
        return None
    medline_date = date.find("MedlineDate")
    if medline_date is not None:
        year = year_from_text(_text(medline_date))
        if year is None:
            raise _FieldError(pmid, field, f"no year in MedlineDate {_text(medline_date)!r}")
        return year
    parts = _children(date)
    year_text = parts.get("Year", "")
    if not year_text:
        return None
    if not (year_text.isdigit() and 1500 <= int(year_text) <= 2100):
        raise _FieldError(pmid, field, f"impossible year {year_text!r}")
    year = int(year_text)
    month_text = parts.get("Month", "")
    if month_text:
        month = _month(month_text)
        if month is None:
            raise _FieldError(pmid, field, f"impossible month {month_text!r}")
        day_text = parts.get("Day", "")
        if day_text and not (
            day_text.isdigit() and 1 <= int(day_text) <= calendar.monthrange(year, month)[1]
        ):
            raise _FieldError(pmid, field, f"impossible date {year}-{month:02d}-{day_text}")
    return year


def _month(text: str) -> int | None:
    if text.isdigit():
        return int(text) if 1 <= int(text) <= 12 else None
    return _MONTHS.get(text[:3].lower())


def _iso_date(date: etree._Element | None) -> str:
    """``YYYY-MM-DD`` from Year/Month/Day children, or ``""`` when incomplete or invalid."""
    if date is None:
        return ""
    parts = _children(date)
    year, month, day = parts.get("Year", ""), parts.get("Month", ""), parts.get("Day", "")
    month_number = _month(month) if month else None
    if not (year.isdigit() and month_number and day.isdigit()):
        return ""
    return f"{int(year):04d}-{month_number:02d}-{int(day):02d}"
