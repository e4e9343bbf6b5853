"""Signer against datasketch, verification rule, chaining guard, canonical policy."""

from __future__ import annotations

import numpy as np
import pytest
from datasketch import MinHash

from dedupe import CanonicalPolicy, CleanDoc, DedupConfig, Deduplicator, run
from dedupe.canonical import choose
from dedupe.minhash import Signer, exact_jaccard
from dedupe.readers import iter_records

from .conftest import SEEDS


def _random_pair(rng, overlap: float, size: int = 400):
    shared = [f"w{x}" for x in rng.integers(0, 10**9, int(size * overlap))]
    a = shared + [f"a{x}" for x in rng.integers(0, 10**9, size - len(shared))]
    b = shared + [f"b{x}" for x in rng.integers(0, 10**9, size - len(shared))]
    return a, b


def test_signer_agrees_with_datasketch_within_error():
    """Our one-permutation MinHash and datasketch's 256-permutation MinHash both estimate the
    exact Jaccard of random pairs within the estimator's standard error."""
    rng = np.random.default_rng(7)
    signer = Signer(num_perm=256, shingle_size=1)
    errors_ours, errors_ref = [], []
    for overlap in np.linspace(0.05, 0.95, 19):
        for size in (60, 400, 3000):
            a, b = _random_pair(rng, overlap, size)
            sa, sb = signer.shingles(" ".join(a)), signer.shingles(" ".join(b))
            truth = exact_jaccard(sa, sb)
            sig = signer.sign([sa, sb])
            ours = float(np.mean(sig[0] == sig[1]))
            ma, mb = MinHash(num_perm=256), MinHash(num_perm=256)
            ma.update_batch([w.encode() for w in a])
            mb.update_batch([w.encode() for w in b])
            errors_ours.append(abs(ours - truth))
            errors_ref.append(abs(ma.jaccard(mb) - truth))
            # standard error of the estimator is sqrt(J(1-J)/k); allow 4 sigma
            bound = 4 * np.sqrt(truth * (1 - truth) / 256) + 1e-9
            assert abs(ours - truth) <= bound, (overlap, size, ours, truth)
    assert np.mean(errors_ours) <= 1.5 * np.mean(errors_ref) + 0.005


def test_signer_is_unbiased_on_many_pairs():
    """Mean estimate over many pairs sits on the exact Jaccard (densification keeps P[equal] = J),
    also for short documents with many empty bins."""
    rng = np.random.default_rng(11)
    signer = Signer(num_perm=128, shingle_size=1)
    for size in (40, 1000):
        diffs = []
        for _ in range(60):
            a, b = _random_pair(rng, 0.5, size)
            sa, sb = signer.shingles(" ".join(a)), signer.shingles(" ".join(b))
            sig = signer.sign([sa, sb])
            diffs.append(float(np.mean(sig[0] == sig[1])) - exact_jaccard(sa, sb))
        # 60 pairs x 128 slots: the mean's standard error is about 0.006
        assert abs(np.mean(diffs)) < 0.03, (size, np.mean(diffs))


def test_batch_signing_equals_one_by_one():
    signer = Signer(batch_chars=4096)
    texts = [" ".join(f"w{i % 97} x{i}" for i in range(n)) for n in (0, 1, 3, 4, 5, 50, 900)] + ["", "a b"]
    batch = signer.shingle_batch(texts)
    for text, got in zip(texts, batch, strict=True):
        assert np.array_equal(got, signer.shingles(text))
    assert np.array_equal(signer.sign(batch), np.vstack([signer.sign([s]) for s in batch]))


def test_signer_words_are_tokens():
    """The signer's words are exactly ``tokens()``, on hard cases and on the seeds."""
    from dedupe.normalize import tokens
    from dedupe.wordhash import reference_hashes

    signer = Signer()
    texts = [
        "China’s “hard tech” — AI isn't ＡＩ; rock'n'roll _'s 3.14 ß straße İstanbul ŉ",
        "naïve café — the ‘quoted’ words, 2025-07-30, e\u0301 and é",
        "Ｆｕｌｌｗｉｄｔｈ ﬁ ligature ① ½ x²; 東京 2025年 مرحبا بالعالم",
    ]
    for text in texts + [p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))]:
        hashes = signer.token_hashes(text)
        assert len(hashes) == len(tokens(text)), text[:40]
        assert hashes.tolist() == reference_hashes(text, multiplier=signer._p, salt=int(signer._token_salt))


