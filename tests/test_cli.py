"""The CLI contract: exit codes, input kinds, counts that reconcile, errors naming file and line."""

from __future__ import annotations

import gzip
import json

from .conftest import SEEDS, read_jsonl, run_cli

STORY = (
    "The city council voted on Tuesday to expand the tram network by twelve kilometres, "
    "a plan that officials said would cost 400 million euros and take six years to finish. "
)


def _stats(out):
    return json.loads((out / "stats.json").read_text())


def test_missing_input_is_usage_error(tmp_path):
    proc = run_cli("run", str(tmp_path / "nope"), "--out", str(tmp_path / "o"))
    assert proc.returncode == 2
    assert "nope" in proc.stderr and "no such file" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "o" / "corpus.jsonl").exists()


def test_bad_option_value_is_usage_error(tmp_path):
    proc = run_cli("run", "seeds", "--out", str(tmp_path), "--jaccard", "1.5")
    assert proc.returncode == 2
    assert "jaccard_threshold must be between 0 and 1" in proc.stderr


def test_jsonl_with_bad_lines_exits_1_and_reconciles(tmp_path):
    src = tmp_path / "in.jsonl"
    rows = [
        json.dumps({"id": "a", "text": STORY * 3}),
        "{not json",
        json.dumps({"id": "b", "text": "Breaking news\n" + STORY * 3}),
        json.dumps({"id": "c", "body": "no text field"}),
        json.dumps({"id": "a", "text": "duplicate id " * 20}),
        json.dumps({"id": "d", "text": 42}),
    ]
    src.write_text("\n".join(rows) + "\n")
    out = tmp_path / "out"
    proc = run_cli("run", str(src), "--out", str(out), "--quiet")
    assert proc.returncode == 1, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("rejected")]
    assert len(lines) == 4
    assert f"{src}:2: not valid JSON" in proc.stderr
    assert f"{src}:4:" in proc.stderr and f"{src}:5: duplicate id 'a'" in proc.stderr
    stats = _stats(out)
    d = stats["documents"]
    assert d["read"] == 6 and d["rejected"] == 4
    assert d["read"] == d["kept"] + d["duplicates"] + d["rejected"]
    assert [e["line"] for e in stats["errors"]] == [2, 4, 5, 6]
    assert [r["id"] for r in read_jsonl(out / "corpus.jsonl")] == ["b"] or d["kept"] == 1


def test_jsonl_gz_and_custom_fields(tmp_path):
    src = tmp_path / "in.jsonl.gz"
    with gzip.open(src, "wt") as fh:
        fh.write(json.dumps({"doc": "x1", "body": STORY * 2, "headline": "Trams"}) + "\n")
        fh.write(json.dumps({"doc": "x2", "body": STORY * 2 + "More tram news follows here."}) + "\n")
    out = tmp_path / "out"
    proc = run_cli("dedup", str(src), "--out", str(out), "--id-field", "doc", "--text-field", "body", "-q")
    assert proc.returncode == 0, proc.stderr
    corpus = read_jsonl(out / "corpus.jsonl")
    assert len(corpus) == 1 and corpus[0]["duplicates"]


def test_stdin_jsonl(tmp_path):
    data = "\n".join(json.dumps({"id": f"s{i}", "text": STORY + f" Item {i} " * 30}) for i in range(3))
    out = tmp_path / "out"
    proc = run_cli("clean", "-", "--out", str(out), "-q", stdin=data)
    assert proc.returncode == 0, proc.stderr
    corpus = read_jsonl(out / "corpus.jsonl")
    assert [r["id"] for r in corpus] == ["s0", "s1", "s2"]
    assert all("removed" in r for r in corpus)


def test_html_input_and_clean_lists_reasons(tmp_path):
    page = (
        "<html><head><title>Trams expand | City Paper</title></head><body>"
        "<nav><a href='/'>Home</a><a href='/news'>News</a></nav>"
        f"<article><h1>Trams expand</h1><p>{STORY}</p><p>{STORY}</p>"
        "<div class='newsletter-box'>Get our newsletter in your inbox. Sign Up</div></article>"
        "<footer>Copyright 2025 City Paper</footer></body></html>"
    )
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "page.html").write_text(page)
    out = tmp_path / "out"
    proc = run_cli("clean", str(tmp_path / "in"), "--out", str(out), "-q")
    assert proc.returncode == 0, proc.stderr
    (row,) = read_jsonl(out / "corpus.jsonl")
    assert row["id"] == "page.html" and row["title"] == "Trams expand"
    assert "newsletter" not in row["text"] and "Copyright" not in row["text"]
    reasons = {r["reason"] for r in row["removed"]}
    assert {"newsletter", "chrome"} <= reasons


def test_keep_reason_option(tmp_path):
    out = tmp_path / "out"
    proc = run_cli("clean", str(SEEDS / "000_8fca9bbadf01635a.txt"), "--out", str(out), "-q", "--keep", "caption")
    assert proc.returncode == 0, proc.stderr
    (row,) = read_jsonl(out / "corpus.jsonl")
    assert "Remote-controlled robots boxing" in row["text"]
    bad = run_cli("clean", "seeds", "--out", str(out), "--keep", "everything")
    assert bad.returncode == 2 and "unknown reason" in bad.stderr


def test_explain_seeds_pair():
    proc = run_cli("explain", "seeds/000_8fca9bbadf01635a.txt", "seeds/001_5199980eff0ac470.txt", "--json")
    assert proc.returncode == 0, proc.stderr
    exp = json.loads(proc.stdout)
    assert exp["duplicate"] is True and exp["containment"] > 0.95
    assert exp["shared_passages"]
    raw = json.loads(run_cli("explain", "seeds/000_8fca9bbadf01635a.txt", "seeds/001_5199980eff0ac470.txt",
                             "--json", "--raw").stdout)
    assert raw["jaccard"] < 0.5 and raw["containment"] > 0.95
    apart = json.loads(run_cli("explain", "seeds/002_7e7d252046b7a13d.txt", "seeds/003_1d04cc15b2c71ff3.txt",
                               "--json").stdout)
    assert apart["duplicate"] is False


def test_clean_why_names_the_line_rule_and_reason(tmp_path):
    proc = run_cli("clean", "seeds", "--out", str(tmp_path / "o"), "-q", "--why", "Remove Ads")
    assert proc.returncode == 0, proc.stderr
    lines = [line for line in proc.stdout.splitlines() if line.startswith("seeds/")]
    assert len(lines) == 2  # seed 000's line 58 carries the ad twice
    assert all("000_8fca9bbadf01635a.txt line 58: removed as ad (inline_ad:" in line for line in lines)


def test_why_with_keep_says_the_line_was_kept(tmp_path):
    proc = run_cli("clean", "seeds", "--out", str(tmp_path / "o"), "-q", "--why", "Related Articles",
                   "--keep", "related")
    assert proc.returncode == 0, proc.stderr
    assert "kept although related (--keep related)" in proc.stdout


def test_why_is_refused_where_nothing_is_cleaned(tmp_path):
    proc = run_cli("dedup", "seeds", "--out", str(tmp_path / "o"), "--why", "Remove Ads")
    assert proc.returncode == 2 and "use `dedupe clean --why`" in proc.stderr
    assert not (tmp_path / "o").exists()


def test_max_lead_offset_is_validated_like_every_option(tmp_path):
    proc = run_cli("run", "seeds", "--out", str(tmp_path / "o"), "--max-lead-offset", "1.5")
    assert proc.returncode == 2
    assert "max_lead_offset must be between 0 and 1 (got 1.5)" in proc.stderr
