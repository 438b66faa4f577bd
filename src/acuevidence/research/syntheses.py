"""Living condition syntheses: pool comparable published results, keep every version.

For each condition x outcome measure x comparator type (sham or placebo; usual care,
waitlist or no treatment; another active treatment such as a drug), every published,
not withdrawn study tagged with the condition contributes one comparison: its first
acupuncture-type arm against its first control arm of that type, at the first time
point both arms report. Pooling (``evidence.meta``), following RevMan 5, the software of
Cochrane reviews:

* events per arm -> risk ratio, random effects with the DerSimonian-Laird variance and
  Mantel-Haenszel heterogeneity ("DL-MH", Deeks, Higgins & Altman, RevMan 5 statistical
  methods);
* mean, SD and n per arm -> mean difference on the outcome's own scale, or the
  standardized mean difference (Hedges' g) when the measure's scale is not fixed (for
  example a pain VAS of 0-10 or 0-100), inverse-variance random effects with the
  DerSimonian-Laird variance.

A synthesis needs two studies. :func:`syntheses_refresh_for_study` is called by the
publish and withdraw services; each recomputation that changes anything adds a
:class:`~acuevidence.research.models.SynthesisVersion` saying what changed.
"""

from __future__ import annotations

import hashlib
import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from acuevidence.evidence import effects, meta, plots
from acuevidence.evidence.certainty import (
    CertaintyRating,
    Domain,
    DomainOverride,
    EffectEvidence,
    rate_certainty,
)
from acuevidence.evidence.records import Design
from acuevidence.evidence.summarize import (
    Effect,
    OutcomeSummary,
    SynthesisSummaryInput,
    direction,
    effect_statement,
    key_finding,
    plain_language_summary,
    technical_summary,
)
from acuevidence.research.certainty import RANDOMIZED, rating_domains, study_risk_of_bias
from acuevidence.research.models import (
    Arm,
    ComparatorType,
    Condition,
    ConditionSynthesis,
    OutcomeMeasure,
    Result,
    Study,
    SynthesisVersion,
    Therapy,
)
from acuevidence.research.selectors import published_studies

MIN_STUDIES = 2
DL_MH_METHOD = (
    "random effects, Mantel-Haenszel with the DerSimonian-Laird between-study variance "
    "(DL-MH, the RevMan 5 convention of Cochrane reviews)"
)
DL_METHOD = (
    "random effects, inverse variance with the DerSimonian-Laird between-study variance "
    "(the RevMan 5 convention of Cochrane reviews)"
)
USUAL_CARE_SLUGS = frozenset({"usual-care", "no-treatment", "waitlist"})

Key = tuple[int, int, str]


def comparator_type(therapy: Therapy | None) -> str | None:
    """The comparator type of a control arm's therapy; ``None`` for a tested therapy."""
    if therapy is None or not therapy.is_control:
        return None
    if therapy.slug.startswith("sham") or therapy.slug == "placebo":
        return ComparatorType.SHAM
    if therapy.slug in USUAL_CARE_SLUGS:
        return ComparatorType.USUAL_CARE
    return ComparatorType.ACTIVE


@dataclass(frozen=True)
class Contribution:
    """One study's comparable per-arm numbers for one synthesis."""

    study: Study
    label: str
    kind: str  # "binary" or "continuous"
    numbers: dict[str, float]
    timepoint: str
    intervention: str

    @property
    def participants(self) -> int:
        if self.kind == "binary":
            return int(self.numbers["total1"] + self.numbers["total2"])
        return int(self.numbers["n1"] + self.numbers["n2"])

    def as_json(self) -> dict[str, Any]:
        return {
            "slug": self.study.slug,
            "label": self.label,
            "year": self.study.year,
            "kind": self.kind,
            "timepoint": self.timepoint,
            "numbers": self.numbers,
        }


