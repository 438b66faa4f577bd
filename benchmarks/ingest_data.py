"""Write a synthetic MEDLINE update file (``.xml.gz``) for the ingestion benchmark.

The records follow the structure of NLM's baseline/update files (PubmedArticle
with MedlineCitation and PubmedData, structured abstracts, author lists,
DataBankList, MeSH, history dates, ArticleIdList, a closing DeleteCitation) but
every word is generated here from small vocabularies, so the file is ours to
use and the same seed gives the same bytes.

    python benchmarks/ingest_data.py --records 30000 --out var/benchmarks/medline_30000.xml.gz
"""

from __future__ import annotations

import argparse
import gzip
import random
from pathlib import Path
from xml.sax.saxutils import escape

DEFAULT_OUT = Path("var/benchmarks/medline_synthetic.xml.gz")
THERAPIES = ["Acupuncture", "Electroacupuncture", "Moxibustion", "Cupping", "Acupressure",
             "Auricular acupuncture", "Laser acupuncture", "Scalp acupuncture"]  # fmt: skip
CONDITIONS = ["chronic neck pain", "knee osteoarthritis", "post-stroke dysphagia", "insomnia",
              "migraine", "postoperative nausea", "low back pain", "hot flushes"]  # fmt: skip
COMPARATORS = ["sham needling", "usual care", "waiting list", "placebo patches"]
SURNAMES = ["Lindqvist", "Zhou", "Haddad", "Mensah", "Novak", "Okafor", "Ito", "Varga",
            "Duarte", "Abebe", "Chen", "Marsh", "Bergstrom", "Nakamura"]  # fmt: skip
MESH = ["Acupuncture Therapy", "Humans", "Female", "Male", "Middle Aged", "Adult",
        "Pain Measurement", "Treatment Outcome", "Quality of Life", "Aged"]  # fmt: skip
HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
    '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n<PubmedArticleSet>\n'
)


def article(pmid: int, rng: random.Random) -> str:
    """One PubmedArticle with invented content."""
    therapy, condition, comparator = (rng.choice(v) for v in (THERAPIES, CONDITIONS, COMPARATORS))
    n = rng.randrange(40, 400, 2)
    year, month, day = rng.randint(2005, 2025), rng.randint(1, 12), rng.randint(1, 28)
    diff = round(rng.uniform(-3, -0.2), 1)
    sections = [
        ("BACKGROUND", "BACKGROUND", f"{condition.capitalize()} is common and treatment options "
         f"are limited. We asked whether {therapy.lower()} helps more than {comparator}."),
        ("METHODS", "METHODS", f"We randomly assigned {n} adults to {therapy.lower()} "
         f"(n = {n // 2}) or {comparator} (n = {n // 2}) for {rng.randint(4, 12)} weeks; "
         "serum IL-1<i>&#x3b2;</i> and body mass index (kg/m<sup>2</sup>) were recorded."),
        ("RESULTS", "RESULTS", f"The score changed by {diff} points more with {therapy.lower()} "
         f"(95% CI {diff - 0.8:.1f} to {diff + 0.6:.1f}; P = 0.0{rng.randint(1, 4)})."),
        ("CONCLUSIONS", "CONCLUSIONS", f"{therapy} may help people with {condition}."),
    ]  # fmt: skip
    nct = f"NCT0{rng.randint(1000000, 6999999)}"
    abstract = "".join(
        f'<AbstractText Label="{label}" NlmCategory="{cat}">{text}</AbstractText>'
        for label, cat, text in sections
    )
    authors = "".join(
        f'<Author ValidYN="Y"><LastName>{rng.choice(SURNAMES)}</LastName><ForeName>A B</ForeName>'
        "<Initials>AB</Initials><AffiliationInfo><Affiliation>Department of Rehabilitation, "
        "Example University Hospital, Example City.</Affiliation></AffiliationInfo></Author>"
        for _ in range(rng.randint(2, 8))
    )
    mesh = "".join(
        f'<MeshHeading><DescriptorName UI="D00{i:04d}" MajorTopicYN="N">{escape(term)}'
        "</DescriptorName></MeshHeading>"
        for i, term in enumerate(rng.sample(MESH, 5))
    )
    doi = f"10.5555/bench.{year}.{pmid}"
    return (
        f'<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">{pmid}'
        f"</PMID><DateRevised><Year>{year}</Year><Month>{month:02d}</Month><Day>{day:02d}</Day>"
        '</DateRevised><Article PubModel="Print-Electronic"><Journal><ISSN IssnType="Electronic">'
        '0000-0000</ISSN><JournalIssue CitedMedium="Internet"><Volume>12</Volume><Issue>3</Issue>'
        f"<PubDate><Year>{year}</Year><Month>Mar</Month></PubDate></JournalIssue><Title>Example "
        "journal of integrative needling</Title><ISOAbbreviation>Ex J Integr Needling"
        f"</ISOAbbreviation></Journal><ArticleTitle>{therapy} versus {comparator} for "
        f"{condition}: a randomized controlled trial.</ArticleTitle><Pagination><MedlinePgn>1-9"
        f'</MedlinePgn></Pagination><ELocationID EIdType="doi" ValidYN="Y">{doi}</ELocationID>'
        f'<Abstract>{abstract}</Abstract><AuthorList CompleteYN="Y">{authors}</AuthorList>'
        '<Language>eng</Language><DataBankList CompleteYN="Y"><DataBank><DataBankName>'
        "ClinicalTrials.gov</DataBankName><AccessionNumberList><AccessionNumber>"
        f"{nct}</AccessionNumber></AccessionNumberList></DataBank></DataBankList>"
        '<PublicationTypeList><PublicationType UI="D016428">Journal Article</PublicationType>'
        '<PublicationType UI="D016449">Randomized Controlled Trial</PublicationType>'
        "</PublicationTypeList></Article><MedlineJournalInfo><Country>England</Country>"
        "<MedlineTA>Ex J Integr Needling</MedlineTA><NlmUniqueID>999000000</NlmUniqueID>"
        f"</MedlineJournalInfo><MeshHeadingList>{mesh}</MeshHeadingList></MedlineCitation>"
        '<PubmedData><History><PubMedPubDate PubStatus="entrez"><Year>{y}</Year><Month>{m}'
        "</Month><Day>{d}</Day></PubMedPubDate></History><PublicationStatus>ppublish"
        '</PublicationStatus><ArticleIdList><ArticleId IdType="pubmed">{p}</ArticleId>'
        '<ArticleId IdType="doi">{doi}</ArticleId><ArticleId IdType="pmc">PMC{p}</ArticleId>'
        "</ArticleIdList></PubmedData></PubmedArticle>\n"
    ).format(y=year, m=month, d=day, p=pmid, doi=doi)


def write_medline_file(path: Path, records: int, seed: int = 4) -> Path:
    """Write ``records`` articles and a DeleteCitation of ten PMIDs to ``path`` (gzipped)."""
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=6) as out:
        out.write(HEADER)
        for offset in range(records):
            out.write(article(30_000_000 + offset, rng))
        deleted = "".join(f'<PMID Version="1">{20_000_000 + i}</PMID>' for i in range(10))
        out.write(f"<DeleteCitation>{deleted}</DeleteCitation>\n</PubmedArticleSet>\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=30_000)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    path = write_medline_file(args.out, args.records)
    print(f"wrote {args.records} records to {path} ({path.stat().st_size / 1e6:.1f} MB gzipped)")


if __name__ == "__main__":
    main()
