"""The fast normalize() and the vectorised word hashing against their slow, obvious references."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe.minhash import Signer
from dedupe.normalize import _APOSTROPHES, first_sentence_end, normalize, tokens
from dedupe.wordhash import FOLD_LIMIT, hash_words, reference_hashes, word_hash

# text with the characters that matter: apostrophes, quotes, newlines, compatibility forms,
# combining marks, letters of several scripts, digits, underscores
_ALPHABET = st.sampled_from(
    list("ab Z9_\n\t'’‘`´ʼ\"“”—-.,") + ["ß", "İ", "ﬁ", "Ａ", "①", "½", "é", "e\u0301", "\u0301", "東", "ا", "ǅ", "\u00a0", "\ud800"]
)
TEXT = st.lists(_ALPHABET, max_size=60).map("".join) | st.text(max_size=60)


def _reference_normalize(text: str) -> str:
    return _APOSTROPHES.sub("", unicodedata.normalize("NFKC", text)).casefold()


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_normalize_equals_reference(text):
    assert normalize(text) == _reference_normalize(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(TEXT | st.sampled_from([". The", "! A", "? “Q", ".” B", ". ", " It", "’s"]), max_size=8).map("".join))
def test_the_first_sentence_ends_between_words(text):
    """The words before the first sentence end are the first words of the text, those after it the rest:
    the lead window after the first sentence starts on a word of the whole text's sequence."""
    end = first_sentence_end(text)
    head, words = tokens(text[:end]), tokens(text)
    assert words[: len(head)] == head and words[len(head) :] == tokens(text[end:])


_SIGNER = Signer()
_KW = {"multiplier": _SIGNER._p, "salt": int(_SIGNER._token_salt)}


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_compiled_word_hashes_equal_the_reference(text):
    """hash_words finds exactly tokens(): same words, same order, hashed as word_hash does."""
    hashes, first = hash_words([text], **_KW)
    assert hashes.tolist() == reference_hashes(text, **_KW)
    assert first.tolist() == [0, len(tokens(text))]


@settings(max_examples=200, deadline=None)
@given(st.lists(TEXT | st.just("a\x00b"), max_size=6))
def test_batch_is_per_document(texts):
    hashes, first = hash_words(texts, **_KW)
    for i, text in enumerate(texts):
        assert hashes[first[i] : first[i + 1]].tolist() == reference_hashes(text, **_KW)
    batch = _SIGNER.shingle_batch(texts)
    for text, got in zip(texts, batch, strict=True):
        assert got.tolist() == _SIGNER.shingles(text).tolist()


def test_no_case_folding_above_the_table_limit():
    assert all(chr(c).casefold() == chr(c) for c in range(FOLD_LIMIT, 0x110000))


def test_word_hashes_do_not_collide_on_a_real_vocabulary():
    from benchmarks import data

    if not data.available():
        pytest.skip("evaluation data not found (../shared/data); the vocabulary comes from it")
    words = sorted({w for p in data.scrapinghub() for w in tokens(p.body)})
    hashes = {word_hash(w, **_KW) for w in words}
    assert len(hashes) == len(words) > 15000
