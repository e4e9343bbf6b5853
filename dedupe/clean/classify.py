"""The block classifier shared by plain-text and HTML cleaning.

A document arrives as blocks (lines of text, or block elements of a page).
Each block gets ``keep`` or a removal reason, and each decision names the
rule that made it. The signals, in the order they are applied:

1. **Fragments** inside a block: a leading date line ("date 2025-07-30 …")
   becomes the date field; inline ad phrases are cut out of paragraphs.
2. **Block patterns** gated by shape: a junk phrase only labels a block that
   is short and not a full sentence paragraph (an article *about*
   newsletters keeps its paragraphs).
3. **Position**: a bare section heading such as "Related Articles",
   "Comments" or a tool directory heading, once the article body has
   started, opens a *tail*; every block after it takes that section's
   reason unless a stronger pattern names another.
4. **Structure**: the title (first heading-like block) and its repeats,
   captions glued onto one another, short orphan lines that head nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from ..normalize import normalize, word_count
from ..types import KEEP
from . import patterns as P
from .metadata import iso_date, squash

#: Reasons that open a tail section when they occur as a bare heading.
TAIL_REASONS = ("related", "comments", "directory", "cms_footer")
#: Labels inside a tail section that give way to the section's reason (a
#: headline or a "5 minutes ago" line inside a related-stories list is part
#: of that list).
SECTION_OVERRIDES = (KEEP, "metadata", "chrome", "caption", "dup_title")
#: Body words that must precede a tail marker for it to count as one.
MIN_BODY_WORDS_BEFORE_TAIL = 40


@dataclass
class Labelled:
    """Classifier output for one document."""

    texts: list[str]
    labels: list[str]
    rules: list[str]
    title: str | None = None
    date: str | None = None
    author: str | None = None
    fragments: list[tuple[int, str, str, str]] = field(default_factory=list)
    """(block position, removed text, reason, rule) for cut-out fragments."""


def _is_sentence(text: str) -> bool:
    return bool(P.SENTENCE_END.search(text))


def _pattern_label(text: str, words: int) -> tuple[str, str] | None:
    """A junk reason from the block's own text and shape, or None."""
    short = words <= 12
    sentence = _is_sentence(text)
    if words <= 6 and P.AD.search(text):
        return "ad", "ad_phrase"
    if P.AD.search(text) and words <= 12:
        return "ad", "ad_phrase"
    if words <= 8 and P.COMMENTS.search(text):
        return "comments", "comments_heading"
    if words <= 40 and P.CMS_FOOTER.search(text):
        return "cms_footer", "cms_footer_phrase"
    if words <= 6 and not sentence and P.DIRECTORY.search(text):
        return "directory", "directory_heading"
    if words <= 6 and not sentence and P.RELATED_MARKER.search(text) and P.RELATED_HEADING_WORDS.search(text):
        return "related", "related_heading"
    if P.MORE_STORIES.search(text) and words <= 20:
        return "related", "more_stories"
    if words <= 30 and P.APP_PROMO.search(text):
        return "app_promo", "app_phrase"
    if words <= 25 and P.NEWSLETTER.search(text) and (short or "inbox" in text.lower() or not sentence):
        return "newsletter", "newsletter_phrase"
    if words <= 12 and P.SHARE.search(text):
        return "share", "share_row"
    if words <= 40 and P.COOKIE.search(text):
        return "chrome", "cookie_banner"
    if words <= 4 and P.CHROME.search(text):
        return "chrome", "site_chrome"
    if words <= 6 and P.RELATIVE_TIME.search(text):
        return "metadata", "relative_time"
    if words <= 10 and P.BYLINE.search(text):
        return "metadata", "byline"
    if words <= 40 and P.WRITE_TO.search(text):
        return "metadata", "write_to"
    if words <= 8 and not sentence and P.DATELINE.search(text) and iso_date(text):
        return "metadata", "dateline"
    return None


def _glued_caption(text: str) -> bool:
    """Two or more short sentences glued without spaces: photo captions."""
    parts = [p for p in P.GLUE.split(text) if p.strip()]
    if len(parts) < 2:
        return False
    return all(word_count(p) <= 20 for p in parts) and word_count(text) <= 40


def _title_like(text: str, words: int) -> bool:
    if not 2 <= words <= 25:
        return False
    stripped = text.rstrip()
    return not stripped.endswith((".", ",", ";", ":")) and stripped[:1].isupper() or stripped[:1].isdigit()


