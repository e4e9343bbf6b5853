"""Plain-text cleaning: lines in, a :class:`~dedupe.types.CleanDoc` out."""

from __future__ import annotations

import re
from itertools import compress, repeat
from operator import not_

from ..config import CleanConfig
from ..types import KEEP, Block, CleanDoc, Removed
from .classify import Labelled, classify
from .uilines import cut_ui_lines

#: Builds a named tuple from a tuple of its fields in C, as ``Block._make`` does after a Python-level call.
_new_tuple = tuple.__new__

#: The options of a call that gives none (frozen, so one instance serves every call).
_DEFAULT_CONFIG = CleanConfig()


#: A carriage return that does not end a line ("\\r\\n" does).
_STRAY_CR = re.compile(r"\r(?!\n)")


def split_blocks(text: str) -> tuple[list[int], list[str]]:
    """Non-empty lines of ``text`` and their 0-based line numbers.

    In a text whose lines end with ``"\\n"``, a lone ``"\\r"`` is a stray (an
    HTML ``&#13;``, a ``"\\r\\r\\n"``), not a line break: it is a space, as in a
    browser. Cutting a sentence there would leave a line that a second cleaning
    of the output reads differently (a title, when it opens the text).

    >>> split_blocks("a\\n\\n b \\r\\nc")
    ([0, 2, 3], ['a', 'b', 'c'])
    >>> split_blocks("Officials said the storm\\rhit the coast.\\nIt rained."), split_blocks("Old Mac\\rtext")
    (([0, 1], ['Officials said the storm hit the coast.', 'It rained.']), ([0, 1], ['Old Mac', 'text']))
    """
    if "\r" in text and "\n" in text:
        text = _STRAY_CR.sub(" ", text)
    lines = list(map(str.strip, text.splitlines()))
    if all(lines):  # no blank line: the usual case, no bookkeeping
        return list(range(len(lines))), lines
    positions = [i for i, line in enumerate(lines) if line]
    return positions, [lines[i] for i in positions]


def assemble(
    doc_id: str,
    positions: list[int],
    labelled: Labelled,
    config: CleanConfig,
) -> CleanDoc:
    """Build the CleanDoc from labels, honouring ``config.keep_reasons``."""
    keep_reasons = config.keep_reasons
    texts, labels, rules = labelled.texts, labelled.labels, labelled.rules
    if not len(positions) == len(texts) == len(labels) == len(rules):
        raise ValueError(f"{len(positions)} block positions for {len(texts)} labelled blocks: label every block once")
    blocks = list(map(_new_tuple, repeat(Block), zip(positions, texts, labels, rules, strict=True)))
    if not labelled.fragments:  # the common case: C-level passes (map, compress), no bookkeeping
        keep = [label == KEEP or label in keep_reasons for label in labels] if keep_reasons else list(
            map(KEEP.__eq__, labels)
        )
        kept = list(filter(None, compress(texts, keep)))
        dropped = compress(zip(texts, labels, rules, strict=True), map(not_, keep))
        removed = list(map(_new_tuple, repeat(Removed), dropped))
    else:
        kept, removed = [], []
        fragments_by_block: dict[int, list[tuple[str, str, str]]] = {}
        for pos, text, reason, rule in labelled.fragments:
            fragments_by_block.setdefault(pos, []).append((text, reason, rule))
        for k, (text, label, rule) in enumerate(zip(texts, labels, rules, strict=True)):
            for frag_text, reason, frag_rule in fragments_by_block.get(k, ()):
                removed.append(Removed(frag_text, reason, frag_rule))
            if label == KEEP or label in keep_reasons:
                if text:
                    kept.append(text)
            else:
                removed.append(Removed(text, label, rule))
    return CleanDoc(
        id=doc_id,
        text="\n".join(kept),
        title=labelled.title,
        date=labelled.date,
        author=labelled.author,
        removed=removed,
        blocks=blocks,
    )


def clean_text(
    text: str,
    *,
    doc_id: str = "",
    config: CleanConfig | None = None,
    title: str | None = None,
    templates: frozenset[str] = frozenset(),
) -> CleanDoc:
    """Clean one plain-text document: every line is a block.

    The result's ``text`` holds the kept blocks one per line; ``removed``
    lists every dropped block or fragment with its reason. ``templates`` are
    site-template line keys from
    :func:`dedupe.clean.recurring.find_template_lines` (removed as
    ``boilerplate``).

    >>> doc = clean_text("Storm hits coast\\nThe storm reached the coast at dawn, officials said on Monday.\\n"
    ...                  "Tired of too many ads? Remove Ads\\nSign up for our newsletter")
    >>> doc.title
    'Storm hits coast'
    >>> doc.text
    'The storm reached the coast at dawn, officials said on Monday.'
    >>> sorted({r.reason for r in doc.removed})
    ['ad', 'metadata', 'newsletter']
    """
    config = config or _DEFAULT_CONFIG
    positions, blocks = split_blocks(text)
    labelled = classify(
        blocks,
        title_hint=title,
        templates=templates if config.recurring_lines else frozenset(),
        refine=cut_ui_lines,  # interface lines, before the structure rules judge the lines that stay (as in HTML)
    )
    return assemble(doc_id, positions, labelled, config)
