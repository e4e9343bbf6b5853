"""Quality gate of the text cleaner on a held-out junk-injected set (trafilatura's eval_gate is the model).

The set is generated at test time from the committed scrapinghub sample
(fixtures/clean/scrapinghub_sample.jsonl, MIT) with the GATE split and seed;
the classifier was tuned on the TUNE split and seed only. Floors are pinned
a little under the measured scores (keep-F1 0.994, text F1 0.998, every
reason's drop recall 1.0 except chrome 0.97 when pinned), so a regression
fails; the issue's own floors are keep-F1 >= 0.98 and text F1 >= 0.97.
"""

from __future__ import annotations

import pytest

from benchmarks import junk
from benchmarks.clean_eval import score_dedupe
from benchmarks.metrics import corpus_prf

KEEP_F1_FLOOR = 0.99
KEEP_PRECISION_FLOOR = 0.995
TEXT_F1_FLOOR = 0.995
#: Per reason: share of truly-junk blocks removed (any reason). Small classes get room for one miss.
DROP_RECALL_FLOORS = {
    "ad": 0.97,
    "app_promo": 0.97,
    "caption": 0.9,
    "chrome": 0.93,
    "cms_footer": 0.9,
    "comments": 0.93,
    "directory": 0.98,
    "dup_title": 0.85,
    "metadata": 0.97,
    "newsletter": 0.97,
    "related": 0.98,
    "share": 0.95,
}
#: Per reason: of blocks removed *as* this reason, the share truly of it (labels are for the user).
REASON_PRECISION_FLOORS = {"ad": 0.97, "app_promo": 0.97, "metadata": 0.95, "newsletter": 0.97, "related": 0.97}


@pytest.fixture(scope="module")
def gate_docs():
    return junk.generated_set(junk.GATE)


@pytest.fixture(scope="module")
def gate_score(gate_docs):
    return score_dedupe(gate_docs)


def test_gate_set_is_held_out_and_hard(gate_docs):
    sample = junk.load_sample()
    tune_ids = {a.id for a in junk.split(sample, junk.TUNE[0])}
    gate_ids = {a.id for a in junk.split(sample, junk.GATE[0])}
    assert not tune_ids & gate_ids and junk.TUNE[1] != junk.GATE[1]
    assert {d.id for d in gate_docs} == gate_ids
    # Doing nothing must fail the gate by a wide margin (the issue measured 0.81).
    raw = corpus_prf((d.text, d.body) for d in gate_docs)[2]
    assert raw < 0.88, raw
    reasons = {b.label for d in gate_docs for b in d.blocks}
    assert set(DROP_RECALL_FLOORS) <= reasons


def test_keep_f1_and_text_f1_floors(gate_score):
    s = gate_score
    wrong = s.errors[:10]
    assert s.keep_f1 >= KEEP_F1_FLOOR, (s.keep_f1, wrong)
    assert s.keep_precision >= KEEP_PRECISION_FLOOR, (s.keep_precision, wrong)
    assert s.text_f1 >= TEXT_F1_FLOOR, (s.text_f1, wrong)


@pytest.mark.parametrize("reason", sorted(DROP_RECALL_FLOORS))
def test_per_reason_drop_recall(gate_score, reason):
    got = gate_score.reasons[reason]
    assert got.recall >= DROP_RECALL_FLOORS[reason], (reason, got)


@pytest.mark.parametrize("reason", sorted(REASON_PRECISION_FLOORS))
def test_per_reason_precision(gate_score, reason):
    got = gate_score.reasons[reason]
    assert got.precision >= REASON_PRECISION_FLOORS[reason], (reason, got)


def test_generator_is_seeded():
    sample = junk.split(junk.load_sample(), "odd")[:6]
    a, b = junk.generate(sample, seed=5), junk.generate(sample, seed=5)
    assert [d.blocks for d in a] == [d.blocks for d in b]
    c = junk.generate(sample, seed=6)
    assert [d.blocks for d in a] != [d.blocks for d in c]
    for doc in a:
        # The true body is the article's real paragraphs, in order, with inline junk cut out.
        article = next(x for x in sample if x.id == doc.id)
        assert corpus_prf([(doc.body, "\n".join(article.paragraphs))])[2] > 0.99