def _numbers(result: Result, arm: Arm, suffix: str) -> tuple[str, dict[str, float]] | None:
    if result.events is not None and (result.total or result.n or arm.n):
        total = result.total or result.n or arm.n
        return "binary", {f"events{suffix}": result.events, f"total{suffix}": total}
    n = result.n or arm.n
    if result.kind == "mean_sd" and None not in (result.mean, result.sd) and n and result.sd > 0:
        return "continuous", {
            f"n{suffix}": n,
            f"mean{suffix}": result.mean,
            f"sd{suffix}": result.sd,
        }
    return None


def study_contributions(study: Study) -> dict[Key, Contribution]:
    """What ``study`` contributes to each synthesis key (condition, outcome, comparator type)."""
    arms = list(study.arms.all())
    tested = [a for a in arms if a.therapy is not None and not a.therapy.is_control]
    controls = [(a, t) for a in arms if (t := comparator_type(a.therapy)) is not None]
    by_arm: dict[tuple[str, int], list[Result]] = {}
    outcome_ids: list[int] = []
    for result in study.results.all():
        if result.outcome_id is None:
            continue
        by_arm.setdefault((result.arm_label, result.outcome_id), []).append(result)
        if result.outcome_id not in outcome_ids:
            outcome_ids.append(result.outcome_id)
    found: dict[tuple[int, str], Contribution] = {}
    for outcome_id in outcome_ids:
        for control, ctype in controls:
            if (outcome_id, ctype) in found:
                continue
            contribution = _pair(study, tested, control, by_arm, outcome_id)
            if contribution is not None:
                found[(outcome_id, ctype)] = contribution
    return {
        (condition.pk, outcome_id, ctype): contribution
        for condition in study.conditions.all()
        for (outcome_id, ctype), contribution in found.items()
    }


def _pair(
    study: Study,
    tested: list[Arm],
    control: Arm,
    by_arm: dict[tuple[str, int], list[Result]],
    outcome_id: int,
) -> Contribution | None:
    for arm in tested:
        for one in by_arm.get((arm.label, outcome_id), []):
            for two in by_arm.get((control.label, outcome_id), []):
                if one.timepoint != two.timepoint:
                    continue
                first, second = _numbers(one, arm, "1"), _numbers(two, control, "2")
                if first is None or second is None or first[0] != second[0]:
                    continue
                return Contribution(
                    study=study,
                    label=study.short_title or study.title[:40],
                    kind=first[0],
                    numbers=first[1] | second[1],
                    timepoint=one.timepoint,
                    intervention=arm.therapy.name if arm.therapy else arm.label,
                )
    return None


def _published_with_data() -> Iterable[Study]:
    return published_studies().prefetch_related(
        "conditions",
        "risk_of_bias",
        Prefetch("arms", queryset=Arm.objects.select_related("therapy")),
        "results",
    )


def contributions_for(key: Key) -> list[Contribution]:
    """Every published study's contribution to ``key``, oldest study first."""
    condition_id, _, _ = key
    studies = _published_with_data().filter(conditions__pk=condition_id).distinct()
    found = [c for s in studies if (c := study_contributions(s).get(key)) is not None]
    kinds = [c.kind for c in found]
    majority = max(set(kinds), key=kinds.count) if kinds else None
    found = [c for c in found if c.kind == majority]
    return sorted(found, key=lambda c: (c.study.year or 0, c.label))


# ------------------------------------------------------------------------- computing


@dataclass(frozen=True)
class Pooled:
    result: meta.MetaResult
    measure: str
    method: str
    estimate: float
    ci: tuple[float, float]
    pi: tuple[float, float]