def test_signatures_are_deterministic_and_empty_is_safe():
    s1, s2 = Signer(seed=3), Signer(seed=3)
    text = "one two three four five six seven eight nine ten"
    assert (s1.sign([s1.shingles(text)]) == s2.sign([s2.shingles(text)])).all()
    empty = s1.shingles("")
    assert len(empty) == 0
    assert (s1.sign([empty]) == np.iinfo(np.uint32).max).all()


def _doc(doc_id, words, **kw):
    return CleanDoc(doc_id, " ".join(words), **kw)


def test_chaining_is_split():
    base = [f"t{i}" for i in range(200)]
    a = base[:120]
    b = base[40:160]
    c = base[80:200]
    # a~b and b~c by containment/jaccard only at loose thresholds, a and c share 40 words
    cfg = DedupConfig(jaccard_threshold=0.45, containment_threshold=0.99, lsh_threshold=0.1)
    result = Deduplicator(cfg).fit([_doc("a", a), _doc("b", b), _doc("c", c)])
    assert result.verified == 2  # the chain a~b~c exists before the guard
    assert len(result.clusters) == 1
    for cluster in result.clusters:
        ids = {m for m, _ in cluster.members}
        assert ids != {"a", "b", "c"}
        for _, scores in cluster.members:
            assert scores is None or scores.jaccard >= 0.45


def test_short_quote_is_not_a_copy():
    story = [f"s{i}" for i in range(400)]
    follow_up = [f"f{i}" for i in range(300)] + story[100:140]
    result = Deduplicator().fit([_doc("story", story), _doc("follow", follow_up)])
    assert result.clusters == []


def test_short_document_inside_long_is_not_a_copy():
    story = [f"s{i}" for i in range(600)]
    brief = story[:30]
    result = Deduplicator().fit([_doc("story", story), _doc("brief", brief)])
    assert result.clusters == []


def test_truncated_copy_is_found():
    story = [f"s{i}" for i in range(600)]
    result = Deduplicator().fit([_doc("full", story), _doc("cut", story[:300])])
    assert len(result.clusters) == 1 and result.duplicate_of == {"cut": "full"}


def test_policy_preferred_source_and_reason():
    words = [f"s{i}" for i in range(100)]
    a = _doc("a", words + ["extra"], source="Blog")
    b = _doc("b", words, source="Reuters")
    idx, reason = choose([a, b], CanonicalPolicy(preferred_sources=("Reuters",)))
    assert idx == 1 and reason.startswith("preferred_source")
    idx, reason = choose([a, b], CanonicalPolicy())
    assert idx == 0 and reason.startswith("longest")


def test_seed_pair_found_from_raw_text_and_same_topic_apart():
    records = list(iter_records([SEEDS]))
    result = run(records, mode="dedup")
    clusters = [sorted(m for m, _ in c.members) for c in result.dedup.clusters]
    assert clusters == [["000_8fca9bbadf01635a.txt", "001_5199980eff0ac470.txt"]]


@pytest.mark.parametrize("bad", [{"jaccard_threshold": -0.1}, {"num_perm": 8}, {"shingle_size": 0}])
def test_config_errors_say_what_to_fix(bad):
    from dedupe import ConfigError

    with pytest.raises(ConfigError) as info:
        DedupConfig(**bad)
    assert next(iter(bad)) in str(info.value)


def test_lead_index_finds_a_copy_cut_to_a_quarter():
    """A copy that keeps only the first quarter of a story: whole-set Jaccard ~0.25 (under a 0.5 index),
    but the same first 50 shingles, so the lead index makes it a candidate and containment verifies it."""
    import random

    from dedupe.dedup import Deduplicator, sign_documents
    from dedupe.executor import InProcessExecutor
    from dedupe.types import CleanDoc

    rng = random.Random(5)
    vocab = [f"w{i}" for i in range(3000)]
    story = " ".join(rng.choice(vocab) for _ in range(1000))
    cut = " ".join(story.split()[:250])
    docs = [CleanDoc("story", story), CleanDoc("cut", cut)]
    off = Deduplicator(DedupConfig(lead_shingles=0, lsh_threshold=0.5))
    on = Deduplicator(DedupConfig(lead_shingles=50, lsh_threshold=0.5))
    sig = sign_documents(docs, on.signer, InProcessExecutor(), lead=50)
    assert (sig[0, 128:] == sig[1, 128:]).all() and not (sig[0, :128] == sig[1, :128]).all()
    assert off.fit(docs).candidates == 0
    result = on.fit(docs)
    assert result.candidates == 1 and result.duplicate_of == {"cut": "story"}


