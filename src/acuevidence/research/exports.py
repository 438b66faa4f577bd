"""Downloads for researchers: a condition's data for re-analysis, and study citations.

- ``meta_csv``: one row per study in the input format of ``acuevidence meta``
  (``study,n1,mean1,sd1,n2,mean2,sd2`` for continuous outcomes,
  ``study,events1,total1,events2,total2`` for binary ones; group 1 is the
  intervention), so a researcher can re-run the pooling.
- ``ris``: RIS records (Research Information Systems tag format, as read by
  EndNote, Zotero and Mendeley): ``TY  - JOUR`` ... ``ER  - ``.
- ``bibtex``: one ``@article`` entry per study.
- JSON: the API's study shape (``api.serialize.study_detail``), one source of truth.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch

from acuevidence.evidence.records import ResultKind
from acuevidence.research.models import Arm, Comparison, Condition, Result, Study
from acuevidence.research.selectors import study_list

CONTINUOUS_HEADER = ("study", "n1", "mean1", "sd1", "n2", "mean2", "sd2")
BINARY_HEADER = ("study", "events1", "total1", "events2", "total2")


@dataclass(frozen=True)
class MetaRow:
    """One study's two arms for one outcome, ready for pooling."""

    study: str
    values: tuple[float | int, ...]


@dataclass(frozen=True)
class MetaDataset:
    """All studies of a condition reporting the same outcome in the same form."""

    outcome: str
    label: str
    layout: str
    rows: tuple[MetaRow, ...]

    @property
    def header(self) -> tuple[str, ...]:
        return CONTINUOUS_HEADER if self.layout == "continuous" else BINARY_HEADER


def condition_studies(condition: Condition) -> list[Study]:
    """The condition's published studies (with subconditions) and everything exports read."""
    return list(
        study_list(condition=condition).prefetch_related(
            "therapies",
            Prefetch("arms", queryset=Arm.objects.select_related("therapy")),
            Prefetch("results", queryset=Result.objects.select_related("outcome")),
            Prefetch("comparisons", queryset=Comparison.objects.select_related("outcome")),
        )
    )


def _outcome_key(result: Result) -> str:
    return result.outcome.slug if result.outcome_id else result.outcome_label


def _arm_pair(study: Study, outcome_key: str) -> tuple[str, str] | None:
    """(intervention, control) arm labels: from a reported comparison, else by therapy."""
    for comparison in study.comparisons.all():
        key = comparison.outcome.slug if comparison.outcome_id else comparison.outcome_label
        if key == outcome_key and comparison.intervention_arm and comparison.control_arm:
            return comparison.intervention_arm, comparison.control_arm
    arms: list[Arm] = list(study.arms.all())
    active = [a for a in arms if a.therapy_id and not a.therapy.is_control]
    controls = [a for a in arms if a.therapy_id and a.therapy.is_control]
    if active and controls:
        return active[0].label, controls[0].label
    return None


def _row_values(first: Result, second: Result) -> tuple[str, tuple[float | int, ...]] | None:
    if first.kind != second.kind:
        return None
    if first.kind == ResultKind.MEAN_SD:
        values = (first.n, first.mean, first.sd, second.n, second.mean, second.sd)
        return ("continuous", values) if None not in values else None  # type: ignore[return-value]
    if first.kind == ResultKind.PROPORTION:
        values = (first.events, first.total, second.events, second.total)
        return ("binary", values) if None not in values else None  # type: ignore[return-value]
    return None


def meta_datasets(studies: Iterable[Study]) -> list[MetaDataset]:
    """Poolable datasets, largest first: per study and outcome, its first reported time point."""
    found: dict[tuple[str, str], list[MetaRow]] = {}
    labels: dict[str, str] = {}
    for study in studies:
        results = list(study.results.all())
        seen: set[str] = set()
        for result in results:
            key = _outcome_key(result)
            if key in seen:
                continue
            pair = _arm_pair(study, key)
            if pair is None or result.arm_label != pair[0]:
                continue
            control = next(
                (
                    r
                    for r in results
                    if r.arm_label == pair[1]
                    and _outcome_key(r) == key
                    and r.timepoint == result.timepoint
                ),
                None,
            )
            row = _row_values(result, control) if control is not None else None
            if row is None:
                continue
            seen.add(key)
            layout, values = row
            found.setdefault((key, layout), []).append(
                MetaRow(study.short_title or study.slug, values)
            )
            labels.setdefault(key, result.outcome.name if result.outcome_id else key)
    datasets = [
        MetaDataset(key, labels[key], layout, tuple(rows)) for (key, layout), rows in found.items()
    ]
    return sorted(datasets, key=lambda d: (-len(d.rows), d.outcome))


def meta_csv(dataset: MetaDataset) -> str:
    """The dataset as CSV text that ``acuevidence meta`` reads."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(dataset.header)
    for row in dataset.rows:
        writer.writerow([row.study, *(_number(v) for v in row.values)])
    return out.getvalue()


def _number(value: float | int) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def named_authors(study: Study) -> list[str]:
    """The study's authors without the "et al." marker some sources append."""
    return [a for a in study.authors if a.strip().rstrip(".").lower() != "et al"]


def _ris_lines(study: Study, url: str) -> list[str]:
    lines = ["TY  - JOUR", f"TI  - {study.title}"]
    lines += [f"AU  - {author}" for author in named_authors(study)]
    if study.journal:
        lines.append(f"JO  - {study.journal}")
    if study.year:
        lines.append(f"PY  - {study.year}")
    if study.doi:
        lines.append(f"DO  - {study.doi}")
    if study.pmid:
        lines.append(f"AN  - PMID:{study.pmid}")
    if study.abstract:
        lines.append(f"AB  - {' '.join(study.abstract.split())}")
    lines += [f"KW  - {c.name}" for c in study.conditions.all()]
    lines += [f"UR  - {url}", "ER  - "]
    return lines


def ris(studies: Iterable[tuple[Study, str]]) -> str:
    """RIS records for (study, absolute page URL) pairs, separated by blank lines."""
    return "\n\n".join("\n".join(_ris_lines(study, url)) for study, url in studies) + "\n"


_BIBTEX_SPECIAL = re.compile(r"([&%$#_])")


def _bibtex_text(text: str) -> str:
    text = text.replace("\\", "").replace("{", "").replace("}", "")
    return _BIBTEX_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def bibtex_key(study: Study) -> str:
    """A citation key: first author's surname, year and the study's slug head."""
    authors = named_authors(study)
    surname = authors[0].split()[0] if authors else "anon"
    stem = re.sub(r"[^A-Za-z0-9]", "", surname).lower() or "anon"
    return f"{stem}{study.year or ''}-{study.slug[:40]}"


def bibtex(study: Study, url: str) -> str:
    """One BibTeX ``@article`` entry; the title is double-braced to keep its capitals."""
    fields = [("title", "{" + _bibtex_text(study.title) + "}")]
    if authors := named_authors(study):
        fields.append(("author", " and ".join(_bibtex_text(a) for a in authors)))
    if study.journal:
        fields.append(("journal", _bibtex_text(study.journal)))
    if study.year:
        fields.append(("year", str(study.year)))
    if study.doi:
        fields.append(("doi", _bibtex_text(study.doi)))
    if study.pmid:
        fields.append(("note", f"PMID: {study.pmid}"))
    fields.append(("url", url))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@article{{{bibtex_key(study)},\n{body}\n}}\n"
