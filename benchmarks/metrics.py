"""Quality metrics shared by the suites (one definition each).

>>> round(ngram_prf("a b c d e", "a b c d e f")[2], 3)
0.8
>>> pairwise_prf([["a", "b"], ["c"]], [["a", "b", "c"]])
(1.0, 0.3333333333333333, 0.5)
>>> round(adjusted_rand([["a", "b"], ["c", "d"]], [["a", "b"], ["c", "d"]]), 3)
1.0
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

import regex

_WORD = regex.compile(r"\w+")


def canonical(text: str) -> str:
    """``text`` in Unicode NFC, so canonically equivalent spellings compare equal: a gold written with
    combining accents ("e\u0301") matches an output with precomposed ones ("é"), whichever side a tool keeps.

    >>> canonical("Cafe\u0301") == "Café"
    True
    """
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def ngrams(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """Multiset of word ``n``-grams (``\\w+`` tokens, as the scrapinghub benchmark scores).

    A text shorter than ``n`` words counts as one n-gram of all its words.
    """
    words = _WORD.findall(canonical(text))
    if not words:
        return Counter()
    if len(words) < n:
        return Counter([tuple(words)])
    return Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def _prf(tp: float, predicted: float, expected: float, *, empty_side: float) -> tuple[float, float, float]:
    """Precision, recall and F1 from the true positives and the two totals; both totals 0 is a perfect
    score, and a side with nothing scores ``empty_side``."""
    if not predicted and not expected:
        return 1.0, 1.0, 1.0
    prec = tp / predicted if predicted else empty_side
    rec = tp / expected if expected else empty_side
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def ngram_prf(pred: str, gold: str, n: int = 4) -> tuple[float, float, float]:
    """Precision, recall and F1 of one prediction against its gold text (word n-gram multisets).

    Both empty is a perfect score; one empty scores 0 on the side it lacks.
    """
    p, g = ngrams(pred, n), ngrams(gold, n)
    return _prf(sum((p & g).values()), sum(p.values()), sum(g.values()), empty_side=0.0)


def bag_prf(pred: str, gold: str) -> tuple[float, float, float]:
    """Precision, recall and F1 of the *sets* of ``\\w+`` tokens: dragnet's own protocol.

    Dragnet's evaluation (``dragnet.util.evaluation_metrics(bow=True)``, Peters &
    Lecocq 2013) compares the distinct tokens of the extraction and of the gold,
    so a missed headline whose words recur in the body costs little.

    >>> [round(x, 3) for x in bag_prf("the cat sat", "the cat sat on the mat")]
    [1.0, 0.6, 0.75]
    """
    p, g = set(_WORD.findall(pred)), set(_WORD.findall(gold))
    return _prf(len(p & g), len(p), len(g), empty_side=0.0)


def corpus_prf(pairs: Iterable[tuple[str, str]], n: int = 4, bag: bool = False) -> tuple[float, float, float]:
    """Scrapinghub-style corpus score: P and R averaged over documents, F1 of the averages.

    Per document, word ``n``-gram multisets (:func:`ngram_prf`), or with ``bag`` the token sets
    of dragnet's protocol (:func:`bag_prf`).
    """
    scores = [bag_prf(p, g) if bag else ngram_prf(p, g, n) for p, g in pairs]
    if not scores:
        return 0.0, 0.0, 0.0
    prec = sum(s[0] for s in scores) / len(scores)
    rec = sum(s[1] for s in scores) / len(scores)
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def _pairs(clusters: Sequence[Sequence[str]]) -> set[tuple[str, str]]:
    out = set()
    for c in clusters:
        members = sorted(c)
        for i in range(len(members)):
            for j in range(i + 1, len(members)):
                out.add((members[i], members[j]))
    return out


def pairwise_prf(pred: Sequence[Sequence[str]], gold: Sequence[Sequence[str]]) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of predicted clusters against gold clusters.

    Singletons may be listed or left out. With no pairs on either side the score is perfect.
    """
    p, g = _pairs(pred), _pairs(gold)
    return _prf(len(p & g), len(p), len(g), empty_side=1.0)


def adjusted_rand(pred: Sequence[Sequence[str]], gold: Sequence[Sequence[str]]) -> float:
    """Adjusted Rand index of two clusterings over the union of their ids (missing ids are singletons)."""
    label_p = {i: k for k, c in enumerate(pred) for i in c}
    label_g = {i: k for k, c in enumerate(gold) for i in c}
    ids = sorted(set(label_p) | set(label_g))
    if len(ids) < 2:
        return 1.0
    lp = [label_p.get(i, ("p", i)) for i in ids]
    lg = [label_g.get(i, ("g", i)) for i in ids]
    contingency = Counter(zip(lp, lg, strict=True))
    comb = lambda x: x * (x - 1) / 2  # noqa: E731
    sum_ij = sum(comb(v) for v in contingency.values())
    sum_a = sum(comb(v) for v in Counter(lp).values())
    sum_b = sum(comb(v) for v in Counter(lg).values())
    total = comb(len(ids))
    expected = sum_a * sum_b / total
    maximum = (sum_a + sum_b) / 2
    if math.isclose(maximum, expected):
        return 1.0
    return (sum_ij - expected) / (maximum - expected)
