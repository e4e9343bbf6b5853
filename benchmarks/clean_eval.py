"""Scoring a cleaner on labelled blocks: keep-F1, per-reason block P/R, word-4-gram text F1.

One definition shared by the test gate (tests/test_clean_gate.py) and the
benchmark suite (benchmarks/clean_quality.py). Text F1 is
:func:`benchmarks.metrics.corpus_prf` (scrapinghub style).

``python -m benchmarks.clean_eval [gate|tune] [N]`` prints our cleaner's
per-reason table, the confusion table (true label x predicted label) and up
to N wrong blocks per confused pair.

>>> from benchmarks.junk import GenBlock, GenDoc
>>> d = GenDoc("x", "T", [GenBlock("T", "metadata"), GenBlock("Real words of the story here.", "keep"),
...                       GenBlock("Sign Up", "newsletter")])
>>> s = score([d], [["metadata", "keep", "newsletter"]], ["Real words of the story here."])
>>> s.keep_f1, s.text_f1, s.reasons["newsletter"].recall
(1.0, 1.0, 1.0)
>>> print(confusion_text(s))
true \\ got     keep  newsl  metad
keep              1      .      .
newsletter        .      1      .
metadata          .      .      1
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from dedupe.types import KEEP, REASONS

from .junk import GenDoc
from .metrics import corpus_prf


@dataclass
class ReasonScore:
    """Block counts for one true reason: ``dropped`` = removed for any reason, ``exact`` = this reason."""

    true: int = 0
    predicted: int = 0
    exact: int = 0
    dropped: int = 0

    @property
    def precision(self) -> float:
        """Of blocks labelled this reason, the share whose true reason it is."""
        return self.exact / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        """Of blocks truly of this reason, the share removed (any reason)."""
        return self.dropped / self.true if self.true else 1.0

    @property
    def reason_recall(self) -> float:
        """Of blocks truly of this reason, the share removed with exactly this reason."""
        return self.exact / self.true if self.true else 1.0


@dataclass
class Score:
    """Scores of one cleaner over a set of labelled documents."""

    keep_precision: float
    keep_recall: float
    keep_f1: float
    text_precision: float
    text_recall: float
    text_f1: float
    reasons: dict[str, ReasonScore] = field(default_factory=dict)
    errors: list[tuple[str, int, str, str, str]] = field(default_factory=list)
    """(doc id, block index, true label, predicted label, text) of every wrong keep/drop decision."""
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    """Blocks per (true label, predicted label)."""
    mislabelled: list[tuple[str, int, str, str, str]] = field(default_factory=list)
    """Like ``errors``, for every block whose predicted label is not its true label."""


def score(docs: Sequence[GenDoc], predicted: Sequence[Sequence[str]] | None, texts: Sequence[str]) -> Score:
    """Score predicted block labels (``None`` when a tool gives only text) and cleaned texts."""
    tp = fp = fn = 0
    reasons: dict[str, ReasonScore] = {}
    errors = []
    confusion: Counter[tuple[str, str]] = Counter()
    mislabelled = []
    for d, doc in enumerate(docs):
        if predicted is None:
            continue
        labels = predicted[d]
        if len(labels) != len(doc.blocks):
            raise ValueError(f"{doc.id}: {len(labels)} predicted labels for {len(doc.blocks)} blocks")
        for i, (block, got) in enumerate(zip(doc.blocks, labels, strict=True)):
            want = block.label
            if want == KEEP and got == KEEP:
                tp += 1
            elif got == KEEP:
                fp += 1
            elif want == KEEP:
                fn += 1
            confusion[want, got] += 1
            if want != got:
                mislabelled.append((doc.id, i, want, got, block.text[:100]))
            if (want == KEEP) != (got == KEEP):
                errors.append((doc.id, i, want, got, block.text[:100]))
            if want != KEEP:
                r = reasons.setdefault(want, ReasonScore())
                r.true += 1
                r.dropped += got != KEEP
                r.exact += got == want
            if got != KEEP:
                reasons.setdefault(got, ReasonScore()).predicted += 1
    kp = tp / (tp + fp) if tp + fp else 1.0
    kr = tp / (tp + fn) if tp + fn else 1.0
    kf = 2 * kp * kr / (kp + kr) if kp + kr else 0.0
    tp_, tr_, tf_ = corpus_prf(zip(texts, (doc.body for doc in docs), strict=True))
    return Score(kp, kr, kf, tp_, tr_, tf_, dict(sorted(reasons.items())), errors, confusion, mislabelled)


def confusion_labels(s: Score) -> list[str]:
    """``keep`` then the reasons (in :data:`dedupe.types.REASONS` order) that occur in the confusion table."""
    seen = {label for pair in s.confusion for label in pair}
    return [label for label in (KEEP, *REASONS) if label in seen] + sorted(seen - {KEEP, *REASONS})


def confusion_text(s: Score) -> str:
    """The confusion table as text: one row per true label, one column per predicted label ("." for 0)."""
    labels = confusion_labels(s)
    lines = ["true \\ got  " + "".join(f"{label[:5]:>7}" for label in labels)]
    for want in labels:
        cells = "".join(f"{s.confusion[want, got] or '.':>7}" for got in labels)
        lines.append(f"{want[:11]:<12}{cells}")
    return "\n".join(lines)


def reason_text(s: Score) -> str:
    """Per reason: true and predicted blocks, precision, exact-reason recall and drop recall."""
    lines = ["reason       true  pred  precision  reason-recall  drop-recall"]
    for r, v in s.reasons.items():
        lines.append(
            f"{r:<12}{v.true:>5}{v.predicted:>6}{v.precision:>11.3f}{v.reason_recall:>15.3f}{v.recall:>13.3f}"
        )
    return "\n".join(lines)


def dedupe_labels(doc: GenDoc, config: object | None = None) -> tuple[list[str], str]:
    """Our cleaner on one generated document: a label per block and the cleaned text."""
    from dedupe.clean import clean_text

    out = clean_text(doc.text, doc_id=doc.id, config=config)  # type: ignore[arg-type]
    by_line = {b.index: b.label for b in out.blocks}
    return [by_line.get(i, KEEP) for i in range(len(doc.blocks))], out.text


def score_dedupe(docs: Sequence[GenDoc]) -> Score:
    """Run our cleaner over ``docs`` and score it."""
    runs = [dedupe_labels(d) for d in docs]
    return score(docs, [r[0] for r in runs], [r[1] for r in runs])


def main(argv: Sequence[str]) -> None:
    """Print our cleaner's scores on the GATE (default) or TUNE set, with its confusions."""
    import argparse

    from . import junk

    parser = argparse.ArgumentParser(prog="python -m benchmarks.clean_eval", description=main.__doc__)
    parser.add_argument("set", nargs="?", choices=("gate", "tune"), default="gate",
                        help="the generated set to score: gate (held out, default) or tune")
    parser.add_argument("show", nargs="?", type=int, default=3, help="mislabelled blocks shown per confusion")
    args = parser.parse_args(argv)
    which = junk.TUNE if args.set == "tune" else junk.GATE
    show = args.show
    s = score_dedupe(junk.generated_set(which))
    print(f"set {which}: keep P {s.keep_precision:.4f} R {s.keep_recall:.4f} F1 {s.keep_f1:.4f}; "
          f"text P {s.text_precision:.4f} R {s.text_recall:.4f} F1 {s.text_f1:.4f}\n")
    print(reason_text(s), "\n")
    print(confusion_text(s), "\n")
    by_pair: dict[tuple[str, str], list[tuple[str, int, str, str, str]]] = {}
    for m in s.mislabelled:
        by_pair.setdefault((m[2], m[3]), []).append(m)
    for (want, got), rows in sorted(by_pair.items()):
        print(f"{want} -> {got}: {len(rows)}")
        for doc_id, i, _, _, text in rows[:show]:
            print(f"    {doc_id[:10]} block {i}: {text}")


if __name__ == "__main__":  # pragma: no cover - maintainer command
    main(sys.argv[1:])
