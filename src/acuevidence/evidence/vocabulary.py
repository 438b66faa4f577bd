"""Controlled vocabularies shared by the whole platform: conditions, therapies, outcomes.

The Django apps seed their ``Condition``, ``Therapy`` and ``OutcomeMeasure`` tables
from these tuples, and the extractor maps free text onto them, so a slug here is
the stable identity of a term everywhere.

Scale facts (range, direction, minimal important difference, integer-valued) are
given only where they are well established; ``None`` means "unknown or varies
between versions of the instrument", never a guess. ``integer_valued`` says that
every individual score is an integer, which is what the GRIM check needs.

MeSH descriptor ids are the NLM descriptor UIs for the same concept; composite
concepts without a descriptor of their own (e.g. post-stroke hemiplegia) have
``None``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar


@dataclass(frozen=True, slots=True)
class ConditionTerm:
    """A condition; ``parent`` is the slug of the broader condition, if any."""

    slug: str
    name: str
    parent: str | None
    synonyms: tuple[str, ...]
    mesh_id: str | None


@dataclass(frozen=True, slots=True)
class TherapyTerm:
    """A therapy; ``is_control`` marks comparators (sham, placebo, usual care, waitlist, drug)."""

    slug: str
    name: str
    synonyms: tuple[str, ...]
    is_control: bool


@dataclass(frozen=True, slots=True)
class OutcomeTerm:
    """An outcome measure with the facts the checks need about its scale."""

    slug: str
    name: str
    abbreviation: str
    synonyms: tuple[str, ...]
    scale_min: float | None
    scale_max: float | None
    higher_is_better: bool | None
    mid: float | None
    integer_valued: bool


def _c(
    slug: str, name: str, parent: str | None, synonyms: Iterable[str], mesh_id: str | None
) -> ConditionTerm:
    return ConditionTerm(slug, name, parent, tuple(synonyms), mesh_id)


CONDITIONS: tuple[ConditionTerm, ...] = (
    _c("stroke", "Stroke", None, ("cerebral stroke", "cerebrovascular accident", "CVA"), "D020521"),
    _c(
        "ischemic-stroke",
        "Ischemic stroke",
        "stroke",
        (
            "ischaemic stroke",
            "acute ischemic stroke",
            "acute ischaemic stroke",
            "cerebral infarction",
        ),
        "D000083242",
    ),
    _c(
        "post-stroke-hemiplegia",
        "Post-stroke hemiplegia",
        "stroke",
        (
            "poststroke hemiplegia",
            "hemiplegia after stroke",
            "hemiplegia following stroke",
            "stroke hemiplegia",
            "hemiplegia",
            "hemiparesis following stroke",
            "hemiparesis after stroke",
            "post-stroke hemiparesis",
            "poststroke hemiparesis",
            "stroke-related hemiparesis",
            "hemiplegic stroke",
        ),
        None,
    ),
    _c(
        "post-stroke-spasticity",
        "Post-stroke spasticity",
        "stroke",
        ("poststroke spasticity", "spasticity after stroke", "spasticity following stroke"),
        None,
    ),
    _c(
        "post-stroke-dysphagia",
        "Post-stroke dysphagia",
        "stroke",
        ("poststroke dysphagia", "dysphagia after stroke", "dysphagia following stroke"),
        None,
    ),
    _c(
        "post-stroke-depression",
        "Post-stroke depression",
        "stroke",
        ("poststroke depression", "depression after stroke"),
        None,
    ),
    _c("pain", "Pain", None, ("chronic pain",), "D010146"),
    _c(
        "chronic-low-back-pain",
        "Chronic low back pain",
        "pain",
        ("low back pain", "chronic nonspecific low back pain", "CLBP", "lumbago", "LBP"),
        "D017116",
    ),
    _c(
        "knee-osteoarthritis",
        "Chronic knee pain / knee osteoarthritis",
        "pain",
        (
            "knee osteoarthritis",
            "osteoarthritis of the knee",
            "chronic knee pain",
            "KOA",
            "knee OA",
        ),
        "D020370",
    ),
    _c("migraine", "Migraine", "pain", ("migraine without aura", "episodic migraine"), "D008881"),
    _c(
        "tension-type-headache",
        "Tension-type headache",
        "pain",
        ("tension headache", "chronic tension-type headache", "TTH"),
        "D018781",
    ),
    _c("neck-pain", "Neck pain", "pain", ("chronic neck pain", "cervicalgia"), "D019547"),
    _c("shoulder-pain", "Shoulder pain", "pain", ("chronic shoulder pain",), "D020069"),
    _c("fibromyalgia", "Fibromyalgia", "pain", (), "D005356"),
    _c("cancer-pain", "Cancer pain", "pain", ("cancer-related pain",), "D000072716"),
    _c(
        "postoperative-nausea-vomiting",
        "Postoperative nausea and vomiting",
        None,
        ("PONV", "postoperative nausea", "post-operative nausea and vomiting"),
        "D020250",
    ),
    _c(
        "chemotherapy-induced-nausea-vomiting",
        "Chemotherapy-induced nausea and vomiting",
        None,
        ("CINV", "chemotherapy-induced nausea", "chemotherapy induced nausea and vomiting"),
        None,
    ),
    _c(
        "chronic-spontaneous-urticaria",
        "Chronic spontaneous urticaria",
        None,
        ("chronic urticaria", "CSU", "chronic idiopathic urticaria"),
        None,
    ),
    _c(
        "menopausal-hot-flushes",
        "Menopausal hot flushes / vasomotor symptoms",
        None,
        (
            "hot flushes",
            "hot flashes",
            "vasomotor symptoms",
            "menopausal symptoms",
            "menopausal hot flashes",
        ),
        "D019584",
    ),
    _c("obesity", "Obesity", None, ("overweight", "obese"), "D009765"),
    _c(
        "insomnia",
        "Insomnia",
        None,
        ("primary insomnia", "chronic insomnia", "insomnia disorder"),
        "D007319",
    ),
    _c(
        "depression",
        "Depression",
        None,
        ("major depressive disorder", "MDD", "depressive disorder"),
        "D003863",
    ),
    _c("anxiety", "Anxiety", None, ("generalized anxiety disorder", "anxiety disorder"), "D001007"),
    _c(
        "infertility",
        "Infertility / IVF",
        None,
        ("in vitro fertilization", "in vitro fertilisation", "IVF", "infertile women"),
        "D007246",
    ),
    _c("irritable-bowel-syndrome", "Irritable bowel syndrome", None, ("IBS",), "D043183"),
    _c("functional-dyspepsia", "Functional dyspepsia", None, ("dyspepsia",), "D004415"),
    _c(
        "functional-constipation",
        "Functional constipation",
        None,
        ("chronic constipation", "constipation"),
        "D003248",
    ),
    _c("dysmenorrhea", "Dysmenorrhea", None, ("dysmenorrhoea", "primary dysmenorrhea"), "D004412"),
    _c("carpal-tunnel-syndrome", "Carpal tunnel syndrome", None, ("CTS",), "D002349"),
    _c(
        "allergic-rhinitis",
        "Allergic rhinitis",
        None,
        ("hay fever", "seasonal allergic rhinitis"),
        "D065631",
    ),
    _c(
        "stress-urinary-incontinence",
        "Stress urinary incontinence",
        None,
        ("SUI", "urinary incontinence"),
        "D014550",
    ),
    _c("polycystic-ovary-syndrome", "Polycystic ovary syndrome", None, ("PCOS",), "D011085"),
    _c("parkinson-disease", "Parkinson disease", None, ("Parkinson's disease",), "D010300"),
    _c(
        "bell-palsy", "Bell palsy", None, ("Bell's palsy", "peripheral facial paralysis"), "D020330"
    ),
    _c(
        "hypertension",
        "Hypertension",
        None,
        ("high blood pressure", "essential hypertension"),
        "D006973",
    ),
)


def _t(slug: str, name: str, synonyms: Iterable[str], is_control: bool = False) -> TherapyTerm:
    return TherapyTerm(slug, name, tuple(synonyms), is_control)


THERAPIES: tuple[TherapyTerm, ...] = (
    _t(
        "acupuncture",
        "Acupuncture",
        ("verum acupuncture", "real acupuncture", "true acupuncture", "body acupuncture"),
    ),
    _t(
        "manual-acupuncture",
        "Manual acupuncture",
        ("MA", "traditional acupuncture", "traditional Chinese acupuncture"),
    ),
    _t("electroacupuncture", "Electroacupuncture", ("electro-acupuncture", "EA")),
    _t("scalp-acupuncture", "Scalp acupuncture", ("head acupuncture",)),
    _t("acupotomy", "Acupotomy (needle-knife)", ("needle-knife", "needle knife", "acupotomology")),
    _t(
        "ultrasound-guided-acupotomy",
        "Ultrasound-guided acupotomy",
        ("ultrasound guided acupotomy", "US-guided acupotomy"),
    ),
    _t("moxibustion", "Moxibustion", ("moxa", "warm needle moxibustion")),
    _t(
        "auricular-acupuncture",
        "Auricular acupuncture",
        ("ear acupuncture", "auriculotherapy", "auricular acupressure"),
    ),
    _t("acupressure", "Acupressure", ("finger acupressure",)),
    _t(
        "p6-stimulation",
        "P6 acupoint stimulation",
        (
            "P6 stimulation",
            "PC6 stimulation",
            "P6 acupressure",
            "PC6 acupressure",
            "Neiguan stimulation",
        ),
    ),
    _t("laser-acupuncture", "Laser acupuncture", ("low-level laser acupuncture",)),
    _t(
        "tavns",
        "Transcutaneous auricular vagus nerve stimulation",
        ("taVNS", "ta-VNS", "transcutaneous vagus nerve stimulation", "tVNS"),
    ),
    _t(
        "teas",
        "Transcutaneous electrical acupoint stimulation",
        ("TEAS", "transcutaneous electric acupoint stimulation"),
    ),
    _t("cupping", "Cupping", ("cupping therapy", "wet cupping", "dry cupping")),
    _t("dry-needling", "Dry needling", ("trigger point dry needling",)),
    _t(
        "sham-acupuncture",
        "Sham acupuncture",
        (
            "sham electroacupuncture",
            "placebo acupuncture",
            "minimal acupuncture",
            "non-penetrating acupuncture",
            "sham needling",
        ),
        True,
    ),
    _t(
        "sham-tavns",
        "Sham taVNS",
        ("sham transcutaneous auricular vagus nerve stimulation", "sham stimulation"),
        True,
    ),
    _t("placebo", "Placebo", ("placebo pill", "placebo tablets"), True),
    _t(
        "usual-care",
        "Usual care / standard care / conventional rehabilitation",
        (
            "usual care",
            "standard care",
            "standard rehabilitation",
            "conventional rehabilitation",
            "conventional treatment",
            "conventional therapy",
            "routine care",
            "routine rehabilitation",
            "standard treatment",
        ),
        True,
    ),
    _t(
        "waitlist", "Waitlist", ("wait-list", "waiting list", "wait list", "waitlist control"), True
    ),
    _t("no-treatment", "No treatment", ("no intervention", "no additional treatment"), True),
    _t(
        "drug",
        "Drug / medication",
        ("medication", "pharmacotherapy", "Western medicine", "drug therapy"),
        True,
    ),
)


def _o(
    slug: str,
    name: str,
    abbreviation: str,
    synonyms: Iterable[str],
    scale: tuple[float | None, float | None],
    higher_is_better: bool | None,
    mid: float | None,
    integer_valued: bool,
) -> OutcomeTerm:
    return OutcomeTerm(
        slug,
        name,
        abbreviation,
        tuple(synonyms),
        scale[0],
        scale[1],
        higher_is_better,
        mid,
        integer_valued,
    )


OUTCOMES: tuple[OutcomeTerm, ...] = (
    # Fugl-Meyer motor: upper extremity 0-66 + lower extremity 0-34 = 0-100.
    _o(
        "fma",
        "Fugl-Meyer Assessment",
        "FMA",
        ("Fugl-Meyer", "Fugl Meyer", "FMA motor"),
        (0, 100),
        True,
        None,
        True,
    ),
    # MCID 4.25-7.25 points in chronic stroke (Page et al., Phys Ther 2012); lower bound kept.
    _o(
        "fma-ue",
        "Fugl-Meyer Assessment upper extremity",
        "FMA-UE",
        ("FM-UE", "Fugl-Meyer upper extremity", "Fugl-Meyer upper limb", "FMA upper extremity"),
        (0, 66),
        True,
        4.25,
        True,
    ),
    _o(
        "fma-le",
        "Fugl-Meyer Assessment lower extremity",
        "FMA-LE",
        ("FM-LE", "Fugl-Meyer lower extremity", "Fugl-Meyer lower limb", "FMA lower extremity"),
        (0, 34),
        True,
        None,
        True,
    ),
    _o(
        "nihss",
        "National Institutes of Health Stroke Scale",
        "NIHSS",
        ("NIH Stroke Scale", "NIH stroke scale score"),
        (0, 42),
        False,
        None,
        True,
    ),
    _o(
        "neurological-deficit",
        "Neurological deficit score (China Stroke Scale)",
        "NDS",
        ("neurological deficit scale", "neurological deficit score", "China Stroke Scale", "CSS"),
        (None, None),
        False,
        None,
        True,
    ),
    _o(
        "barthel-index",
        "Barthel Index",
        "BI",
        ("Barthel", "modified Barthel Index", "MBI", "ADL scale", "activities of daily living"),
        (0, 100),
        True,
        None,
        True,
    ),
    _o(
        "modified-ashworth-scale",
        "Modified Ashworth Scale",
        "MAS",
        ("modified Ashworth", "Ashworth scale"),
        (0, 4),
        False,
        None,
        False,  # grade 1+ sits between 1 and 2
    ),
    # Ueda's twelve-grade hemiplegia function test (Chinese "Shangtianmin"); ranges not asserted.
    _o(
        "shangtianmin-upper",
        "Shangtianmin hemiplegia function scale, upper limb",
        "STM-UL",
        (
            "Shangtianmin upper limb",
            "Ueda upper limb function",
            "upper limb scores",
            "upper limb function",
        ),
        (None, None),
        True,
        None,
        True,
    ),
    _o(
        "shangtianmin-lower",
        "Shangtianmin hemiplegia function scale, lower limb",
        "STM-LL",
        (
            "Shangtianmin lower limb",
            "Ueda lower limb function",
            "lower limb scores",
            "lower limb function",
        ),
        (None, None),
        True,
        None,
        True,
    ),
    _o(
        "vas-pain",
        "Visual analogue scale for pain",
        "VAS",
        ("visual analogue scale", "visual analog scale", "VAS pain", "pain VAS"),
        (0, None),  # 0-10 cm or 0-100 mm
        False,
        None,
        False,
    ),
    # About 2 points (or 30%) is clinically important (Farrar et al., Pain 2001).
    _o(
        "nrs-pain",
        "Numeric rating scale for pain",
        "NRS",
        ("numerical rating scale", "numeric rating scale", "pain intensity NRS", "NRS pain"),
        (0, 10),
        False,
        2.0,
        True,
    ),
    _o(
        "rmdq",
        "Roland-Morris Disability Questionnaire",
        "RMDQ",
        ("Roland-Morris", "Roland Morris Disability Questionnaire", "RDQ"),
        (0, 24),
        False,
        None,
        True,
    ),
    _o(
        "odi",
        "Oswestry Disability Index",
        "ODI",
        ("Oswestry",),
        (0, 100),
        False,
        None,
        False,
    ),
    _o(
        "ndi",
        "Neck Disability Index",
        "NDI",
        (),
        (0, 50),
        False,
        None,
        True,
    ),
    _o(
        "womac",
        "Western Ontario and McMaster Universities Osteoarthritis Index",
        "WOMAC",
        ("WOMAC pain", "WOMAC function", "WOMAC total"),
        (None, None),  # Likert and VAS versions differ
        False,
        None,
        False,
    ),
    _o(
        "uas7",
        "Urticaria Activity Score over 7 days",
        "UAS7",
        ("urticaria activity score",),
        (0, 42),
        False,
        None,
        True,
    ),
    # MCID 4 points (Basra et al., Dermatology 2015).
    _o(
        "dlqi",
        "Dermatology Life Quality Index",
        "DLQI",
        ("dermatology life quality index",),
        (0, 30),
        False,
        4.0,
        True,
    ),
    _o(
        "hot-flush-score",
        "Hot flush score",
        "HFS",
        ("hot flash score", "hot flush score", "hot flush frequency", "hot flash frequency"),
        (0, None),
        False,
        None,
        False,
    ),
    _o(
        "kupperman-index",
        "Kupperman index",
        "KI",
        ("Kupperman", "Kupperman menopausal index"),
        (0, 63),
        False,
        None,
        True,
    ),
    _o(
        "migraine-days",
        "Migraine days",
        "MMD",
        ("monthly migraine days", "migraine days per month", "number of migraine days"),
        (0, None),
        False,
        None,
        True,
    ),
    _o(
        "midas",
        "Migraine Disability Assessment",
        "MIDAS",
        ("Migraine Disability Assessment Scale",),
        (0, 270),
        False,
        None,
        True,
    ),
    _o("bmi", "Body mass index", "BMI", ("body mass index",), (None, None), False, None, False),
    _o("body-weight", "Body weight", "BW", ("body weight loss",), (None, None), False, None, False),
    _o(
        "psqi",
        "Pittsburgh Sleep Quality Index",
        "PSQI",
        ("Pittsburgh sleep quality index",),
        (0, 21),
        False,
        None,
        True,
    ),
    _o(
        "isi",
        "Insomnia Severity Index",
        "ISI",
        ("insomnia severity index",),
        (0, 28),
        False,
        None,
        True,
    ),
    _o(
        "hamd",
        "Hamilton Depression Rating Scale",
        "HAMD",
        ("HAM-D", "HDRS", "Hamilton Depression Scale", "HAMD-17"),
        (None, None),  # 17-, 21- and 24-item versions differ
        False,
        None,
        True,
    ),
    _o(
        "hama",
        "Hamilton Anxiety Rating Scale",
        "HAMA",
        ("HAM-A", "Hamilton Anxiety Scale"),
        (0, 56),
        False,
        None,
        True,
    ),
    _o(
        "ponv-incidence",
        "Incidence of postoperative nausea and vomiting",
        "PONV",
        ("incidence of PONV", "PONV incidence", "incidence of postoperative nausea and vomiting"),
        (0, 100),
        False,
        None,
        False,
    ),
    _o(
        "mmse",
        "Mini-Mental State Examination",
        "MMSE",
        ("Mini-Mental State Exam", "Mini Mental State Examination"),
        (0, 30),
        True,
        None,
        True,
    ),
    _o(
        "moca",
        "Montreal Cognitive Assessment",
        "MoCA",
        ("Montreal Cognitive Assessment",),
        (0, 30),
        True,
        None,
        True,
    ),
    # 49 items scored 1-5.
    _o(
        "ssqol",
        "Stroke-Specific Quality of Life Scale",
        "SS-QOL",
        ("SSQOL", "stroke specific quality of life"),
        (49, 245),
        True,
        None,
        True,
    ),
    _o(
        "fcq",
        "Food Craving Questionnaire",
        "FCQ",
        ("food craving questionnaire", "FCQ-T", "FCQ-S"),
        (None, None),
        False,
        None,
        True,
    ),
    _o(
        "swallowing-assessment",
        "Standardized Swallowing Assessment",
        "SSA",
        ("standardized swallowing assessment", "water swallow test", "WST"),
        (None, None),
        False,
        None,
        True,
    ),
    _o(
        "sf-36",
        "Short Form 36 Health Survey",
        "SF-36",
        ("SF36", "36-item Short Form", "short form 36"),
        (0, 100),
        True,
        None,
        False,
    ),
)


T = TypeVar("T", bound=ConditionTerm | TherapyTerm | OutcomeTerm)

_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015/']+")
_WORD = re.compile(r"[A-Za-z0-9]{1,40}")
_MAX_PHRASE_WORDS = 8


def normalize(text: str) -> str:
    """Lower-case, treat hyphens, dashes, slashes and apostrophes as spaces, collapse spaces."""
    return _SEPARATORS.sub(" ", text).strip().lower()


@dataclass(frozen=True, slots=True)
class Mention(Generic[T]):
    """A vocabulary term found in a text, with its half-open character range."""

    term: T
    start: int
    end: int


class _Index(Generic[T]):
    """Phrase lookup for one vocabulary.

    Exact lookup is a dict on the normalized phrase. Scanning splits the text into
    words once and tries phrases of up to eight words starting at each word whose
    first word starts some phrase, so it runs in time linear in the text length.
    Short all-capital abbreviations ("BI", "MAS", "EA") are matched case-sensitively
    while scanning, so ordinary words ("bi", "mas", "ea") do not trigger them.
    """

    def __init__(self, terms: tuple[T, ...]) -> None:
        self.exact: dict[str, T] = {}
        self.scan: dict[tuple[str, ...], tuple[T, bool]] = {}
        for term in terms:
            phrases = [term.slug.replace("-", " "), term.name, *term.synonyms]
            abbreviation = getattr(term, "abbreviation", "")
            for phrase in phrases:
                self._add(phrase, term)
            if abbreviation:
                self._add(abbreviation, term)
        self.first_words = {key[0] for key in self.scan}

    def _add(self, phrase: str, term: T) -> None:
        key = normalize(phrase)
        self.exact.setdefault(key, term)
        words = tuple(_WORD.findall(key))
        case_sensitive = len(phrase) <= 4 and phrase.upper() == phrase and phrase.isalpha()
        cased_key = tuple(_WORD.findall(phrase)) if case_sensitive else words
        if words and cased_key not in self.scan:
            self.scan[cased_key] = (term, case_sensitive)

    def mentions(self, text: str) -> Iterator[Mention[T]]:
        """Yield the longest non-overlapping mentions, left to right."""
        words = list(_WORD.finditer(text))
        lowered = [match.group().lower() for match in words]
        i = 0
        while i < len(words):
            best: tuple[int, T] | None = None
            if lowered[i] in self.first_words or words[i].group() in self.first_words:
                best = self._longest_at(text, words, lowered, i)
            if best is None:
                i += 1
                continue
            last, term = best
            yield Mention(term, words[i].start(), words[last].end())
            i = last + 1

    def _longest_at(
        self, text: str, words: list[re.Match[str]], lowered: list[str], i: int
    ) -> tuple[int, T] | None:
        best: tuple[int, T] | None = None
        for last in range(i, min(i + _MAX_PHRASE_WORDS, len(words))):
            if last > i and not _SEPARATORS.fullmatch(
                text[words[last - 1].end() : words[last].start()]
            ):
                break
            folded = tuple(lowered[i : last + 1])
            found = self.scan.get(folded)
            if found is not None and not found[1]:
                best = (last, found[0])
                continue
            cased = self.scan.get(tuple(m.group() for m in words[i : last + 1]))
            if cased is not None and cased[1]:
                best = (last, cased[0])
        return best

    def match(self, text: str) -> T | None:
        """The term named exactly by ``text``, else the longest term mentioned in it."""
        exact = self.exact.get(normalize(text))
        if exact is not None:
            return exact
        best: Mention[T] | None = None
        for mention in self.mentions(text):
            if best is None or mention.end - mention.start > best.end - best.start:
                best = mention
        return best.term if best is not None else None


_CONDITION_INDEX = _Index(CONDITIONS)
_THERAPY_INDEX = _Index(THERAPIES)
_OUTCOME_INDEX = _Index(OUTCOMES)


def match_condition(text: str) -> ConditionTerm | None:
    """The condition named by ``text`` (name, slug or synonym, any case), or mentioned in it."""
    return _CONDITION_INDEX.match(text)


def match_therapy(text: str) -> TherapyTerm | None:
    """The therapy named by ``text`` (name, slug or synonym, any case), or mentioned in it."""
    return _THERAPY_INDEX.match(text)


def match_outcome(text: str) -> OutcomeTerm | None:
    """The outcome named by ``text`` (name, abbreviation or synonym), or mentioned in it."""
    return _OUTCOME_INDEX.match(text)


def find_conditions(text: str) -> list[Mention[ConditionTerm]]:
    """Every condition mentioned in ``text``, longest match first at each position."""
    return list(_CONDITION_INDEX.mentions(text))


def find_therapies(text: str) -> list[Mention[TherapyTerm]]:
    """Every therapy mentioned in ``text``, longest match first at each position."""
    return list(_THERAPY_INDEX.mentions(text))


def find_outcomes(text: str) -> list[Mention[OutcomeTerm]]:
    """Every outcome measure mentioned in ``text``, longest match first at each position."""
    return list(_OUTCOME_INDEX.mentions(text))


def condition_by_slug(slug: str) -> ConditionTerm:
    """The condition with this slug; ``KeyError`` if there is none."""
    return _by_slug(CONDITIONS, slug)


def therapy_by_slug(slug: str) -> TherapyTerm:
    """The therapy with this slug; ``KeyError`` if there is none."""
    return _by_slug(THERAPIES, slug)


def outcome_by_slug(slug: str) -> OutcomeTerm:
    """The outcome with this slug; ``KeyError`` if there is none."""
    return _by_slug(OUTCOMES, slug)


def _by_slug(terms: tuple[T, ...], slug: str) -> T:
    for term in terms:
        if term.slug == slug:
            return term
    raise KeyError(slug)