def pool(contributions: list[Contribution], outcome: OutcomeMeasure) -> Pooled:
    """Pool the contributions the way RevMan 5 does (see the module docstring)."""
    labels = [c.label for c in contributions]
    col = {name: [c.numbers[name] for c in contributions] for name in contributions[0].numbers}
    if contributions[0].kind == "binary":
        es = effects.binary_effects(
            "RR", col["events1"], col["total1"], col["events2"], col["total2"], studies=labels
        )
        result = meta.pool(es, method=meta.Method.DL_MH)
        method = DL_MH_METHOD
    else:
        fixed_scale = outcome.scale_min is not None and outcome.scale_max is not None
        measure = "MD" if fixed_scale else "SMD"
        es = effects.continuous_effects(
            measure,
            col["n1"],
            col["mean1"],
            col["sd1"],
            col["n2"],
            col["mean2"],
            col["sd2"],
            studies=labels,
        )
        result = meta.pool(es, method=meta.Method.DL)
        method = DL_METHOD
    ratio = result.measure.is_ratio
    back = math.exp if ratio else float
    return Pooled(
        result=result,
        measure=result.measure.value,
        method=method,
        estimate=back(result.estimate),
        ci=(back(result.ci[0]), back(result.ci[1])),
        pi=(back(result.pi[0]), back(result.pi[1])),
    )


def _two(x: float) -> str:
    return f"{x:.2f}"


def _plain(text: str) -> str:
    return text[:1].lower() + text[1:]


def synthesis_rating(
    synthesis: ConditionSynthesis, pooled: Pooled, contributions: list[Contribution]
) -> CertaintyRating | None:
    outcome = synthesis.outcome
    if outcome.higher_is_better is None:
        return None
    result = pooled.result
    weights = dict(zip(result.studies, result.weights, strict=True))
    ratio = result.measure.is_ratio
    cis = tuple(
        (math.exp(lo), math.exp(hi)) if ratio else (lo, hi)
        for lo, hi in plots.study_intervals(result)
    )
    control_risk = None
    sd = None
    if pooled.measure == "RR":
        events = sum(c.numbers["events2"] for c in contributions)
        total = sum(c.numbers["total2"] for c in contributions)
        control_risk = events / total if 0 < events < total else None
    elif pooled.measure == "MD":
        sd = statistics.median(c.numbers["sd2"] for c in contributions)
    randomized = all(Design(c.study.design) in RANDOMIZED for c in contributions)
    evidence = EffectEvidence(
        outcome=outcome.name,
        measure=pooled.measure,
        estimate=float(_two(pooled.estimate)),
        ci_lower=float(_two(pooled.ci[0])),
        ci_upper=float(_two(pooled.ci[1])),
        k=result.k,
        n=sum(c.participants for c in contributions),
        design=Design.RCT if randomized else Design.OBSERVATIONAL,
        higher_is_better=outcome.higher_is_better,
        outcome_abbreviation=outcome.abbreviation,
        i2=min(max(result.i2, 0.0), 100.0),
        mid=outcome.minimal_important_difference if pooled.measure == "MD" else None,
        sd=sd,
        control_risk=control_risk,
        egger_p=result.egger_p,
        study_cis=cis,
        risk_of_bias=tuple(
            study_risk_of_bias(c.study, weight=weights.get(c.label) or 1e-9, label=c.label)
            for c in contributions
        ),
        indirect=synthesis.indirect,
        indirectness_reason=synthesis.indirectness_reason,
        publication_bias_suspected=synthesis.publication_bias_suspected,
        publication_bias_reason=synthesis.publication_bias_reason,
    )
    overrides = [
        DomainOverride(Domain(o.domain), int(o.levels_down), o.reason)
        for o in synthesis.overrides.all()
    ]
    return rate_certainty(evidence, overrides)


def synthesis_words(
    synthesis: ConditionSynthesis, contributions: list[Contribution]
) -> dict[str, str]:
    """The plain words, the editor's or else defaults built from the vocabulary."""
    interventions = list(dict.fromkeys(c.intervention for c in contributions))
    intervention = " or ".join(interventions)
    comparator = synthesis.get_comparator_type_display()
    return {
        "intervention": intervention,
        "comparator": _plain(comparator),
        "intervention_plain": synthesis.intervention_plain or _plain(intervention),
        "comparator_plain": synthesis.comparator_plain or _plain(comparator),
        "population_plain": synthesis.population_plain
        or f"people with {synthesis.condition.name.lower()}",
        "outcome_plain": synthesis.outcome_plain or _plain(synthesis.outcome.name),
    }


