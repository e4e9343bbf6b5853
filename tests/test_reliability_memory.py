"""Memory gates (issue 7): the pipeline streams.

Peak RSS of the real CLI (``benchmarks.memory.peak_rss``: the process tree,
sampled every 20 ms), compared between a small and a bigger input in the same
test, so the machine's baseline cancels out. The 1 GB figure is measured by
``python -m benchmarks.memory`` (see the README); these are the fast gates.
"""

from __future__ import annotations

import pytest

from benchmarks.data import write_synthetic_jsonl
from benchmarks.memory import MB, peak_rss


def _peak(tmp_path, mode: str, size: int, sentences: int = 30) -> tuple[float, int]:
    src = tmp_path / f"{mode}-{size}-{sentences}.jsonl"
    write_synthetic_jsonl(src, target_bytes=size, seed=4, doc_sentences=sentences)
    # The site-template search holds its sample (--template-sample records) by design; a sample smaller
    # than both inputs leaves what these gates measure: the stream itself must not grow with the input.
    res = peak_rss([mode, str(src), "--out", str(tmp_path / f"out-{mode}-{size}"), "-q", "--workers", "1",
                    "--template-sample", "20"])
    assert res.returncode == 0
    return res.peak_mb, src.stat().st_size


def test_clean_memory_does_not_grow_with_the_input(tmp_path):
    """8x the input, the same peak: rows are spilled and sorted from an (id, offset) index."""
    small_rss, small_size = _peak(tmp_path, "clean", 500_000)
    big_rss, big_size = _peak(tmp_path, "clean", 4_000_000)
    text_growth = (big_size - small_size) / MB
    assert big_rss - small_rss < 0.4 * text_growth, (small_rss, big_rss, text_growth)


@pytest.mark.slow
def test_dedup_memory_grows_with_documents_not_text(tmp_path):
    """The same ~500 documents, four times longer: the peak must not follow the text.

    (Enough documents that the signer's fixed-size chunk is full in both runs.)
    """
    short_rss, short_size = _peak(tmp_path, "dedup", 500 * 30 * 175, sentences=30)
    long_rss, long_size = _peak(tmp_path, "dedup", 500 * 120 * 175, sentences=120)
    text_growth = (long_size - short_size) / MB
    assert long_rss - short_rss < 0.4 * text_growth, (short_rss, long_rss, text_growth)


def test_template_search_holds_at_most_its_sample():
    """The head buffered for the site-template search is bounded by ``recurring_sample``."""
    from itertools import count

    from dedupe.config import CleanConfig
    from dedupe.pipeline import template_pass
    from dedupe.types import Document

    pulled = count()

    def endless():
        for i in pulled:
            yield Document(f"d{i}", text=f"Story {i}\nA paragraph about topic {i} with enough words.\nFollow us")

    rest, templates = template_pass(endless(), CleanConfig(recurring_sample=50))
    assert next(pulled) == 50  # read exactly the sample, nothing more
    assert templates == frozenset({"follow us"})
    assert [d.id for d, _ in zip(rest, range(3), strict=False)] == ["d0", "d1", "d2"]  # the head is replayed first


def test_template_search_sample_is_bounded_in_bytes_too():
    from dedupe.config import CleanConfig
    from dedupe.pipeline import template_pass
    from dedupe.types import Document

    docs = (Document(f"d{i}", text="word " * 2000) for i in range(1000))  # 10 kB each
    rest, _ = template_pass(docs, CleanConfig(recurring_sample=1000, recurring_sample_bytes=50_000))
    assert next(rest).id == "d0"
    assert next(docs).id == "d5"  # five documents reach 50 kB: the sample stopped there
