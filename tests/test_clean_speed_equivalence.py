"""Equivalence pin of the cleaner's full output: speed work must not change a single decision.

For every document of several sets the cleaner's whole result (kept text,
title, date, author, every removed block or fragment with its reason and
rule, every block's label and rule) is hashed; the hashes are pinned in
``fixtures/clean/clean_outputs.json``. The sets:

- the five seeds, plain and with a title hint;
- the junk-injected GATE and TUNE sets (:func:`benchmarks.junk.generated_set`);
- the same GATE documents *perturbed* (upper / lower case, odd whitespace,
  glued lines, cut lines: inputs a literal prefilter could get wrong);
- a few hundred documents of the throughput corpus (:mod:`benchmarks.corpus`),
  with their title hints and the corpus-wide site templates, as ``dedupe run``
  cleans them;
- the fixtures' HTML pages (:func:`dedupe.clean.clean_html`).

A deliberate rule change regenerates the pin::

    python -m tests.test_clean_speed_equivalence --update

and the commit says why. Any other change that moves a hash is a bug.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import sys
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

import pytest

from dedupe.clean import clean_html, clean_text, find_template_lines
from dedupe.types import CleanDoc

ROOT = Path(__file__).resolve().parent.parent
PIN = ROOT / "fixtures" / "clean" / "clean_outputs.json"
#: Documents of the generated throughput corpus in the pin (seed 0, as the benchmark uses).
CORPUS_DOCS = 300


def digest(doc: CleanDoc) -> str:
    """A short hash of everything the cleaner decided about one document."""
    payload = {
        "text": doc.text,
        "title": doc.title,
        "date": doc.date,
        "author": doc.author,
        "removed": [[r.text, r.reason, r.rule] for r in doc.removed],
        "blocks": [[b.index, b.text, b.label, b.rule] for b in doc.blocks],
    }
    raw = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.blake2b(raw, digest_size=8).hexdigest()


def _perturb(text: str, rng: random.Random) -> str:
    """One seeded variant of a document: case, whitespace and line-boundary changes."""
    lines = text.splitlines()
    out = []
    for line in lines:
        r = rng.random()
        if r < 0.1:
            line = line.upper()
        elif r < 0.2:
            line = line.lower()
        elif r < 0.3:
            line = line.title()
        elif r < 0.4:
            line = line.replace(" ", "\u00a0", 2).replace(" ", "  ", 1)
        elif r < 0.45:
            line = "\t " + line + " \t"
        elif r < 0.5:
            line = line[: max(1, len(line) // 2)]
        if out and rng.random() < 0.05:
            out[-1] = out[-1] + rng.choice(("", " ", ".")) + line  # two lines glued
        else:
            out.append(line)
    return "\n".join(out)


@cache
def _seed_texts() -> list[tuple[str, str]]:
    return [(p.name, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "seeds").glob("*.txt"))]


def _sets() -> dict[str, Callable[[], Iterator[tuple[str, CleanDoc]]]]:
    from benchmarks import corpus, data, junk

    def seeds() -> Iterator[tuple[str, CleanDoc]]:
        for name, text in _seed_texts():
            yield name, clean_text(text, doc_id=name)
            first = next(line for line in text.splitlines() if line.strip())
            yield f"{name}#title", clean_text(text, doc_id=name, title=first)

    def generated(which: tuple[str, int]) -> Callable[[], Iterator[tuple[str, CleanDoc]]]:
        def run() -> Iterator[tuple[str, CleanDoc]]:
            for d in junk.generated_set(which):
                yield d.id, clean_text(d.text, doc_id=d.id)
        return run

    def perturbed() -> Iterator[tuple[str, CleanDoc]]:
        rng = random.Random(3)
        for d in junk.generated_set(junk.GATE):
            for k in range(3):
                yield f"{d.id}~{k}", clean_text(_perturb(d.text, rng), doc_id=d.id)

    def throughput() -> Iterator[tuple[str, CleanDoc]]:
        if not data.available():  # the corpus is built from the shared data when it is there
            pytest.skip("the throughput corpus is pinned as built from ../shared/data, which is missing")
        records = list(corpus.generate(CORPUS_DOCS, seed=0))
        templates = find_template_lines([r["text"] for r in records], 3)
        for r in records:
            yield r["id"], clean_text(r["text"], doc_id=r["id"], title=r["title"], templates=templates)
            yield f"{r['id']}#plain", clean_text(r["text"], doc_id=r["id"])

    def html_pages() -> Iterator[tuple[str, CleanDoc]]:
        for p in sorted((ROOT / "fixtures" / "html").glob("*.html.gz")):
            yield p.name, clean_html(gzip.decompress(p.read_bytes()).decode("utf-8", "replace"), doc_id=p.name)

    return {
        "seeds": seeds,
        "gate": generated(junk.GATE),
        "tune": generated(junk.TUNE),
        "gate_perturbed": perturbed,
        "throughput_corpus": throughput,
        "html_fixtures": html_pages,
    }


def hashes(name: str) -> dict[str, str]:
    """One set's per-document output hashes."""
    out: dict[str, str] = {}
    for key, doc in _sets()[name]():
        assert key not in out, f"document key {key!r} occurs twice in set {name!r}"
        out[key] = digest(doc)
    return out


@cache
def _pinned() -> dict[str, dict[str, str]]:
    if not PIN.exists():
        pytest.fail(f"{PIN} is missing: run `python -m tests.test_clean_speed_equivalence --update`")
    return json.loads(PIN.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", list(_sets()))
def test_cleaner_output_is_pinned(name: str) -> None:
    pinned = _pinned()[name]
    got = hashes(name)
    changed = sorted(k for k in pinned.keys() | got.keys() if pinned.get(k) != got.get(k))
    assert not changed, (
        f"{len(changed)} of {len(pinned)} documents of '{name}' clean differently than pinned "
        f"(first: {changed[:5]}). A speed change must not change output; for a deliberate rule "
        "change run `python -m tests.test_clean_speed_equivalence --update` and say so in the commit."
    )


def test_pin_covers_enough_documents() -> None:
    sizes = {name: len(hashes) for name, hashes in _pinned().items()}
    assert sizes.get("throughput_corpus") == 2 * CORPUS_DOCS
    assert sum(sizes.values()) >= 800, sizes


def main(argv: list[str]) -> int:
    if argv != ["--update"]:
        print("usage: python -m tests.test_clean_speed_equivalence --update", file=sys.stderr)
        return 2
    out = {}
    for name in _sets():
        try:
            out[name] = hashes(name)
        except pytest.skip.Exception as skipped:
            print(f"not pinned: {name} ({skipped})", file=sys.stderr)
    PIN.write_text(json.dumps(out, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {PIN}: " + ", ".join(f"{k} {len(v)}" for k, v in out.items()))
    return 0


if __name__ == "__main__":  # pragma: no cover - maintainer command
    sys.exit(main(sys.argv[1:]))
