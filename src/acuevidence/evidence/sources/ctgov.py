"""ClinicalTrials.gov API v2 JSON: single studies and paged search responses.

A file holds either one study (``/api/v2/studies/{nctId}``), a search page
(``{"studies": [...], "nextPageToken": ...}``) or a plain list of studies.
Each study's protocol modules become the record's fields; when results are
posted, ``resultsSection.outcomeMeasuresModule`` becomes per-arm results
(:class:`ArmResult`) and its statistical analyses become :class:`Comparison`.

The registry's values are kept as posted: a mean with a standard error stays a
mean without an SD (the printed form says what the spread was), and a
confidence interval that is not 95% is kept only in ``printed``.
Contact names, emails and phone numbers are never copied.
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Iterator
from typing import Any

from acuevidence.evidence.records import (
    AbstractSection,
    Arm,
    ArmResult,
    Comparison,
    Design,
    RecordError,
    ResultKind,
    Status,
    StudyRecord,
)
from acuevidence.evidence.sources.common import (
    ParseResult,
    Source,
    SourceReadError,
    is_nct_id,
    open_binary,
    registry_ids_in,
    source_name,
    unique,
    year_from_text,
)

SOURCE = "ctgov"
_STATUS = {
    "RECRUITING": Status.ONGOING,
    "NOT_YET_RECRUITING": Status.ONGOING,
    "ACTIVE_NOT_RECRUITING": Status.ONGOING,
    "ENROLLING_BY_INVITATION": Status.ONGOING,
    "SUSPENDED": Status.ONGOING,
    "COMPLETED": Status.COMPLETED,
    "TERMINATED": Status.TERMINATED,
    "WITHDRAWN": Status.TERMINATED,
}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_P_VALUE = re.compile(r"^\s*([<>=≤≥]?)\s*=?\s*(\d*\.?\d+(?:[eE]-?\d+)?)\s*$")

JsonObject = dict[str, Any]


class _FieldError(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def parse_ctgov(source: Source) -> Iterator[ParseResult]:
    """Yield a record (or error) per study in a ClinicalTrials.gov v2 JSON file.

    Raises :class:`SourceReadError` when the file is not JSON, since no study in
    it can be told apart from the next.
    """
    name = source_name(source)
    with open_binary(source) as stream:
        try:
            document = json.load(stream)
        except (ValueError, OSError, EOFError) as exc:
            raise SourceReadError(f"{name}: not valid JSON ({exc})") from exc
    yield from parse_ctgov_document(document, name)


def studies_in(document: Any) -> list[Any]:
    """The study objects in a parsed document: a search page, a list, or one study."""
    if isinstance(document, dict) and "studies" in document:
        studies = document["studies"]
        return studies if isinstance(studies, list) else [studies]
    if isinstance(document, list):
        return document
    return [document]


def parse_ctgov_document(document: Any, name: str, first_number: int = 1) -> Iterator[ParseResult]:
    """Records for the studies in an already parsed JSON document (used by the live client)."""
    for number, study in enumerate(studies_in(document), start=first_number):
        nct_id = _nct_hint(study)
        try:
            yield study_record(study, number)
        except _FieldError as exc:
            raw = json.dumps(study, ensure_ascii=False)[:4000]
            yield RecordError(name, number, nct_id, exc.field, exc.message, raw)


def _nct_hint(study: Any) -> str | None:
    value = _get(study, "protocolSection", "identificationModule", "nctId")
    return value if isinstance(value, str) and value else None


def _get(obj: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def _list(obj: Any, *path: str) -> list[Any]:
    value = _get(obj, *path)
    return value if isinstance(value, list) else []


def _str(obj: Any, *path: str) -> str:
    value = _get(obj, *path)
    return value.strip() if isinstance(value, str) else ""


def study_record(study: Any, number: int) -> StudyRecord:
    """One study object as a :class:`StudyRecord`; raises ``_FieldError`` for a bad field."""
    if not isinstance(study, dict):
        raise _FieldError("study", f"expected a JSON object, got {type(study).__name__}")
    protocol = study.get("protocolSection")
    if not isinstance(protocol, dict):
        raise _FieldError("protocolSection", "study has no protocolSection")
    nct_id = _str(protocol, "identificationModule", "nctId")
    if not is_nct_id(nct_id):
        raise _FieldError("nctId", f"missing or malformed NCT number {nct_id!r}")
    start_date = _date(protocol, "startDateStruct")
    completion_date = _date(protocol, "completionDateStruct") or _date(
        protocol, "primaryCompletionDateStruct"
    )
    first_submitted = _str(protocol, "statusModule", "studyFirstSubmitDate")
    overall_status = _str(protocol, "statusModule", "overallStatus")
    sections = tuple(
        AbstractSection(label=label, text=text)
        for label, text in (
            ("BRIEF SUMMARY", _str(protocol, "descriptionModule", "briefSummary")),
            ("DETAILED DESCRIPTION", _str(protocol, "descriptionModule", "detailedDescription")),
        )
        if text
    )
    arm_groups = _list(protocol, "armsInterventionsModule", "armGroups")
    arm_labels = {_str(g, "label").casefold(): _str(g, "label") for g in arm_groups}
    groups_by_title, results, comparisons, unmapped = _results(
        study.get("resultsSection"), arm_labels
    )
    derived = study.get("derivedSection")
    return StudyRecord(
        source=SOURCE,
        title=_str(protocol, "identificationModule", "officialTitle")
        or _str(protocol, "identificationModule", "briefTitle"),
        nct_id=nct_id,
        registry_ids=_registry_ids(protocol, nct_id),
        abstract="\n".join(f"{s.label}: {s.text}" for s in sections),
        abstract_sections=sections,
        year=year_from_text(start_date) or year_from_text(first_submitted),
        mesh_terms=unique(
            [_str(m, "term") for m in _list(derived, "conditionBrowseModule", "meshes")]
            + [_str(m, "term") for m in _list(derived, "interventionBrowseModule", "meshes")]
        ),
        keywords=unique([k for k in _list(protocol, "conditionsModule", "keywords") if k]),
        status=_STATUS.get(overall_status, Status.UNKNOWN),
        design=_design(protocol),
        conditions=unique([c for c in _list(protocol, "conditionsModule", "conditions") if c]),
        interventions=unique(
            [_str(i, "name") for i in _list(protocol, "armsInterventionsModule", "interventions")]
        ),
        enrollment=_enrollment(protocol),
        start_date=start_date,
        completion_date=completion_date,
        arms=_arms(arm_groups, study.get("resultsSection"), groups_by_title),
        results=results,
        comparisons=comparisons,
        record_number=number,
        extra=_extra(protocol, study, unmapped),
    )


def _date(protocol: JsonObject, struct: str) -> str | None:
    """A status-module date ("2013-01", "2014-08-05") checked for being a real date."""
    value = _str(protocol, "statusModule", struct, "date")
    if not value:
        return None
    match = _DATE.match(value)
    if match is None:
        raise _FieldError(f"{struct}.date", f"impossible date {value!r}")
    year, month, day = (int(part) if part else None for part in match.groups())
    if month is not None and not 1 <= month <= 12:
        raise _FieldError(f"{struct}.date", f"impossible date {value!r}")
    if day is not None and month is not None:
        assert year is not None
        if not 1 <= day <= calendar.monthrange(year, month)[1]:
            raise _FieldError(f"{struct}.date", f"impossible date {value!r}")
    return value


def _enrollment(protocol: JsonObject) -> int | None:
    count = _get(protocol, "designModule", "enrollmentInfo", "count")
    if count is None or count == "":
        return None
    if isinstance(count, bool):
        raise _FieldError("enrollmentInfo.count", f"non-numeric enrollment {count!r}")
    if isinstance(count, int):
        return count
    if isinstance(count, str) and count.strip().isdigit():
        return int(count)
    raise _FieldError("enrollmentInfo.count", f"non-numeric enrollment {count!r}")


def _registry_ids(protocol: JsonObject, nct_id: str) -> tuple[str, ...]:
    """The NCT number, then secondary ids that are registry numbers (not grants or local ids)."""
    identification = _get(protocol, "identificationModule") or {}
    ids = [nct_id]
    for info in _list(identification, "secondaryIdInfos"):
        value = _str(info, "id")
        ids.extend(registry_ids_in(value))
    ids.extend(_str(a, "id") for a in _list(identification, "nctIdAliases") if _str(a, "id"))
    return unique(ids)


def _design(protocol: JsonObject) -> Design | None:
    study_type = _str(protocol, "designModule", "studyType")
    if study_type == "OBSERVATIONAL":
        return Design.OBSERVATIONAL
    info = _get(protocol, "designModule", "designInfo") or {}
    allocation = _str(info, "allocation")
    if not allocation:
        return None  # not stated (field-limited search results leave designInfo out)
    if allocation != "RANDOMIZED":
        return Design.OTHER
    if _str(info, "interventionModel") == "CROSSOVER":
        return Design.CROSSOVER
    return Design.RCT


def _arms(
    arm_groups: list[Any], results_section: Any, groups_by_title: dict[str, str]
) -> tuple[Arm, ...]:
    """Protocol arm groups, then result groups that match no arm (e.g. pooled groups).

    ``n`` is the number who started, when the participant flow names the group
    as the protocol does (case aside).
    """
    started = {title.casefold(): n for title, n in _started_by_group(results_section).items()}
    arms = []
    for group in arm_groups:
        label = _str(group, "label")
        names = [n for n in _list(group, "interventionNames") if isinstance(n, str)]
        arms.append(
            Arm(
                label=label,
                n=started.get(label.casefold()),
                therapy="; ".join(names) or None,
                description=_str(group, "description"),
            )
        )
    known = {arm.label for arm in arms}
    arms.extend(
        Arm(label=t, n=started.get(t.casefold())) for t in groups_by_title if t not in known
    )
    return tuple(arms)


def _started_by_group(results_section: Any) -> dict[str, int]:
    """Participants who started, by participant-flow group title (first period)."""
    flow = _get(results_section, "participantFlowModule")
    titles = {_str(g, "id"): _str(g, "title") for g in _list(flow, "groups")}
    periods = _list(flow, "periods")
    counts: dict[str, int] = {}
    for milestone in _list(periods[0] if periods else None, "milestones"):
        if _str(milestone, "type") != "STARTED":
            continue
        for achievement in _list(milestone, "achievements"):
            number = _int(_get(achievement, "numSubjects"))
            title = titles.get(_str(achievement, "groupId"))
            if title and number is not None:
                counts[title] = number
    return counts


def _int(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _float(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    try:
        return float(value.strip())
    except (AttributeError, ValueError):
        return None


def _results(
    results_section: Any, arm_labels: dict[str, str]
) -> tuple[dict[str, str], tuple[ArmResult, ...], tuple[Comparison, ...], int]:
    """Per-arm results and comparisons from posted outcome measures.

    A result group named like a protocol arm (case aside) takes the arm's label,
    so results join their arms. Returns the group titles seen (title -> id), the
    results, the comparisons and how many measurements had a form no
    :class:`ResultKind` describes.
    """
    groups_by_title: dict[str, str] = {}
    results: list[ArmResult] = []
    comparisons: list[Comparison] = []
    unmapped = 0
    for measure in _list(results_section, "outcomeMeasuresModule", "outcomeMeasures"):
        titles = {
            _str(g, "id"): arm_labels.get(_str(g, "title").casefold(), _str(g, "title"))
            for g in _list(measure, "groups")
        }
        for group_id, title in titles.items():
            groups_by_title.setdefault(title, group_id)
        denominators = _denominators(measure)
        outcome = _str(measure, "title")
        timepoint = _str(measure, "timeFrame") or None
        for cls in _list(measure, "classes"):
            for category in _list(cls, "categories"):
                label = " - ".join(
                    t for t in (outcome, _str(cls, "title"), _str(category, "title")) if t
                )
                for measurement in _list(category, "measurements"):
                    group_id = _str(measurement, "groupId")
                    result = _arm_result(
                        measure, measurement, label, titles.get(group_id), timepoint,
                        denominators.get(group_id),
                    )  # fmt: skip
                    if result is None:
                        unmapped += 1
                    else:
                        results.append(result)
        comparisons.extend(
            _comparison(analysis, outcome, titles, timepoint)
            for analysis in _list(measure, "analyses")
        )
    return groups_by_title, tuple(results), tuple(comparisons), unmapped


def _denominators(measure: JsonObject) -> dict[str, int]:
    """Analysed participants per group id (the first denominator whose units are participants)."""
    for denominator in _list(measure, "denoms"):
        if _str(denominator, "units").lower() in {"participants", ""}:
            counts = {}
            for count in _list(denominator, "counts"):
                value = _int(_get(count, "value"))
                if value is not None:
                    counts[_str(count, "groupId")] = value
            return counts
    return {}


def _arm_result(
    measure: JsonObject,
    measurement: JsonObject,
    outcome: str,
    arm: str | None,
    timepoint: str | None,
    n: int | None,
) -> ArmResult | None:
    """One measurement in the form it was posted, or ``None`` when no ResultKind fits."""
    value = _float(_get(measurement, "value"))
    if value is None:
        return None
    param = _str(measure, "paramType")
    dispersion = _str(measure, "dispersionType")
    unit = _str(measure, "unitOfMeasure")
    spread = _float(_get(measurement, "spread"))
    lower = _float(_get(measurement, "lowerLimit"))
    upper = _float(_get(measurement, "upperLimit"))
    printed = _printed(measurement, dispersion, unit)
    common: dict[str, Any] = {
        "outcome": outcome,
        "arm": arm,
        "timepoint": timepoint,
        "n": n,
        "printed": printed,
    }
    if param in {"MEAN", "LEAST_SQUARES_MEAN"}:
        sd = spread if dispersion == "Standard Deviation" else None
        return ArmResult(kind=ResultKind.MEAN_SD, mean=value, sd=sd, **common)
    if param == "MEDIAN":
        quartiles = dispersion == "Inter-Quartile Range"
        return ArmResult(
            kind=ResultKind.MEDIAN_IQR,
            median=value,
            q1=lower if quartiles else None,
            q3=upper if quartiles else None,
            **common,
        )
    if param in {"COUNT_OF_PARTICIPANTS", "COUNT_OF_UNITS"}:
        events = int(value) if value.is_integer() else None
        return ArmResult(kind=ResultKind.PROPORTION, events=events, total=n, **common)
    if (param == "NUMBER" and "percent" in unit.lower()) or (param == "NUMBER" and "%" in unit):
        return ArmResult(kind=ResultKind.PROPORTION, percent=value, total=n, **common)
    return None


def _printed(measurement: JsonObject, dispersion: str, unit: str) -> str:
    value = _str(measurement, "value")
    if _str(measurement, "spread"):
        value += f" ({dispersion or 'spread'} {_str(measurement, 'spread')})"
    elif _str(measurement, "lowerLimit") or _str(measurement, "upperLimit"):
        limits = f"{_str(measurement, 'lowerLimit')} to {_str(measurement, 'upperLimit')}"
        value += f" ({dispersion or 'limits'} {limits})"
    return f"{value} {unit}".strip()


def _comparison(
    analysis: JsonObject, outcome: str, titles: dict[str, str], timepoint: str | None
) -> Comparison:
    level = _str(analysis, "ciPctValue")
    lower = _float(_get(analysis, "ciLowerLimit"))
    upper = _float(_get(analysis, "ciUpperLimit"))
    is_95 = _float(level) == 95.0
    p_relation, p_value = _p_value(_str(analysis, "pValue"))
    estimate = _float(_get(analysis, "paramValue"))
    parts = [f"{_str(analysis, 'paramType')} {_str(analysis, 'paramValue')}".strip()]
    if lower is not None or upper is not None:
        parts.append(f"{level or '?'}% CI {_str(analysis, 'ciLowerLimit')} to "
                     f"{_str(analysis, 'ciUpperLimit')}")  # fmt: skip
    if _str(analysis, "pValue"):
        parts.append(f"P {_str(analysis, 'pValue')}")
    return Comparison(
        outcome=outcome,
        measure=_str(analysis, "paramType") or None,
        estimate=estimate,
        ci_lower=lower if is_95 else None,
        ci_upper=upper if is_95 else None,
        p_value=p_value,
        p_relation=p_relation,
        timepoint=timepoint,
        arms=tuple(titles.get(g, g) for g in _list(analysis, "groupIds") if isinstance(g, str)),
        printed="; ".join(parts),
    )


def _p_value(text: str) -> tuple[str | None, float | None]:
    """``"<0.0001"`` -> ``("<", 0.0001)``; ``"0.03"`` -> ``("=", 0.03)``."""
    match = _P_VALUE.match(text)
    if match is None:
        return None, None
    relation = {"≤": "<", "≥": ">", "": "="}.get(match.group(1), match.group(1))
    return relation, float(match.group(2))


def _extra(protocol: JsonObject, study: JsonObject, unmapped: int) -> dict[str, Any]:
    design_info = _get(protocol, "designModule", "designInfo") or {}
    locations = _list(protocol, "contactsLocationsModule", "locations")
    values: dict[str, Any] = {
        "brief_title": _str(protocol, "identificationModule", "briefTitle"),
        "acronym": _str(protocol, "identificationModule", "acronym"),
        "org_study_id": _str(protocol, "identificationModule", "orgStudyIdInfo", "id"),
        "secondary_ids": [
            _str(i, "id") for i in _list(protocol, "identificationModule", "secondaryIdInfos")
        ],
        "overall_status": _str(protocol, "statusModule", "overallStatus"),
        "has_results": bool(study.get("hasResults")) or "resultsSection" in study,
        "last_update_posted": _str(protocol, "statusModule", "lastUpdatePostDateStruct", "date"),
        "first_posted": _str(protocol, "statusModule", "studyFirstPostDateStruct", "date"),
        "results_first_posted": _str(
            protocol, "statusModule", "resultsFirstPostDateStruct", "date"
        ),
        "lead_sponsor": _str(protocol, "sponsorCollaboratorsModule", "leadSponsor", "name"),
        "study_type": _str(protocol, "designModule", "studyType"),
        "phases": _list(protocol, "designModule", "phases"),
        "allocation": _str(design_info, "allocation"),
        "intervention_model": _str(design_info, "interventionModel"),
        "masking": _str(design_info, "maskingInfo", "masking"),
        "enrollment_type": _str(protocol, "designModule", "enrollmentInfo", "type"),
        "primary_outcomes": [
            _str(o, "measure") for o in _list(protocol, "outcomesModule", "primaryOutcomes")
        ],
        "secondary_outcomes": [
            _str(o, "measure") for o in _list(protocol, "outcomesModule", "secondaryOutcomes")
        ],
        "eligibility": {
            key: _str(protocol, "eligibilityModule", key)
            for key in ("sex", "minimumAge", "maximumAge", "eligibilityCriteria")
            if _str(protocol, "eligibilityModule", key)
        },
        "countries": list(unique([_str(loc, "country") for loc in locations])),
        "facilities": list(unique([_str(loc, "facility") for loc in locations])),
        "unmapped_measurements": unmapped,
    }
    return {key: value for key, value in values.items() if value}
