"""The template pass split in two: per-document evidence (run anywhere, in any batches) and the
corpus-wide reduce give the frozenset :func:`find_template_lines` gives, and a run's output does
not depend on where the evidence was computed."""

from __future__ import annotations

import json
import multiprocessing

import pytest

from benchmarks import corpus
from dedupe.clean import find_template_lines
from dedupe.clean.recurring import line_evidence, templates_from
from dedupe.config import CleanConfig, Config
from dedupe.executor import PoolExecutor
from dedupe.pipeline import TEMPLATE_BATCH, run, template_pass
from dedupe.types import Document


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return [rec["text"] for rec in corpus.generate(3 * TEMPLATE_BATCH + 10, seed=3)]


def test_generated_corpus_has_templates(texts):
    assert len(find_template_lines(texts, 3)) > 10  # else the tests below prove nothing


@pytest.mark.parametrize("size", [1, 7, TEMPLATE_BATCH, 1000])
def test_evidence_in_any_batches_reduces_to_the_same_templates(texts, size):
    evidence = [ev for i in range(0, len(texts), size) for ev in line_evidence(texts[i : i + size])]
    assert templates_from(evidence, 3) == find_template_lines(texts, 3)


def test_templates_from_checks_min_docs():
    with pytest.raises(ValueError, match="min_docs must be at least 2"):
        templates_from([], min_docs=1)


def test_template_pass_in_a_pool_gives_the_in_process_templates(texts):
    docs = [Document(f"d{i}", text=t) for i, t in enumerate(texts)]
    config = CleanConfig()
    rest, here = template_pass(iter(docs), config)
    assert [d.id for d in rest] == [d.id for d in docs]
    with PoolExecutor(2) as pool:
        rest, pooled = template_pass(iter(docs), config, pool.imap)
        assert [d.id for d in rest] == [d.id for d in docs]  # every record replayed once, in order
    assert pooled == here == find_template_lines(texts, config.recurring_min_docs)


def test_template_pass_stops_at_the_byte_budget(texts):
    docs = [Document(f"d{i}", text=t) for i, t in enumerate(texts)]
    budget = sum(len(t) for t in texts[:TEMPLATE_BATCH + 5])
    _, templates = template_pass(iter(docs), CleanConfig(recurring_sample_bytes=budget), map)
    assert templates == find_template_lines(texts[: TEMPLATE_BATCH + 5], 3)


def test_run_output_is_the_same_for_one_and_two_workers(tmp_path, texts):
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps({"id": f"d{i:03d}", "text": t}) + "\n" for i, t in enumerate(texts)))
    outputs = {}
    for workers in (1, 2):
        out = tmp_path / f"out{workers}"
        result = run([path], out, Config(workers=workers, batch_size=32, progress=False))
        assert result.timings_s["templates"] >= 0
        outputs[workers] = [(out / name).read_bytes() for name in ("corpus.jsonl", "clusters.jsonl")]
    assert outputs[1] == outputs[2]


def test_a_failure_during_the_template_pass_stops_the_pool(texts):
    def records():
        yield from (Document(f"d{i}", text=t) for i, t in enumerate(texts[: 3 * TEMPLATE_BATCH]))
        raise RuntimeError("the input broke")

    with pytest.raises(RuntimeError, match="the input broke"):
        run(records(), None, Config(workers=2, progress=False))
    assert multiprocessing.active_children() == []
