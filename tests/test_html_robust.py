"""Pages that are not articles get a status and a clear message: never a crash, never a hang.

The nasty inputs are generated here (nothing large is committed).
"""

from __future__ import annotations

import time

import pytest

from dedupe.clean.html import MAX_NESTING, clean_html
from dedupe.errors import NestingError
from tests.conftest import read_jsonl, run_cli

PARA = "<p>" + "The council met on Tuesday and agreed a new budget for the coming year, officials said. " * 4 + "</p>"


def _timed(html: str, budget_s: float):
    t0 = time.perf_counter()
    doc = clean_html(html)
    assert time.perf_counter() - t0 < budget_s
    return doc


@pytest.mark.parametrize("html", ["", "   \n\t ", "\n"])
def test_empty_page_is_reported(html):
    doc = clean_html(html)
    assert doc.text == "" and doc.warnings == ["empty page"]


def test_binary_data_is_reported():
    doc = clean_html("\x00\x01\x02PNG\x1a\x00\xff\xfe" * 500)
    assert doc.text == ""
    assert doc.warnings and doc.warnings[0].startswith("binary data, not HTML")


def test_index_page_has_no_article_and_says_why():
    links = "".join(f"<li><a href='/story/{i}'>Story number {i}: a headline about the day</a></li>" for i in range(300))
    doc = clean_html(f"<html><head><title>News index</title></head><body><ul>{links}</ul></body></html>")
    assert doc.text == ""
    assert "no article text found" in doc.warnings[-1] and "index or navigation page" in doc.warnings[-1]


def test_page_without_body_text():
    doc = clean_html("<html><head><title>Only a head</title></head></html>")
    assert doc.text == "" and doc.title == "Only a head"


def test_markup_nested_100000_deep_is_refused_fast():
    deep = "<div>" * 100_000 + "deep text that would be a paragraph of the article." + "</div>" * 100_000
    t0 = time.perf_counter()
    with pytest.raises(NestingError, match="nested 100000 deep"):
        clean_html(deep)
    assert time.perf_counter() - t0 < 5
    with pytest.raises(RecursionError):  # what the pipeline turns into a rejected record
        clean_html("<b><i>" * 50_000 + "never closed")


def test_nesting_below_the_limit_is_parsed_without_recursion():
    depth = MAX_NESTING - 10
    html = "<div>" * depth + PARA + "</div>" * depth
    doc = _timed(html, 10)
    assert doc.text.startswith("The council met on Tuesday")


def test_ten_megabyte_page_is_cleaned_in_bounded_time():
    copies = 10_000_000 // len(PARA) + 1
    html = "<html><body><article>" + PARA * copies + "</article></body></html>"
    assert len(html) >= 10_000_000
    doc = _timed(html, 60)
    assert doc.text.count("The council met") == copies * 4


def test_wrong_or_missing_charset_still_reads_text(tmp_path):
    """A page declaring UTF-8 but stored as cp1252, and one with no charset, go through the reader."""
    body = "<p>" + "Le café était fermé, a déclaré le maire lundi, et la ville a attendu la réouverture. " * 3 + "</p>"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "wrong.html").write_bytes(
        f"<html><head><meta charset='utf-8'><title>Café fermé à Lyon</title></head><body>{body}</body></html>".encode("cp1252")
    )
    (tmp_path / "in" / "none.html").write_bytes(
        f"<html><head><title>Le café rouvre</title></head><body>{body}</body></html>".encode("latin-1")
    )
    out = tmp_path / "out"
    proc = run_cli("clean", str(tmp_path / "in"), "--out", str(out), "-q")
    assert proc.returncode == 0, proc.stderr
    rows = {r["id"]: r for r in read_jsonl(out / "corpus.jsonl")}
    assert set(rows) == {"wrong.html", "none.html"}
    for row in rows.values():
        assert "Le café était fermé" in row["text"]


def test_pipeline_rejects_bad_pages_with_a_status_and_keeps_going(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.html").write_text(f"<html><body><article>{PARA}{PARA}</article></body></html>")
    (tmp_path / "in" / "deep.html").write_text("<div>" * 100_000 + "x" + "</div>" * 100_000)
    (tmp_path / "in" / "empty.html").write_text("")
    (tmp_path / "in" / "binary.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    out = tmp_path / "out"
    proc = run_cli("clean", str(tmp_path / "in"), "--out", str(out), "-q")
    assert proc.returncode == 1
    assert "deep.html" in proc.stderr and "nested too deeply" in proc.stderr
    assert "empty.html" in proc.stderr and "binary.html" in proc.stderr
    assert [r["id"] for r in read_jsonl(out / "corpus.jsonl")] == ["good.html"]
