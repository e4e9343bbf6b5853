"""Guards against false matches, each on its own small case, through `dedupe run` as a user
would run it (clean, then dedup). Bodies are the scrapinghub sample in fixtures/ (MIT)."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks import syndicate
from dedupe import Config, Deduplicator, clean_text, run
from dedupe.readers import iter_records
from dedupe.types import CleanDoc, Document

from .conftest import SEEDS


@pytest.fixture(scope="module")
def stories() -> list[list[str]]:
    """Fixture bodies as paragraph lists, the longer ones first."""
    bodies = [syndicate.paragraphs(b) for _, b in syndicate.fixture_bodies()]
    return sorted(bodies, key=lambda ps: -sum(len(p.split()) for p in ps))


def _clusters(pages: dict[str, str], mode: str = "run") -> list[list[str]]:
    result = run([Document(k, text=v, origin=k) for k, v in pages.items()], mode=mode)  # type: ignore[arg-type]
    return sorted(sorted(m for m, _ in c.members) for c in result.dedup.clusters)


def _words(paras: list[str]) -> int:
    return sum(len(p.split()) for p in paras)


def test_pages_sharing_one_site_template_stay_apart(stories):
    rng = np.random.default_rng(1)
    site = syndicate.make_site(rng)
    full = {f"full{i}": syndicate.page(stories[20 + i], rng, site) for i in range(6)}
    assert _clusters(full) == []
    assert _clusters(full, mode="dedup") == []  # full-length stories: apart even without cleaning
    # short stories, where the template is a large share of each page
    short = {f"short{i}": syndicate.page([" ".join(" ".join(stories[30 + i]).split()[:70])], rng, site)
             for i in range(6)}
    assert _clusters(short) == []


def test_glued_related_story_does_not_tie_its_page_to_that_story(stories):
    rng = np.random.default_rng(2)
    x, y = stories[5], stories[6]
    sites = [syndicate.make_site(rng) for _ in range(4)]
    pages = {
        "x-original": syndicate.page(x, rng, sites[0]),
        "x-with-y-glued": syndicate.page(syndicate.syndicate_copy(x, rng), rng, sites[1],
                                         related=["Scientists say the results were a surprise", *y[:6]]),
        "y-original": syndicate.page(y, rng, sites[2]),
        "y-copy": syndicate.page(syndicate.syndicate_copy(y, rng), rng, sites[3]),
    }
    assert _clusters(pages) == [["x-original", "x-with-y-glued"], ["y-copy", "y-original"]]


def test_very_short_documents_do_not_match_long_ones(stories):
    rng = np.random.default_rng(3)
    sites = [syndicate.make_site(rng) for _ in range(3)]
    story = stories[8]
    lead = " ".join(" ".join(story).split()[:25])
    pages = {"story": syndicate.page(story, rng, sites[0]), "brief": syndicate.page([lead], rng, sites[1])}
    assert _clusters(pages) == []
    # the rule on plain texts: a lead inside its story, and a tiny item inside a short one
    words = " ".join(story).split()
    docs = [CleanDoc("story", " ".join(words)), CleanDoc("brief", " ".join(words[:25])),
            CleanDoc("tiny", " ".join(words[:15])), CleanDoc("short", " ".join(words[:45]))]
    dd = Deduplicator()
    by_ratio = dd.explain(docs[0], docs[1])
    assert by_ratio.scores.containment == 1.0 and not by_ratio.duplicate
    assert "of the larger" in by_ratio.verdict
    by_size = dd.explain(docs[2], docs[3])
    assert by_size.scores.containment == 1.0 and not by_size.duplicate
    assert "shingles (<" in by_size.verdict
    assert dd.fit(docs[1:2] + docs[0:1]).clusters == []


def test_follow_up_quoting_one_paragraph_is_not_a_copy(stories):
    rng = np.random.default_rng(4)
    sites = [syndicate.make_site(rng) for _ in range(2)]
    story, other = stories[10], stories[11]
    quote = " ".join(max(story, key=lambda p: len(p.split())).split()[:60])
    assert _words(other) >= 180
    follow = [*other[:2], f"As reported earlier: {quote}", *other[2:]]
    pages = {"story": syndicate.page(story, rng, sites[0]), "follow-up": syndicate.page(follow, rng, sites[1])}
    assert _clusters(pages) == []
    assert _clusters(pages, mode="dedup") == []


def test_same_topic_seeds_stay_apart():
    """Seeds 002, 003 and 004 are all about China's AI push: no pair of them merges."""
    records = [r for r in iter_records([SEEDS]) if r.id[:3] in ("002", "003", "004")]
    assert len(records) == 3
    for mode in ("run", "dedup"):
        assert run(records, mode=mode).dedup.clusters == [], mode


def test_seed_pair_found_from_raw_text_with_scores():
    """`dedupe run` on the raw seed files finds 000~001 and only that, with its scores and reason."""
    result = run([str(SEEDS)], config=Config())
    clusters = result.dedup.clusters
    assert [sorted(m for m, _ in c.members) for c in clusters] == [
        ["000_8fca9bbadf01635a.txt", "001_5199980eff0ac470.txt"]
    ]
    (member,) = [s for _, s in clusters[0].members if s is not None]
    assert member.jaccard > 0.9 and member.containment > 0.95 and 0.9 < member.fuzz <= 1.0
    assert clusters[0].reason


def test_explain_gives_scores_verdict_and_shared_passages():
    docs = {p.name: clean_text(p.read_text("utf-8"), doc_id=p.name) for p in SEEDS.glob("*.txt")}
    exp = Deduplicator().explain(docs["000_8fca9bbadf01635a.txt"], docs["001_5199980eff0ac470.txt"])
    assert exp.duplicate and exp.verdict.startswith("duplicate: jaccard")
    assert abs(exp.estimated_jaccard - exp.scores.jaccard) < 0.1
    assert exp.shared_passages and len(exp.shared_passages[0].split()) >= 50
    apart = Deduplicator().explain(docs["002_7e7d252046b7a13d.txt"], docs["003_1d04cc15b2c71ff3.txt"])
    assert not apart.duplicate and apart.verdict.startswith("not a duplicate")


def test_story_glued_after_another_is_not_its_pages_copy_even_uncleaned():
    """Without cleaning, page A = story X + story Y glued after it contains all of Y's copy B
    (containment 1.0, B 0.45 of A): the lead guard keeps them apart; a cut-short copy of X,
    which shares A's lead, still matches A."""
    x = [f"x{i}" for i in range(300)]
    y = [f"y{i}" for i in range(250)]
    page_a = CleanDoc("a", " ".join(x + y))
    copy_b = CleanDoc("b", " ".join(y))
    cut_x = CleanDoc("c", " ".join(["Updated", "today"] + x[:200]))
    dd = Deduplicator()
    exp = dd.explain(page_a, copy_b)
    assert exp.scores.containment == 1.0 and not exp.duplicate
    assert "not its lead" in exp.verdict
    assert dd.explain(page_a, cut_x).duplicate
    result = dd.fit([page_a, copy_b, cut_x])
    assert [sorted(m for m, _ in c.members) for c in result.clusters] == [["a", "c"]]
