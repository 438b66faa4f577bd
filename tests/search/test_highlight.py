"""Snippets: a window around the first match, terms marked, everything else escaped."""

from acuevidence.search.highlight import snippet, words


def test_words_drop_stopwords_and_split_hyphens():
    assert words("Hemiplegia after a post-stroke event") == [
        "hemiplegia",
        "post",
        "stroke",
        "event",
    ]


def test_terms_are_marked_case_insensitively_at_word_starts():
    html = snippet("Hemiplegia after stroke; not hemiplegic words", ["hemiplegia", "stroke"])
    assert html == "<mark>Hemiplegia</mark> after <mark>stroke</mark>; not hemiplegic words"


def test_text_is_escaped_before_marking():
    html = snippet("<b>stroke</b> & rehab", ["stroke"])
    assert html == "&lt;b&gt;<mark>stroke</mark>&lt;/b&gt; &amp; rehab"


def test_long_text_is_cut_around_the_first_match():
    text = "word " * 100 + "acupotomy helped " + "tail " * 100
    html = snippet(text, ["acupotomy"], width=80)
    assert html.startswith("… ") and html.endswith(" …")
    assert "<mark>acupotomy</mark>" in html
    assert len(html) < 140


def test_without_a_match_the_start_of_the_text_is_shown():
    assert snippet("Plain text here.", ["absent"]) == "Plain text here."