def _computed(synthesis: ConditionSynthesis, contributions: list[Contribution]) -> dict[str, Any]:
    participants = sum(c.participants for c in contributions)
    base: dict[str, Any] = {
        "studies": [c.as_json() for c in contributions],
        "k": len(contributions),
        "participants": participants,
        "measure": "",
    }
    if len(contributions) < MIN_STUDIES:
        return base
    pooled = pool(contributions, synthesis.outcome)
    result = pooled.result
    rating = synthesis_rating(synthesis, pooled, contributions)
    words = synthesis_words(synthesis, contributions)
    effect = Effect(
        pooled.measure,
        _two(pooled.estimate),
        _two(pooled.ci[0]),
        _two(pooled.ci[1]),
        method=pooled.method,
    )
    outcome = synthesis.outcome
    higher_is_better = bool(outcome.higher_is_better)
    summary_outcome = OutcomeSummary(
        name=outcome.name,
        plain_name=words["outcome_plain"],
        higher_is_better=higher_is_better,
        is_primary=True,
        effect=effect,
        certainty=rating,
        studies=len(contributions),
        participants=participants,
        i2=round(result.i2),
    )
    subject = SynthesisSummaryInput(
        condition=synthesis.condition.name.lower(),
        population_plain=words["population_plain"],
        intervention=words["intervention"],
        intervention_plain=words["intervention_plain"],
        comparator=words["comparator"],
        comparator_plain=words["comparator_plain"],
        studies=len(contributions),
        participants=participants,
        outcomes=(summary_outcome,),
        evidence_date=timezone.localdate(),
        explanations=tuple(
            line.strip() for line in synthesis.plain_explanations.splitlines() if line.strip()
        ),
    )
    left, right = (words["intervention"], words["comparator"])
    lower_favours_left = not higher_is_better
    favours = (
        (f"Favours {_plain(left)}", f"Favours {right}")
        if lower_favours_left
        else (f"Favours {right}", f"Favours {_plain(left)}")
    )
    base.update(
        measure=pooled.measure,
        method=pooled.method,
        estimate=pooled.estimate,
        ci_lower=pooled.ci[0],
        ci_upper=pooled.ci[1],
        p_value=result.p,
        i2=result.i2,
        tau2=result.tau2,
        pi_lower=pooled.pi[0],
        pi_upper=pooled.pi[1],
        egger_p=result.egger_p,
        forest_svg=plots.forest_plot(
            result,
            title=f"{outcome.name}: {words['intervention']} vs {words['comparator']}",
            favours=favours,
            ident=f"forest-{synthesis.pk}",
        ),
    )
    if rating is not None:
        way = direction(effect, higher_is_better=higher_is_better, mid=summary_outcome.mid)
        statement = effect_statement(
            words["intervention_plain"], words["outcome_plain"], rating.level, way
        )
        base.update(
            certainty=rating.level.value,
            certainty_domains=rating_domains(rating),
            key_finding=key_finding(subject),
            what_it_means=statement[:1].upper() + statement[1:] + ".",
            plain_summary=plain_language_summary(subject).text,
            technical_summary=technical_summary(subject),
        )
    return base


def _changes(previous: SynthesisVersion | None, contributions: list[Contribution]) -> list[str]:
    if previous is None:
        return [f"First synthesis, of {len(contributions)} studies."]
    old = {s["slug"]: s for s in previous.studies}
    new = {c.study.slug: c for c in contributions}
    changes = [f"Added {c.label} (newly published)." for slug, c in new.items() if slug not in old]
    for slug, entry in old.items():
        if slug not in new:
            study = Study.objects.filter(slug=slug).first()
            why = (
                "withdrawn"
                if study is not None and study.withdrawn
                else "unpublished"
                if study is None or not study.live
                else "its data are no longer comparable"
            )
            changes.append(f"Removed {entry['label']} ({why}).")
        elif new[slug].as_json() != entry:
            changes.append(f"Updated {entry['label']} (corrected numbers).")
    return changes


