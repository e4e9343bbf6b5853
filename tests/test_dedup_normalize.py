"""The fast normalize() and the vectorised word hashing against their slow, obvious references."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe.minhash import Signer
from dedupe.normalize import _APOSTROPHES, normalize, tokens

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


_SIGNER = Signer()


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_vectorised_tokenising_finds_tokens(text):
    words = tokens(text)
    hashes, starts = _SIGNER.token_hashes(normalize(text))
    assert len(hashes) == len(words) == len(starts)
    seen: dict[str, int] = {}
    for w, h in zip(words, hashes.tolist(), strict=True):
        assert seen.setdefault(w, h) == h


@settings(max_examples=200, deadline=None)
@given(st.lists(TEXT, max_size=6))
def test_batch_is_per_document(texts):
    batch = _SIGNER.shingle_batch(texts)
    for text, got in zip(texts, batch, strict=True):
        assert got.tolist() == _SIGNER.shingles(text).tolist()