def _author_from(text: str, rule: str) -> str | None:
    if rule == "write_to":
        match = P.WRITE_TO.search(text)
        part = match.group("names") if match else ""
        names = [m.group(1) for m in P.WRITE_TO_NAME.finditer(part)]
        return ", ".join(names) or None
    if rule == "byline":
        body = regex.sub(r"^(by|written by|words by|reporting by|text by)\s+", "", text, flags=regex.I)
        body = regex.split(r"\s*[|]\s*", body)[0]
        return squash(regex.sub(r"\s+(and|&)\s+", ", ", body)) or None
    return None


def classify(texts: list[str], *, title_hint: str | None = None) -> Labelled:
    """Label every block of one document.

    ``title_hint`` is a title already known (from HTML metadata or JSONL); a
    block repeating it is then a ``dup_title``, and no block is taken as the
    title.

    >>> body = "A paragraph of the story, long enough to count as body text here. " * 4
    >>> out = classify(["Big News Today", body, "Related Articles", "Some other story entirely"])
    >>> out.title, out.labels
    ('Big News Today', ['metadata', 'keep', 'related', 'related'])
    """
    blocks = [squash(t) for t in texts]
    n = len(blocks)
    labels = [KEEP] * n
    rules = [""] * n
    out = Labelled(texts=blocks, labels=labels, rules=rules)

    # 1. Fragments: a leading date line becomes the date field.
    for i, text in enumerate(blocks):
        if not text:
            continue
        match = P.LEADING_DATE.match(text)
        if match:
            out.date = iso_date(match.group("date"))
            out.fragments.append((i, match.group(0).strip(), "metadata", "leading_date"))
            blocks[i] = text[match.end() :].strip()
        break
    for i, text in enumerate(blocks):
        if "ad" in text.lower() or "ADVERTISEMENT" in text:
            pieces = []

            def _cut(m: regex.Match[str], pieces: list[str] = pieces) -> str:
                pieces.append(m.group(0).strip())
                return " "

            new = P.INLINE_AD.sub(_cut, text)
            if pieces and word_count(new) >= 3:
                for piece in pieces:
                    out.fragments.append((i, piece, "ad", "inline_ad"))
                blocks[i] = squash(new)

    counts = [word_count(t) for t in blocks]

    # 2. Block patterns gated by shape.
    for i, text in enumerate(blocks):
        if not text:
            labels[i], rules[i] = "chrome", "empty_after_fragments"
            continue
        hit = _pattern_label(text, counts[i])
        if hit:
            labels[i], rules[i] = hit
        elif _glued_caption(text):
            labels[i], rules[i] = "caption", "glued_captions"

    # 3. Position: tail sections after the body has started.
    body_words = 0
    section: str | None = None
    for i in range(n):
        label = labels[i]
        if section is None:
            if label in TAIL_REASONS and rules[i] != "inline" and body_words >= MIN_BODY_WORDS_BEFORE_TAIL:
                is_heading = counts[i] <= 8 or label == "cms_footer"
                if is_heading:
                    section = label
                    continue
            if label == KEEP and counts[i] >= 8:
                body_words += counts[i]
            continue
        if label in TAIL_REASONS:
            section = label
        elif label in SECTION_OVERRIDES:
            labels[i], rules[i] = section, f"after_{section}_heading"

    # 4. Structure: lower-case one-word chrome, title, title repeats.
    for i, text in enumerate(blocks):
        if labels[i] == KEEP and counts[i] <= 3 and text == text.lower() and not _is_sentence(text):
            labels[i], rules[i] = "chrome", "lowercase_fragment"

    title_key = normalize(title_hint) if title_hint else None
    if title_hint:
        out.title = squash(title_hint)
    else:
        for i, text in enumerate(blocks):
            if labels[i] != KEEP:
                continue
            if _title_like(text, counts[i]):
                out.title = text
                title_key = normalize(text)
                labels[i], rules[i] = "metadata", "title"
            break
    if title_key:
        for i, text in enumerate(blocks):
            if labels[i] == KEEP and normalize(text) == title_key:
                labels[i], rules[i] = "dup_title", "repeats_title"

    # Orphans: short non-sentences followed by junk or nothing head no content.
    for i in range(n - 1, -1, -1):
        if labels[i] != KEEP or counts[i] > 5 or _is_sentence(blocks[i]):
            continue
        nxt = next((j for j in range(i + 1, n) if blocks[j]), None)
        if nxt is None or labels[nxt] != KEEP:
            labels[i], rules[i] = "chrome", "orphan_short_line"

    # Author from a byline or "Write to …" line.
    for i, text in enumerate(blocks):
        if labels[i] == "metadata" and out.author is None:
            out.author = _author_from(text, rules[i])
        if labels[i] == "metadata" and rules[i] == "dateline" and out.date is None:
            out.date = iso_date(text)
    return out
