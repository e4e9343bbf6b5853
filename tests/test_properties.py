"""Property tests (hypothesis) on clean, sign and verify.

- clean, sign and verify raise nothing on arbitrary Unicode;
- cleaning is idempotent: with ``d = clean_text(x)``, cleaning ``d.text``
  again (told the title it found, so the first body line is not taken for a
  title) keeps exactly ``d.text``; likewise for the text ``clean_html`` extracts;
- signatures are the same in another process (other ``PYTHONHASHSEED``);
- the MinHash estimate is within the estimator's error of the exact Jaccard:
  ``|est - J| <= 5 * sqrt(J (1 - J) / num_perm) + 1 / num_perm`` (5 standard
  errors; derandomized, so the run is reproducible).
"""

from __future__ import annotations

import hashlib
import math
import os
import random
import subprocess
import sys

import numpy as np
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from benchmarks.fuzz_cleaners import article_text, html_text
from dedupe import clean_html, clean_text
from dedupe.config import DedupConfig
from dedupe.minhash import Signer, estimate_jaccard, exact_jaccard
from dedupe.verify import is_duplicate, score_pair

from .conftest import ROOT

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

@FAST
@given(article_text)
def test_clean_text_never_raises(text):
    doc = clean_text(text)
    assert isinstance(doc.text, str) and all(r.reason for r in doc.removed)


@FAST
@given(html_text)
def test_clean_html_never_raises(html):
    doc = clean_html(html)
    assert isinstance(doc.text, str) and all(r.reason for r in doc.removed)


@FAST
@example("A\r0\r0:0:0:0:0:0")
@given(article_text)
def test_clean_text_is_idempotent(text):
    first = clean_text(text)
    again = clean_text(first.text, title=first.title)
    assert again.text == first.text


@FAST
@example("A\r0\r0:0\t0\x1b0\t0:0")
@example("DATE2000-01-01< 0\r0\r0")
@given(html_text)
def test_clean_html_text_is_stable(html):
    first = clean_html(html)
    again = clean_text(first.text, title=first.title)
    assert again.text == first.text


@FAST
@given(article_text, article_text)
def test_sign_and_verify_never_raise_and_stay_in_range(a, b):
    signer = Signer(num_perm=64)
    sa, sb = signer.shingles(a), signer.shingles(b)
    assert np.all(sa[:-1] < sa[1:])  # sorted, unique
    sig = signer.sign([sa, sb])
    assert sig.shape == (2, 64)
    scores = score_pair(sa, sb, a, b)
    for value in (scores.jaccard, scores.containment, scores.fuzz):
        assert 0.0 <= value <= 1.0
    assert scores.containment >= scores.jaccard
    assert score_pair(sb, sa, b, a).jaccard == scores.jaccard
    is_duplicate(scores, DedupConfig())
    if sa.size:
        assert score_pair(sa, sa, a, a).jaccard == 1.0


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    st.integers(min_value=1, max_value=400),
    st.integers(min_value=0, max_value=400),
    st.integers(min_value=0, max_value=400),
    st.integers(min_value=0, max_value=2**32),
)
def test_minhash_estimate_within_its_error(shared, only_a, only_b, salt):
    """The bound the signer states (dedupe.minhash: sets of at least num_perm shingles)."""
    num_perm = 128
    assume(shared + only_a >= num_perm and shared + only_b >= num_perm)
    signer = Signer(num_perm=num_perm, seed=salt % 1000)
    universe = np.unique(np.random.default_rng(salt).integers(0, 2**63, size=shared + only_a + only_b + 10,
                                                              dtype=np.uint64))
    universe = universe[: shared + only_a + only_b]
    a = np.sort(universe[: shared + only_a])
    b = np.sort(np.concatenate([universe[:shared], universe[shared + only_a:]]))
    exact = exact_jaccard(a, b)
    sig = signer.sign([a, b])
    est = estimate_jaccard(sig[0], sig[1])
    bound = 5 * math.sqrt(exact * (1 - exact) / num_perm) + 1 / num_perm
    assert abs(est - exact) <= bound, (exact, est)


_SIGN_SCRIPT = """
import hashlib, json, sys
from dedupe.minhash import Signer
texts = json.loads(sys.stdin.read())
s = Signer(num_perm=128, shingle_size=5, seed=1)
sig = s.sign([s.shingles(t) for t in texts])
print(hashlib.sha256(sig.tobytes()).hexdigest())
"""


def test_signatures_are_identical_across_processes():
    import json

    rng = random.Random(5)
    alphabet = "abcdefghijklmnopqrstuvwxyzäöüßéçñ日本語中文한국어αβγ —“”’'.,!?\n0123456789"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 600))) for _ in range(200)]
    texts += [p.read_text("utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    s = Signer(num_perm=128, shingle_size=5, seed=1)
    here = hashlib.sha256(s.sign([s.shingles(t) for t in texts]).tobytes()).hexdigest()
    for hashseed in ("1", "12345"):
        proc = subprocess.run(
            [sys.executable, "-c", _SIGN_SCRIPT], input=json.dumps(texts), capture_output=True, text=True,
            env={**os.environ, "PYTHONHASHSEED": hashseed}, check=True, timeout=120,
        )
        assert proc.stdout.strip() == here


def test_minhash_small_sets_are_looser_as_documented():
    """Below num_perm shingles densification copies bins: the documented example, pinned."""
    shared, only_a, only_b, salt = 1, 35, 400, 438
    signer = Signer(num_perm=128, seed=salt % 1000)
    universe = np.unique(np.random.default_rng(salt).integers(0, 2**63, size=shared + only_a + only_b + 10,
                                                              dtype=np.uint64))[: shared + only_a + only_b]
    a = np.sort(universe[: shared + only_a])
    b = np.sort(np.concatenate([universe[:shared], universe[shared + only_a:]]))
    sig = signer.sign([a, b])
    assert round(exact_jaccard(a, b), 3) == 0.002
    assert estimate_jaccard(sig[0], sig[1]) == 4 / 128