@transaction.atomic
def synthesis_refresh(*, key: Key, trigger: str) -> SynthesisVersion | None:
    """Recompute one synthesis; add a version when anything changed, else return the latest.

    A synthesis is created once two comparable studies are published; it is never
    deleted, so its earlier versions stay readable after withdrawals.
    """
    condition_id, outcome_id, ctype = key
    contributions = contributions_for(key)
    synthesis = (
        ConditionSynthesis.objects.select_for_update()
        .filter(condition_id=condition_id, outcome_id=outcome_id, comparator_type=ctype)
        .first()
    )
    if synthesis is None:
        if len(contributions) < MIN_STUDIES:
            return None
        synthesis = ConditionSynthesis.objects.create(
            condition_id=condition_id, outcome_id=outcome_id, comparator_type=ctype
        )
    previous = synthesis.latest_version
    changes = _changes(previous, contributions)
    if previous is not None and not changes:
        return previous
    if len(contributions) < MIN_STUDIES:
        changes.append("Fewer than two comparable studies remain; no pooled result.")
    return SynthesisVersion.objects.create(
        synthesis=synthesis,
        number=(previous.number + 1) if previous else 1,
        trigger=trigger[:300],
        changes=changes,
        **_computed(synthesis, contributions),
    )


def _keys_of(study: Study) -> set[Key]:
    fresh = (
        Study.objects.prefetch_related(
            "conditions",
            Prefetch("arms", queryset=Arm.objects.select_related("therapy")),
            "results",
        )
        .filter(pk=study.pk)
        .first()
    )
    keys = set(study_contributions(fresh)) if fresh is not None else set()
    for synthesis in ConditionSynthesis.objects.all():
        latest = synthesis.latest_version
        if latest is not None and any(s["slug"] == study.slug for s in latest.studies):
            keys.add((synthesis.condition_id, synthesis.outcome_id, synthesis.comparator_type))
    return keys


def syntheses_refresh_for_study(*, study: Study, trigger: str) -> list[SynthesisVersion]:
    """Recompute every synthesis the study contributes to now or contributed to before."""
    versions = [synthesis_refresh(key=key, trigger=trigger) for key in sorted(_keys_of(study))]
    return [v for v in versions if v is not None]


def syntheses_refresh_all(*, trigger: str) -> list[SynthesisVersion]:
    """Recompute every possible synthesis (after a bulk load)."""
    keys: set[Key] = set()
    for study in _published_with_data():
        keys.update(study_contributions(study))
    keys.update(
        ConditionSynthesis.objects.values_list("condition_id", "outcome_id", "comparator_type")
    )
    versions = [synthesis_refresh(key=key, trigger=trigger) for key in sorted(keys)]
    return [v for v in versions if v is not None]


#: The texts of a version that readers see once an editor approves them.
SYNTHESIS_TEXT_FIELDS = ("key_finding", "what_it_means", "plain_summary")
APPROVE_PERMISSION = "research.publish_study"
EDIT_PERMISSION = "research.change_study"


class SynthesisReviewError(Exception):
    """An edit or approval that the review rules do not allow; the message says why."""


def synthesis_version_texts_digest(version: SynthesisVersion) -> str:
    """A short fingerprint of the version's texts: an approval names the texts it saw."""
    joined = "\x1f".join(getattr(version, name) for name in SYNTHESIS_TEXT_FIELDS)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


