"""Why was a line dropped (or kept)? The cleaner's decision for every line matching a substring.

This is the library side of a ``dedupe clean --why TEXT`` option: it reruns
the classifier on one document and reports, for each block (or fragment cut
from a block) whose text contains the substring, its label, the rule that
decided it and what that rule means.

>>> text = ("Storm hits coast\\nThe storm reached the coast at dawn, officials said on Monday. "
...         "Tired of too many ads? Remove Ads\\nSign up for our newsletter")
>>> for e in why(text, "newsletter"):
...     print(e)
line 3: removed as newsletter (newsletter_phrase: a short block inviting to a newsletter or email sign-up)
  Sign up for our newsletter
>>> print(why(text, "remove ads")[0].summary())
line 2: removed as ad (inline_ad: an ad phrase spliced into a paragraph; only the phrase was cut)
>>> why(text, "officials said")[0].kept
True
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import CleanConfig
from ..types import KEEP
from .classify import RULES, classify
from .text import split_blocks


@dataclass(frozen=True)
class Explanation:
    """The decision about one block or fragment of a document."""

    line: int
    """1-based line number in the input text."""
    text: str
    label: str
    rule: str
    kept: bool
    fragment: bool = False
    """True for a piece cut out of a kept line (a leading date, an inline ad)."""

    @property
    def meaning(self) -> str:
        """What the rule means, in words."""
        if self.rule.startswith("after_") and self.rule.endswith("_heading"):
            section = self.rule[len("after_") : -len("_heading")]
            return f"follows a '{section}' section heading; everything after it belongs to that section"
        return RULES.get(self.rule, "no junk rule matched" if self.label == KEEP else self.rule)

    def summary(self) -> str:
        """One line: where, what was decided, by which rule."""
        if self.label == KEEP:
            return f"line {self.line}: kept (no junk rule matched)"
        verdict = f"kept although {self.label} (--keep {self.label})" if self.kept else f"removed as {self.label}"
        return f"line {self.line}: {verdict} ({self.rule}: {self.meaning})"

    def __str__(self) -> str:
        return self.summary() if self.fragment else f"{self.summary()}\n  {self.text}"


def fold(text: str) -> str:
    """How ``why`` compares text: lower case, runs of whitespace as one space.

    >>> fold("  Remove\tADS ")
    'remove ads'
    """
    return " ".join(text.lower().split())


def why(
    text: str,
    substring: str,
    *,
    config: CleanConfig | None = None,
    title: str | None = None,
    templates: frozenset[str] = frozenset(),
) -> list[Explanation]:
    """Explain the cleaner's decision for every line (and cut fragment) containing ``substring``.

    Matching ignores case and runs of whitespace. An empty list means no line
    contains the substring.
    """
    config = config or CleanConfig()
    needle = fold(substring)
    if not needle:
        raise ValueError("substring is empty: give a piece of the line to explain")
    positions, blocks = split_blocks(text)
    labelled = classify(blocks, title_hint=title, templates=templates if config.recurring_lines else frozenset())
    out: list[Explanation] = []
    for pos, frag, reason, rule in labelled.fragments:
        if needle in fold(frag):
            out.append(Explanation(positions[pos] + 1, frag, reason, rule, reason in config.keep_reasons, True))
    for k, (block, label, rule) in enumerate(zip(labelled.texts, labelled.labels, labelled.rules, strict=True)):
        original = fold(blocks[k])
        if needle in original and not any(e.fragment and e.line == positions[k] + 1 for e in out):
            kept = label == KEEP or label in config.keep_reasons
            out.append(Explanation(positions[k] + 1, block or blocks[k], label, rule, kept))
    out.sort(key=lambda e: (e.line, not e.fragment))
    return out
