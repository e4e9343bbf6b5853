"""Corpus-wide pass: short lines that recur across documents that are not copies of each other.

A site's template ("Follow us on Mastodon", "Read our corrections policy")
appears in every article of that site, however it is worded; a pattern list
cannot know it, the corpus can. A line counts as a template line when it is
short (at most ``max_words`` words) and occurs in at least ``min_docs``
documents that are *not copies of one another*: syndicated copies of one
story share their sub-headings and short paragraphs, and those must stay.

Two documents are taken as copies when they share at least half of the
sentences (:func:`~dedupe.clean.sentencedigest.copy_keys`, of
:data:`~dedupe.clean.sentencedigest.COPY_LINE_WORDS` words or more) of the
smaller one; a line is a template when ``min_docs`` of its documents are
pairwise not copies (chosen longest first). Copies are not chained: a short
page that shares only its site's own lines with each sibling would otherwise
tie a whole site into one "story" and hide its template. A paragraph that
occurs in very many documents (related-story spam glued everywhere) says
nothing about copies and is ignored for grouping.

A line that travels with the same sentence line next to it in two or more of
its occurrences, and in at least half of them, is part of a copied *passage*
(the headline and lead of a story glued as "related" spam into other
documents), not a template: it is never a template line, so the story keeps
it where it is the story itself. That protects headlines only: a line that
ends like a sentence ("Follow The Post on Facebook for updates.") recurring
beside another template line is the site's footer, not a story. A menu
shared by many sites sits next to a different site's own line on each site,
so no one neighbour makes it a passage.

How the pipeline uses it (two passes over the input)::

    templates = find_template_lines(texts, min_docs=config.clean.recurring_min_docs)
    cleaned = [clean_document(doc, config.clean, templates=templates) for doc in docs]

>>> site = "Follow Metro Wire on social media for more"
>>> docs = [f"Story {i} title\\nA paragraph about topic {i} with enough words to be a body.\\n{site}"
...         for i in range(4)]
>>> sorted(find_template_lines(docs, min_docs=3))
['follow metro wire on social media for more']
>>> copies = [docs[0]] * 4       # one story four times: its lines are not a template
>>> sorted(find_template_lines(copies, min_docs=3))
[]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .sentencedigest import COPY_LINE_WORDS, SENTENCE_ENDS, line_digests
from .whitespace import squash

#: Lines found in more documents than this are ignored when grouping copies.
MAX_GROUPING_DOCS = 50
def line_key(line: str) -> str:
    """The key a line is compared by: lower-cased, whitespace squashed.

    >>> line_key("  Follow   Us ")
    'follow us'
    """
    return squash(line.lower())


#: Last characters of a line that is a sentence, not a headline.
_SENTENCE_ENDS = tuple(SENTENCE_ENDS)


@dataclass(frozen=True)
class LineEvidence:
    """What one document tells the template pass (:func:`line_evidence`); plain data, cheap to pickle.

    ``short`` holds the keys of its short lines, ``beside`` a (short line, sentence line next to it) pair
    per occurrence, ``sentences`` its distinct :func:`~dedupe.clean.sentencedigest.copy_keys`, and
    ``short_sentences`` the (short line, its sentences) of short lines long enough to hold one. Only their
    equality matters for the neighbour lines and sentences, so they are 64-bit digests
    (:func:`~dedupe.clean.sentencedigest.digest`), not text.
    """

    short: tuple[str, ...]
    beside: tuple[tuple[str, int], ...]
    sentences: frozenset[int]
    short_sentences: tuple[tuple[str, frozenset[int]], ...] = ()


def line_evidence(texts: Sequence[str], max_words: int = 25) -> list[LineEvidence]:
    """The per-document half of :func:`find_template_lines`, one :class:`LineEvidence` per text.

    Documents are independent here, so batches of texts can be keyed in worker processes and the
    results handed to :func:`templates_from` in input order.

    >>> ev = line_evidence(["Follow us\\nThe storm reached the coast on Monday morning, officials said."])[0]
    >>> ev.short[0], len(ev.short), len(ev.beside), len(ev.sentences)
    ('follow us', 2, 1, 1)
    """
    docs = []  # per document: its line keys, their word counts, where its long lines start in long_keys
    long_keys: list[str] = []
    for text in texts:
        keys = [k for k in map(line_key, text.splitlines()) if k]
        words = [k.count(" ") + 1 for k in keys]
        docs.append((keys, words, len(long_keys)))
        long_keys.extend(k for k, w in zip(keys, words, strict=True) if w >= COPY_LINE_WORDS)
    whole, digests, starts = line_digests(long_keys)  # every long line of the batch in one compiled pass
    out = []
    for keys, words, first in docs:
        at = first
        slot = []  # per line, its index in long_keys (-1: a line too short to hold a copy sentence)
        for w in words:
            if w >= COPY_LINE_WORDS:
                slot.append(at)
                at += 1
            else:
                slot.append(-1)
        short: list[str] = []
        beside: list[tuple[str, int]] = []
        short_sentences: list[tuple[str, frozenset[int]]] = []
        last = len(keys) - 1
        for i, key in enumerate(keys):
            if words[i] > max_words:
                continue
            short.append(key)
            if i and slot[i - 1] >= 0:  # sentence lines next to it: passage evidence
                beside.append((key, whole[slot[i - 1]]))
            if i < last and slot[i + 1] >= 0:
                beside.append((key, whole[slot[i + 1]]))
            k = slot[i]
            if k >= 0 and starts[k] < starts[k + 1]:
                short_sentences.append((key, frozenset(digests[starts[k] : starts[k + 1]])))
        sentences = frozenset(digests[starts[first] : starts[at]])
        out.append(LineEvidence(tuple(short), tuple(beside), sentences, tuple(short_sentences)))
    return out


def find_template_lines(
    texts: Iterable[str],
    min_docs: int = 3,
    *,
    max_words: int = 25,
) -> frozenset[str]:
    """Keys (:func:`line_key`) of short lines found in ``min_docs`` or more unrelated documents.

    ``texts`` are the documents' plain texts (one block per line). Pass the
    result as ``templates=`` to :func:`dedupe.clean.clean_text` or
    :func:`dedupe.clean.clean_document`; matching lines are removed with the
    reason ``boilerplate`` unless a more specific reason applies.
    The same as ``templates_from(line_evidence(texts, max_words), min_docs)``.
    """
    _check_min_docs(min_docs)
    return templates_from(line_evidence(list(texts), max_words), min_docs)


def _check_min_docs(min_docs: int) -> None:
    if min_docs < 2:
        raise ValueError(f"min_docs must be at least 2 (got {min_docs}); one document is not a template")


def templates_from(evidence: Iterable[LineEvidence], min_docs: int = 3) -> frozenset[str]:
    """The corpus-wide half of :func:`find_template_lines`: template keys from every document's
    :class:`LineEvidence`, in input order.

    >>> docs = [f"Story {i}\\nA paragraph about topic {i} with enough words to be a body.\\nFollow us"
    ...         for i in range(3)]
    >>> sorted(templates_from(line_evidence(docs), min_docs=3))
    ['follow us']
    """
    _check_min_docs(min_docs)
    short_in: dict[str, set[int]] = defaultdict(set)
    beside: dict[str, defaultdict[int, int]] = defaultdict(lambda: defaultdict(int))
    kept = list(evidence)
    for d, ev in enumerate(kept):
        for key in ev.short:
            short_in[key].add(d)
        for key, neighbour in ev.beside:
            beside[key][neighbour] += 1
    candidates = {
        k: ds
        for k, ds in short_in.items()
        if len(ds) >= min_docs
        and (k.endswith(_SENTENCE_ENDS) or not any(n >= 2 and 2 * n >= len(ds) for n in beside[k].values()))
    }
    if not candidates:
        return frozenset()
    sentences = [ev.sentences for ev in kept]
    in_docs: dict[int, int] = defaultdict(int)
    for own in sentences:
        for sentence in own:
            in_docs[sentence] += 1
    grouping = frozenset(x for x, n in in_docs.items() if 2 <= n <= MAX_GROUPING_DOCS)
    first = _unrelated(candidates, sentences, grouping, min_docs)
    # A site's own template sentences (its newsletter and copyright lines) are not the story: short copies
    # of one story on different sites carry different ones, which can outnumber the story's sentences they
    # share. Judged again without the sentences of the other first-pass template lines of each page.
    site_lines = [tuple((key, s) for key, s in ev.short_sentences if key in first) for ev in kept]
    return _unrelated(candidates, sentences, grouping, min_docs, site_lines)


def _unrelated(
    candidates: dict[str, set[int]],
    sentences: list[frozenset[int]],
    grouping: frozenset[int],
    min_docs: int,
    site_lines: list[tuple[tuple[str, frozenset[int]], ...]] | None = None,
) -> frozenset[str]:
    """The candidate keys found in ``min_docs`` documents no two of which are copies (:func:`_copies`).

    Documents are taken longest first, so a short page that shares only the site's own lines with each of
    its siblings does not tie them all together. With ``site_lines`` (per document, its template lines and
    their sentences), a document's sentences leave out those of its template lines other than the key's.
    """

    def unrelated(key: str, docs: set[int]) -> bool:
        mine = {}
        for d in docs:
            drop = [s for k, s in site_lines[d] if k != key] if site_lines else []
            mine[d] = sentences[d].difference(*drop) if drop else sentences[d]
        chosen: list[int] = []
        for d in sorted(docs, key=lambda d: (-len(mine[d]), d)):
            if all(not _copies(mine[c], mine[d], grouping) for c in chosen):
                chosen.append(d)
                if len(chosen) >= min_docs:
                    return True
        return False

    return frozenset(key for key, docs in candidates.items() if unrelated(key, docs))


def _copies(a: frozenset[int], b: frozenset[int], grouping: frozenset[int]) -> bool:
    """Two pages are copies when they share at least half the sentences of the smaller one (counting
    only sentences found in 2 to :data:`MAX_GROUPING_DOCS` pages)."""
    shared = len(a & b & grouping)
    return shared > 0 and shared * 2 >= min(len(a), len(b))
