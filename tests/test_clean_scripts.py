"""The text cleaner on real articles in caseless and unspaced scripts: Chinese, Japanese, Arabic, Russian.

The articles (fixtures/clean/scripts_sample.jsonl, Apache-2.0, built by
fixtures/make_scripts_sample.py) are real: Readability test pages (zh, ja)
and trafilatura evaluation pages (ar, ru). Shape rules that assume letter
case or spaces between words must not cut their paragraphs.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.fuzz_cleaners import LINES
from dedupe.clean import clean_text

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "clean" / "scripts_sample.jsonl"
ARTICLES = {r["id"]: r for r in map(json.loads, SAMPLE.read_text(encoding="utf-8").splitlines())}
JUNK = ["Share this article", "Advertisement", "Sign up for our newsletter", "Sign Up"]


def _text(article: dict, *after: str) -> str:
    return "\n".join([article["title"], *article["paragraphs"], *after])


@pytest.mark.parametrize("art_id", sorted(ARTICLES))
def test_every_paragraph_is_kept(art_id):
    art = ARTICLES[art_id]
    doc = clean_text(_text(art))
    assert doc.title == art["title"]
    assert doc.text.splitlines() == art["paragraphs"], [(b.label, b.rule, b.text[:40]) for b in doc.blocks]


@pytest.mark.parametrize("art_id", sorted(ARTICLES))
def test_junk_around_other_scripts_goes_and_the_article_stays(art_id):
    art = ARTICLES[art_id]
    paras = art["paragraphs"]
    text = "\n".join([art["title"], paras[0], JUNK[1], *paras[1:], *JUNK[::2], JUNK[3]])
    doc = clean_text(text)
    assert doc.text.splitlines() == paras
    assert {r.text for r in doc.removed} >= set(JUNK)


def test_a_chinese_story_glued_after_a_chinese_article_is_related():
    article, other = ARTICLES["readability-gmw"], ARTICLES["readability-youth"]
    headline = other["title"].split("_")[0]
    story = [headline, *[p for p in other["paragraphs"] if len(p) > 60][1:4]]
    doc = clean_text(_text({**article, "paragraphs": article["paragraphs"][:12]}, JUNK[0], *story))
    assert doc.text.splitlines() == article["paragraphs"][:12]
    assert [r.text for r in doc.removed if r.reason == "related"] == story


def test_a_japanese_article_is_not_glued_to_itself():
    # Its paragraphs share words ("フリーWi-Fi") that no 4-letter "word" of a space-split scan would find.
    art = ARTICLES["readability-yahoo-4"]
    assert not [b for b in clean_text(_text(art)).blocks if b.label == "related"]


@pytest.mark.parametrize("art_id", sorted(ARTICLES))
def test_cleaning_other_scripts_is_idempotent(art_id):
    first = clean_text(_text(ARTICLES[art_id], *JUNK))
    assert clean_text(first.text, title=first.title).text == first.text


_LINES = sorted({line for art in ARTICLES.values() for line in [art["title"], *art["paragraphs"]]})


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.lists(st.one_of(st.sampled_from(_LINES), st.sampled_from(LINES), st.sampled_from(JUNK)), max_size=30))
def test_mixed_scripts_and_junk_clean_idempotently(lines):
    first = clean_text("\n".join(lines))
    assert clean_text(first.text, title=first.title).text == first.text
