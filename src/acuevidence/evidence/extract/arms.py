"""Total N, arms and per-arm N.

Counts are written as digits or words ("Two hundred fifty patients", "n = 51",
"(n=51)", "51 patients in each group", "51 cases in each group"). An arm is a
named group ("the acupuncture group", "control group") or a therapy followed by
its size ("sham acupuncture (n = 40)"); its therapy comes from the vocabulary,
read from the label or from what the group "received".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from acuevidence.evidence.extract.text import INTEGER, SentenceIndex, parse_number
from acuevidence.evidence.extract.words import NUMBER_WORDS, parse_number_words
from acuevidence.evidence.records import Arm, Span
from acuevidence.evidence.vocabulary import find_therapies, match_therapy

_COUNT = r"(?P<n>" + INTEGER + r"|" + NUMBER_WORDS + r")"
_PEOPLE = (
    r"(?:[A-Za-z][A-Za-z-]{1,19}\s){0,3}?"
    r"(?:patients|participants|subjects|women|men|adults|individuals|children|cases|people|persons|"
    r"volunteers|survivors|infants|adolescents|girls|boys|outpatients|inpatients|smokers|mothers)\b"
)
_COUNT_PEOPLE = re.compile(r"(?<![\w.,-])" + _COUNT + r"\s(?:eligible\s)?" + _PEOPLE, re.IGNORECASE)
_N_EQUALS = re.compile(r"(?<![A-Za-z])[nN]\s{0,2}=\s{0,2}(?P<n>" + INTEGER + r")")
_TOTAL_OF = re.compile(r"total\sof\s" + _COUNT, re.IGNORECASE)
_RANDOMIZED_COUNT = re.compile(
    r"(?:randomi[sz]ed|randomly\sassigned|randomly\sallocated|enrolled|included|recruited)\s"
    + _COUNT
    + r"(?!\s(?:weeks?|months?|days?|years?|sessions?|times))",
    re.IGNORECASE,
)
_ENROLMENT_WORDS = re.compile(
    r"randomi[sz]|randomly|enrol|recruit|included|allocated|assigned|divided", re.IGNORECASE
)
_EACH_GROUP = re.compile(
    r"(?<![\w.,-])"
    + _COUNT
    + r"\s(?:"
    + _PEOPLE
    + r"\s)?(?:were\s)?(?:in|per|for)\s(?:each|every|both)\s"
    r"(?:of\sthe\s(?:two|three|four)\s)?(?:groups?|arms?)"
    r"|(?<![\w.,-])(?P<n3>" + INTEGER + r"|" + NUMBER_WORDS + r")\s(?:" + _PEOPLE + r"\s)?"
    r"(?:per\s(?:group|arm)|each(?=[\s.,;)])|in\seach(?=[.,;)]))"
    r"|(?<![A-Za-z])n\s{0,2}=\s{0,2}(?P<n2>" + INTEGER + r")\s(?:each|per\sgroup)",
    re.IGNORECASE,
)
_SCREENED_AFTER = re.compile(
    r"\s{0,3}(?:were\s|was\s)?(?:screened|assessed|approached|contacted|analy[sz]ed|completed|"
    r"dropped|withdrew|lost|excluded|did\snot)",
    re.IGNORECASE,
)
_PER_ARM_AFTER = re.compile(r"\s{0,3}(?:in\s(?:each|every|both)|per\s(?:group|arm))", re.IGNORECASE)
_GROUP_WORD = re.compile(r"(?<![\w-])(?:group|arm)\b(?!s)", re.IGNORECASE)
_LABEL_WORD = re.compile(r"[A-Za-z][\w+/'-]{0,30}")
_STOP_WORDS = (
    "the a an in of to and or each both two three four into for with vs versus was were than "
    "that between this per same either all respective received receiving given by from as on "
    "at who patients participants which whereas while"
)
_STOP = frozenset(_STOP_WORDS.split())
_ARM_HINT_WORDS = (
    "treatment control intervention experimental observation test sham placebo combined "
    "combination verum real true usual waitlist wait-list standard conventional routine"
)
_ARM_HINTS = frozenset(_ARM_HINT_WORDS.split())
_GROUP_N_AFTER = re.compile(
    r"\s{0,2}(?:[\(\[,;]\s{0,2})(?:[nN]\s{0,2}=\s{0,2}(?P<n>"
    + INTEGER
    + r")|(?P<n2>"
    + INTEGER
    + r")\s(?:cases|patients|participants|subjects|women|men))"
)
_N_BEFORE_GROUP = re.compile(
    r"(?<![\w.,-])" + _COUNT + r"\s(?:" + _PEOPLE + r"\s)?(?:were\s|was\s)?(?:randomly\s)?"
    r"(?:assigned\s|allocated\s|randomi[sz]ed\s|included\s)?(?:in|to|into)\s(?:the\s)?$",
    re.IGNORECASE,
)
_RECEIVED = re.compile(
    r"receiv|underw|treated\swith|given|allocated\sto|assigned\sto", re.IGNORECASE
)
_GROUP_COUNT = re.compile(
    r"\b(?P<k>two|three|four|2|3|4)\s(?:parallel\s|treatment\s|study\s)?(?:groups|arms)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Count:
    """A participant count with where it was read."""

    n: int
    span: Span


def count_value(printed: str) -> int | None:
    """An integer written in digits (with thousands separators) or in English words."""
    if printed[:1].isdigit():
        return int(parse_number(printed))
    return parse_number_words(printed)


def find_total(text: str, sentences: SentenceIndex) -> Count | None:
    """The number of participants randomised or enrolled, scored by its wording.

    "A total of N", "randomised N" and "N patients were randomised" beat a bare
    "n = N"; counts of screened, analysed or lost participants and per-group counts
    are not totals.
    """
    best: tuple[int, int, Count] | None = None
    for score, match in _total_candidates(text):
        value = count_value(match["n"])
        if value is None or value < 2:
            continue
        if _SCREENED_AFTER.match(text, match.end()) or _PER_ARM_AFTER.match(text, match.end()):
            continue
        if _is_arm_count(text, match.start()):
            continue
        sentence = sentences.at(match.start())
        if _ENROLMENT_WORDS.search(text, sentence.start, sentence.end):
            score += 2
        before = text[max(0, match.start() - 6) : match.start()].lower()
        if before.endswith(("of ", "from ")) and "total" not in before:
            score -= 3
        candidate = (score, -match.start(), Count(value, Span(match.start("n"), match.end("n"))))
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    return best[2] if best is not None and best[0] > 0 else None


def _total_candidates(text: str) -> list[tuple[int, re.Match[str]]]:
    candidates: list[tuple[int, re.Match[str]]] = []
    candidates += [(3, match) for match in _TOTAL_OF.finditer(text)]
    candidates += [(2, match) for match in _RANDOMIZED_COUNT.finditer(text)]
    candidates += [(1, match) for match in _COUNT_PEOPLE.finditer(text)]
    candidates += [(1, match) for match in _N_EQUALS.finditer(text)]
    return candidates


def _is_arm_count(text: str, start: int) -> bool:
    """Whether a count at ``start`` belongs to a group: "acupuncture group (n = 51)"."""
    before = text[max(0, start - 40) : start]
    before = before[before.rfind("\n") + 1 :]
    return _GROUP_WORD.search(before[-25:]) is not None or bool(
        re.search(r"\w\s{0,2}[\(\[,]\s{0,2}[nN]?\s{0,2}=?\s{0,2}$", before)
        and find_therapies(before[-40:])
    )


@dataclass(slots=True)
class _ArmDraft:
    label: str
    start: int
    end: int
    n: int | None
    therapy: str | None


def find_arms(text: str, sentences: SentenceIndex) -> list[Arm]:
    """Named groups and therapies with a size, merged by therapy or label, in order of mention."""
    drafts: list[_ArmDraft] = []
    for match in _GROUP_WORD.finditer(text):
        draft = _group_at(text, match.start(), match.end(), sentences)
        if draft is not None:
            drafts.append(draft)
    drafts += _therapy_arms(text)
    drafts.sort(key=lambda draft: draft.start)
    arms = _merge(drafts)
    each = _EACH_GROUP.search(text)
    if each is not None:
        value = count_value(each["n"] or each["n2"] or each["n3"])
        if value is not None:
            if len(arms) < 2:
                arms = _placeholder_arms(text, arms)
            arms = [
                _ArmDraft(
                    arm.label,
                    arm.start,
                    arm.end,
                    arm.n if arm.n is not None else value,
                    arm.therapy,
                )
                for arm in arms
            ]
    return [
        Arm(label=arm.label, n=arm.n, therapy=arm.therapy, span=Span(arm.start, arm.end))
        for arm in arms
    ]


def _group_at(text: str, start: int, end: int, sentences: SentenceIndex) -> _ArmDraft | None:
    line_start = max(
        text.rfind("\n", 0, start), text.rfind("(", 0, start), text.rfind(",", 0, start)
    )
    window_start = max(line_start + 1, start - 60)
    words = list(_LABEL_WORD.finditer(text, window_start, start))[-3:]
    # Keep only the words directly joined to "group" by spaces.
    kept: list[re.Match[str]] = []
    cursor = start
    for word in reversed(words):
        if text[word.end() : cursor].strip(" ") or word.group().lower() in _STOP:
            break
        kept.insert(0, word)
        cursor = word.start()
    if not kept:
        return None
    label_words = [word.group().lower() for word in kept]
    label_start = kept[0].start()
    label = text[label_start:end]
    therapy = match_therapy(" ".join(label_words))
    if therapy is None and not _ARM_HINTS.intersection(label_words):
        return None
    n = _n_after(text, end)
    if n is None:
        n = _n_before(text, label_start)
    slug = _sham_of(therapy.slug if therapy is not None else None, label_words)
    if slug is None:
        slug = _therapy_received(text, end, sentences)
    return _ArmDraft(label, label_start, end, n, slug)


def _sham_of(slug: str | None, words: list[str]) -> str | None:
    """ "sham X group" is a control: sham taVNS for taVNS, sham acupuncture otherwise."""
    if "sham" not in words or (slug is not None and match_therapy(slug.replace("-", " ")) is None):
        return slug
    if slug is not None and slug.startswith("sham"):
        return slug
    return "sham-tavns" if slug == "tavns" else "sham-acupuncture"


def _therapy_received(text: str, end: int, sentences: SentenceIndex) -> str | None:
    """The therapy the group "received" in the rest of its sentence."""
    sentence = sentences.at(end)
    tail = text[end : min(sentence.end, end + 200)]
    received = _RECEIVED.search(tail)
    if received is None or received.start() > 30:
        return None
    mentions = find_therapies(tail[received.end() :])
    return mentions[0].term.slug if mentions else None


def _n_after(text: str, end: int) -> int | None:
    match = _GROUP_N_AFTER.match(text, end)
    if match is None:
        return None
    return count_value(match["n"] or match["n2"])


def _n_before(text: str, start: int) -> int | None:
    match = _N_BEFORE_GROUP.search(text[max(0, start - 80) : start])
    return count_value(match["n"]) if match is not None else None


def _therapy_arms(text: str) -> list[_ArmDraft]:
    drafts: list[_ArmDraft] = []
    for mention in find_therapies(text):
        n = _n_after(text, mention.end)
        if n is None:
            continue
        drafts.append(
            _ArmDraft(
                text[mention.start : mention.end], mention.start, mention.end, n, mention.term.slug
            )
        )
    return drafts


def _merge(drafts: list[_ArmDraft]) -> list[_ArmDraft]:
    """One arm per label; an arm named by its therapy joins a group with that therapy.

    Two mentions with the same therapy but different sizes stay separate arms
    ("individualized acupuncture (n = 157), standardized acupuncture (n = 158)").
    """
    merged: list[_ArmDraft] = []
    for draft in drafts:
        same = next((arm for arm in merged if _label_key(arm) == _label_key(draft)), None)
        if same is None and draft.therapy is not None:
            same = next((arm for arm in merged if _compatible(arm, draft)), None)
        if same is None:
            merged.append(draft)
            continue
        same.n = same.n if same.n is not None else draft.n
        same.therapy = same.therapy if same.therapy is not None else draft.therapy
    return merged


def _compatible(arm: _ArmDraft, draft: _ArmDraft) -> bool:
    """Same therapy and no conflicting sizes."""
    return arm.therapy == draft.therapy and (None in (arm.n, draft.n) or arm.n == draft.n)


def _label_key(draft: _ArmDraft) -> str:
    label = re.sub(r"\s{1,5}", " ", draft.label.lower())
    return label.removesuffix(" group").removesuffix(" arm")


def _placeholder_arms(text: str, arms: list[_ArmDraft]) -> list[_ArmDraft]:
    """When only "N in each group" is printed, one arm per group the text counts (default two)."""
    counted = _GROUP_COUNT.search(text)
    k = 2
    if counted is not None:
        k = {"two": 2, "three": 3, "four": 4}.get(counted["k"].lower(), 0) or int(counted["k"])
    arms = list(arms)
    for index in range(len(arms), k):
        arms.append(_ArmDraft(f"group {index + 1}", 0, 0, None, None))
    return arms