def _current(version: SynthesisVersion) -> SynthesisVersion:
    """The version locked for update; refuses a version that a newer one has replaced."""
    locked = SynthesisVersion.objects.select_for_update().get(pk=version.pk)
    newest = (
        SynthesisVersion.objects.filter(synthesis_id=locked.synthesis_id)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    if newest != locked.number:
        raise SynthesisReviewError(
            f"{locked}: version {newest} has replaced it; review the current version."
        )
    return locked


@transaction.atomic
def synthesis_version_words_edit(
    *, version: SynthesisVersion, editor: AbstractBaseUser, texts: dict[str, str]
) -> SynthesisVersion:
    """Store an editor's wording of the current version's texts.

    A change withdraws any earlier approval and records the editor, who then cannot
    approve these texts: a second person does. Unchanged texts change nothing.
    """
    if not editor.has_perm(EDIT_PERMISSION):
        raise PermissionDenied("You may not edit synthesis texts.")
    unknown = set(texts) - set(SYNTHESIS_TEXT_FIELDS)
    if unknown:
        raise ValueError(f"synthesis {version}: unknown text(s) {', '.join(sorted(unknown))}")
    locked = _current(version)
    cleaned = {name: text.strip().replace("\r\n", "\n") for name, text in texts.items()}
    changed = {name for name, text in cleaned.items() if getattr(locked, name) != text}
    if not changed:
        return locked
    for name in changed:
        setattr(locked, name, cleaned[name])
    locked.words_edited_by = editor
    locked.words_edited_at = timezone.now()
    locked.approved_by = None
    locked.approved_at = None
    locked.save(
        update_fields=[
            *sorted(changed),
            "words_edited_by",
            "words_edited_at",
            "approved_by",
            "approved_at",
        ]
    )
    return locked


@transaction.atomic
def synthesis_version_approve(
    *, version: SynthesisVersion, reviewer: AbstractBaseUser, seen_digest: str | None = None
) -> SynthesisVersion:
    """Record that a reviewer checked this version's texts; until then the hub does not show them.

    The reviewer needs the publishing permission and must not be the person who last
    edited the texts (as a study's submitter cannot approve it). ``seen_digest``, from
    :func:`synthesis_version_texts_digest` when the reviewer's page was drawn, makes sure
    the texts approved are the texts read.
    """
    if not reviewer.has_perm(APPROVE_PERMISSION):
        raise PermissionDenied("Only reviewers approve synthesis texts.")
    locked = _current(version)
    if locked.words_edited_by_id is not None and locked.words_edited_by_id == reviewer.pk:
        raise PermissionDenied("You edited these texts last; a second person must approve them.")
    if seen_digest is not None and seen_digest != synthesis_version_texts_digest(locked):
        raise SynthesisReviewError(
            f"{locked}: the texts changed since you opened the page; read them again."
        )
    locked.approved_by = reviewer
    locked.approved_at = timezone.now()
    locked.save(update_fields=["approved_by", "approved_at"])
    return locked


def synthesis_words_set(
    *, condition: Condition, outcome: OutcomeMeasure, comparator: str, words: dict[str, str]
) -> ConditionSynthesis:
    """Store an editor's plain words (and judgments) for a synthesis, creating it if needed."""
    synthesis, _ = ConditionSynthesis.objects.get_or_create(
        condition=condition, outcome=outcome, comparator_type=comparator
    )
    allowed = {
        "population_plain",
        "intervention_plain",
        "comparator_plain",
        "outcome_plain",
        "plain_explanations",
        "indirectness_reason",
        "publication_bias_reason",
    }
    unknown = set(words) - allowed - {"indirect", "publication_bias_suspected"}
    if unknown:
        raise ValueError(f"synthesis {synthesis}: unknown field(s) {', '.join(sorted(unknown))}")
    for name, value in words.items():
        setattr(synthesis, name, value)
    synthesis.save()
    return synthesis


def evidence_date(version: SynthesisVersion) -> date:
    return timezone.localtime(version.created_at).date()
