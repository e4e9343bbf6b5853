"""The C-speed fast paths of the cleaner and word counter equal the regexes they stand in for.

Each fast path (:mod:`dedupe.asciiscan`) claims exact equality with a regex
scan on every input; these properties check the claim on random text rich in
the characters where ASCII shortcuts go wrong (accents, typographic marks,
characters whose case folds into ASCII, apostrophes, digits, underscores).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe.clean import patterns as P
from dedupe.clean.coherence import _HANGUL_WORD, _UNSPACED, STOPWORDS, content_words
from dedupe.clean.coherence import _WORD as CONTENT_WORD
from dedupe.clean.whitespace import lines_squashed, squash
from dedupe.normalize import _WORD, word_count

_TRICKY = list("abcXYZ019 _'\n\t.") + ["é", "Ü", "ß", "ﬁ", "İ", "ſ", "K", "\u0307", "²", "٣", "中", "\u2019", "\u201c",
                                         "\u2014", "\u2026", "\xa0", "\u2028", "\x85"]
texts = st.text(alphabet=st.sampled_from(_TRICKY), max_size=60) | st.text(max_size=60)


@settings(max_examples=3000, deadline=None)
@given(texts)
def test_word_count_equals_the_regex(text: str) -> None:
    assert word_count(text) == len(_WORD.findall(text))


@settings(max_examples=3000, deadline=None)
@given(texts)
def test_pattern_tokens_equal_the_regex(text: str) -> None:
    low = text.lower()
    assert P.tokens(low) == P._TOKEN.findall(low)


@settings(max_examples=3000, deadline=None)
@given(texts)
def test_content_words_equal_the_regex(text: str) -> None:
    # Chinese, Japanese and Korean runs are cut into their own units by design (labels branch); the rest
    # of the text must give the regex's words.
    low = _HANGUL_WORD.sub(" ", _UNSPACED.sub(" ", text.lower()))
    assert content_words(text) >= {w for w in CONTENT_WORD.findall(low) if w not in STOPWORDS}
    if low == text.lower():
        assert content_words(text) == {w for w in CONTENT_WORD.findall(low) if w not in STOPWORDS}


@settings(max_examples=3000, deadline=None)
@given(texts)
def test_lines_squashed_holds_for_every_stripped_line(text: str) -> None:
    # clean_text skips the per-document squash check when this says yes: it must never say yes wrongly.
    if lines_squashed(text):
        assert all(squash(line.strip()) == line.strip() for line in text.splitlines())