def test_lead_after_first_sentence_finds_a_copy_with_a_headline_and_date_glued_on_its_lead():
    """A copy cut to a quarter whose first line carries a headline, a date line and a byline pasted onto
    the lead (syndication's sub-heading merge): its first 50 shingles are 20 off the story's (lead
    Jaccard ~0.4, under the 0.6 lead index), but the 50 after its first sentence are the story's.
    Before the second window the pair was not even a candidate."""
    import random

    from dedupe.dedup import Deduplicator, sign_documents
    from dedupe.executor import InProcessExecutor
    from dedupe.types import CleanDoc

    rng = random.Random(7)
    vocab = [f"w{i}" for i in range(3000)]
    sentences = [" ".join(["The", *(rng.choice(vocab) for _ in range(rng.randint(12, 20)))]) + "." for _ in range(60)]
    story = "\n".join(" ".join(sentences[i : i + 3]) for i in range(0, 60, 3))
    glued = "Storm floods the coast road Posted: October 27, 2012 at 9:14 am By Jane Doe, staff writer"
    copy = glued + " " + " ".join(sentences[:15])
    docs = [CleanDoc("story", story), CleanDoc("copy", copy)]
    dedup = Deduplicator(DedupConfig(lsh_threshold=0.5))
    sig = sign_documents(docs, dedup.signer, InProcessExecutor(), lead=50)
    first, later = slice(128, 256), slice(256, 384)
    assert (sig[1, first] == sig[0, first]).mean() < 0.5  # the glued line shifts the first window
    assert (sig[1, later] == sig[0, later]).all()  # past the first sentence, both read the same
    result = dedup.fit(docs)
    assert result.candidates == 1 and result.duplicate_of == {"copy": "story"}


def test_buckets_are_exact_when_band_keys_share_a_hash(monkeypatch):
    """bucket_pairs sorts rows by a 64-bit hash of band and key; should two keys share a hash, the
    buckets still hold exactly the equal keys (forced here: every row hashes to 0)."""
    from dedupe import lsh

    rng = np.random.default_rng(3)
    sig = rng.integers(0, 4, size=(300, 128), dtype=np.uint32)  # few values: many shared bands
    exact = lsh.candidate_pairs([str(i) for i in range(300)], sig, threshold=0.5)
    monkeypatch.setattr(lsh, "_row_hashes", lambda table: np.zeros(len(table), dtype=np.uint64))
    assert exact and lsh.candidate_pairs([str(i) for i in range(300)], sig, threshold=0.5) == exact


def test_window_pairs_equal_the_pairs_of_every_window_pair():
    """Banding two windows together finds exactly the document pairs some window of one shares a band
    with some window of the other (the brute-force reading), never a document with itself."""
    from itertools import product

    from dedupe import lsh

    rng = np.random.default_rng(4)
    first = rng.integers(0, 3, size=(60, 128), dtype=np.uint32)
    later = np.where(rng.random((60, 1)) < 0.3, first, rng.integers(0, 3, size=(60, 128), dtype=np.uint32))
    bands, rows = lsh.band_shape(0.6, 128)

    def keys(sig: np.ndarray, i: int) -> set[tuple[int, ...]]:
        return {(b, *sig[i, b * rows : (b + 1) * rows].tolist()) for b in range(bands)}

    expected = sorted((i, j) for i, j in product(range(60), repeat=2) if i < j and any(
        keys(a, i) & keys(b, j) for a, b in product((first, later), repeat=2)))
    assert len(expected) > 20 and lsh.window_pairs([str(i) for i in range(60)], np.stack([first, later]), threshold=0.6) == expected
