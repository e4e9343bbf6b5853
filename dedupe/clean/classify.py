"""The block classifier shared by plain-text and HTML cleaning.

A document arrives as blocks (lines of text, or block elements of a page).
Each block gets ``keep`` or a removal reason, and each decision names the
rule that made it (:data:`RULES` says what every rule means). The signals, in
the order they are applied:

1. **Fragments** inside a block: a leading date line ("date 2025-07-30 …")
   becomes the date field; inline ad phrases are cut out of paragraphs.
2. **Block shape and voice**: only short blocks (at most
   :data:`MAX_JUNK_WORDS` words) can be junk by their own text: a junk
   phrase, a call to action (the site addressing the reader, "Get …",
   "your inbox", "our app") combined with a junk noun, a photo credit, glued
   captions, a row of menu items. Each pattern is tried only when the block's
   words include its trigger words. Long paragraphs are never tested against
   patterns, which keeps an article *about* newsletters intact and the
   cleaner fast. Short imperative or form lines next to a junk box join it.
   A call to action that reads as a sentence of the article and gives the
   reader no order ("So today, we're introducing our new app …") stays.
3. **Title** (first heading-like block before the first paragraph) and its
   repeats; then **site templates**: short lines recurring across unrelated
   documents of the corpus (:mod:`dedupe.clean.recurring`).
4. **Position**: a bare section heading such as "Related Articles",
   "Comments" or a tool directory heading, once the body has started, opens
   a *tail*; every block after it takes that section's reason unless a
   stronger pattern names another. A weak heading ("More …") followed by
   on-topic paragraphs is a sub-heading, not a marker.
5. **Topical coherence** (:mod:`dedupe.clean.coherence`): after the body, a
   headline-like line followed by paragraphs that share almost no content
   words with the title and the body before it is an unrelated story glued
   on (``related``), judged against how much the article's own paragraphs
   drift, where a removed block marks the article's end.
6. **Structure**: tiny lower-case labels, and short orphan lines after the
   last paragraph (but not lists: runs of three or more short lines); judged
   after a caller's revisions (the HTML cleaner's DOM), on the blocks that stay.

Cleaning the cleaned text again (told its title) changes nothing: the rules
decide from what the kept text still shows (``tests/test_clean_idempotence.py``).
One exception: a text opening with "date …" glued onto its first sentence has
no title line, and once the date is cut a first sentence cut short reads as a
title to a second pass.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ..asciiscan import may_hold, without_typography
from ..normalize import normalize
from ..types import KEEP
from . import patterns as P
from .coherence import content_words, has_cjk, share
from .linescan import AD_HINT, HAN_KANA, UI_HINT, LineScan, scan
from .linescan import RULES as RULES_SCANNED
from .metadata import author_name, iso_date, strip_site_suffix
from .patterns import ends_sentence
from .prose import gives_an_order, reads_as_prose
from .whitespace import ODD_SPACES as _ODD_SPACES
from .whitespace import squash as _squash

#: Content words of block ``i`` (computed once per block, on demand).
WordsOf = Callable[[int], set[str]]

#: Reasons that open a tail section when they occur as a bare heading.
TAIL_REASONS = ("related", "comments", "directory", "cms_footer")
#: Labels inside a tail section that give way to the section's reason (a
#: headline or a "5 minutes ago" line inside a related-stories list is part
#: of that list).
SECTION_OVERRIDES = (KEEP, "metadata", "chrome", "caption", "dup_title", "boilerplate")
#: Body words that must precede a tail marker for it to count as one.
MIN_BODY_WORDS_BEFORE_TAIL = 40
#: Blocks longer than this are never junk by their own wording.
MAX_JUNK_WORDS = 40
#: A paragraph has at least this many words (shorter blocks are lines: headings, labels, buttons).
PARAGRAPH_WORDS = 15
#: A glued story's paragraphs share at most this share of content words with the article before it.
GLUED_MAX_SHARE = 0.25
#: … and on average at most this share.
GLUED_MEAN_SHARE = 0.12
#: Reasons a short neighbouring line may join ("Stay in the know" above a newsletter box).
BOX_REASONS = ("newsletter", "app_promo", "comments", "share", "chrome")

#: What each rule means, for :func:`dedupe.clean.explain.why`.
RULES: dict[str, str] = {
    "leading_date": "a date line at the very start of the text; it became the date field",
    "inline_ad": "an ad phrase spliced into a paragraph; only the phrase was cut",
    "ad_phrase": "a short block that is an ad label or an ad-removal prompt",
    "comments_heading": "a short block that heads or replaces a comments widget",
    "cms_footer_phrase": "CMS/site footer wording (copyright, 'originally published', 'the above is …')",
    "directory_heading": "a bare heading of a tools/apps directory",
    "related_heading": "a bare heading announcing related or recommended stories",
    "more_stories": "a 'more stories …' link line",
    "app_phrase": "a short block promoting the site's app",
    "newsletter_phrase": "a short block inviting to a newsletter or email sign-up",
    "call_to_action": "a short block in the site's voice (you/our, imperative) about a newsletter, app or cookies",
    "article_sentence": "kept: a call to action that reads as the article's own sentence and gives the reader no order",
    "share_row": "a row of share buttons or social network names",
    "cookie_banner": "a cookie/consent banner",
    "site_chrome": "navigation or site chrome (menu, logo, log in, …)",
    "nav_row": "a row of short menu items between separators",
    "relative_time": "a relative timestamp ('8 minutes ago')",
    "byline": "a byline; it became the author field",
    "write_to": "a 'write to … at …@…' line; it became the author field",
    "dateline": "a published/updated date line; it became the date field",
    "date_line": "a line that is only a date; it became the date field",
    "photo_credit": "a photo credit line ('Photo: AP', 'Titelbild: …'; labels in patterns.CREDIT_LABELS)",
    "glued_captions": "photo captions glued together without spaces",
    "recurring_template": "a line that recurs in several unrelated documents of the corpus (site template)",
    "empty_after_fragments": "nothing was left after cutting fragments out; the block takes their reason",
    "lowercase_fragment": "a tiny lower-case non-sentence (a logo or widget label)",
    "title": "the first heading-like line before the body; it became the title field",
    "repeats_title": "repeats the title",
    "joins_box": "a short imperative or form line next to a junk box ('Stay in the know', 'Email address')",
    "orphan_short_line": "a short non-sentence line after the last paragraph of the article",
    "ui_line": "a short print/pin/share/comment/read-more control in another language (dedupe.clean.uilines)",
    "read_also_link": "a link line opening with 'read also' in another language (dedupe.clean.uilines)",
    "credit_line": "a caption closing with a photo credit ('… © AFP', '… (Foto: Andina)'; dedupe.clean.uilines)",
    "glued_story": "an unrelated story glued after the article: its paragraphs share almost no words with it",
}


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
    ui_candidates: list[int] | None = None
    """Blocks the line scan did not rule out as interface lines or credit captions of
    :func:`dedupe.clean.uilines.cut_ui_lines` (:data:`~dedupe.clean.linescan.UI_HINT`); None: every block may be."""
    replaced: dict[int, tuple[str, str]] = field(default_factory=dict)
    """(label, rule) a block had of its own before a tail section took it (a caption after "Related Articles")."""


def _squash_all(texts: list[str]) -> list[str]:
    """Every block squashed; one scan of the joined text usually shows that none needs it."""
    doc = "\x00".join(texts)
    if (
        "  " in doc
        or " \x00" in doc
        or "\x00 " in doc
        or doc[:1] == " "
        or doc[-1:] == " "
        or any(c in doc for c in _ODD_SPACES)  # one C scan per character beats one regex scan
    ):
        return [_squash(t) for t in texts]
    return list(texts)


def _initial(text: str) -> str:
    """First letter or digit, case-folded (quotes and brackets skipped)."""
    return text.lstrip(" \"'‘’“”([«»¿¡-–—")[:1].casefold()[:1]  # case folding is per character: fold the first


def _all_cased(text: str) -> bool:
    """Has letters, and every one has a case: only then is "all lower case" a signal.

    >>> _all_cased("logo"), _all_cased("12:35"), _all_cased("[责任编辑：alonliu]"), _all_cased("ежедневно")
    (True, False, False, True)
    """
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.lower() != c.upper() for c in letters)


#: Marks no sentence opens with: a line starting with one goes on with the line before it.
_CONTINUING = ",;:)]}"


def _continues(text: str) -> bool:
    """Starts in lower case or with a comma (a colon, a closing bracket): the rest of a sentence broken over two lines.

    >>> _continues("strictions that limit access"), _continues(", those restrictions have worked")
    (True, True)
    >>> _continues("Officials said"), _continues("“quoted”")
    (False, False)
    """
    return text[:1].islower() or text[:1] in _CONTINUING


def _imperative(text: str, first: str) -> bool:
    return first in P.IMPERATIVE_FIRST and bool(P.IMPERATIVE.search(text))


def _may_be_footer(text: str) -> bool:
    """False when ``text`` cannot match :data:`~dedupe.clean.patterns.CMS_FOOTER` (an unanchored alternation,
    slow on a long line): on text that is ASCII but for typographic marks, matching regardless of case is plain
    ASCII, so a match needs one of :data:`~dedupe.clean.patterns.CMS_FOOTER_NEEDLES` in the lower-cased text.

    >>> _may_be_footer("All rights reserved."), _may_be_footer("He was produced as a witness"), _may_be_footer("Rain")
    (True, True, False)
    """
    return may_hold(without_typography(text), P.CMS_FOOTER_NEEDLES)


def _call_to_action(text: str, first: str, toks: frozenset[str]) -> tuple[str, str] | None:
    """The site talking to the reader about a newsletter, its app or cookies."""
    if toks.isdisjoint(P.VOICE_KEYS) and not _imperative(text, first):
        return None
    if not toks.isdisjoint(P.NEWSLETTER_NOUN_KEYS) and P.NEWSLETTER_NOUNS.search(text):
        return "newsletter", "call_to_action"
    if not toks.isdisjoint(P.APP_NOUN_KEYS) and P.APP_NOUNS.search(text):
        return "app_promo", "call_to_action"
    if not toks.isdisjoint(P.COOKIE_NOUN_KEYS):
        return "chrome", "cookie_banner"
    return None


#: The most words a block may have for each rule of :func:`line_verdict` (named as in
#: :data:`dedupe.clean.linescan.RULES`); blocks up to :data:`MAX_JUNK_WORDS` for the rest.
RULE_MAX_WORDS: dict[str, int] = {
    "ad": 12, "comments": 8, "directory": 6, "related_heading": 6, "more_stories": 20, "app_promo": 30,
    "newsletter": 25, "share": 12, "chrome": 4, "nav_row": 20, "relative_time": 6, "byline": 10, "dateline": 8,
    "date_line": 7, "photo_credit": 12, "paren_credit": 4, "call_to_action": 30,
}
_W = RULE_MAX_WORDS
#: Per word count up to MAX_JUNK_WORDS, the linescan bits of the rules that may fire on a block that long.
_ALLOWED = [
    0 if words == 0 else sum(bit for rule, bit in RULES_SCANNED.items() if words <= _W.get(rule, MAX_JUNK_WORDS))
    for words in range(MAX_JUNK_WORDS + 1)
]


_B = RULES_SCANNED
#: Rules that read the line's words besides their scan bit.
_READS_WORDS = _B["related_heading"] | _B["newsletter"] | _B["date_line"] | _B["call_to_action"]


def _pattern_label(text: str, words: int, mask: int) -> tuple[str, str] | None:
    """A junk reason from a short block's own text and shape, or None.

    Each rule is tried only when the block is short enough for it and the block's
    scan (``mask``, :func:`dedupe.clean.linescan.scan`) holds its trigger: its trigger
    words (:mod:`dedupe.clean.patterns`), its first word or its mark.
    """
    if mask & _READS_WORDS:
        low = text.lower()
        first, toks = P.words_of(low)
    else:  # no rule below reads them
        low, first, toks = "", "", frozenset()
    sentence = ends_sentence(text)
    if mask & _B["ad"] and words <= _W["ad"] and P.AD.search(text):
        return "ad", "ad_phrase"
    if mask & _B["comments"] and words <= _W["comments"] and P.COMMENTS.search(text):
        return "comments", "comments_heading"
    if mask & _B["cms_footer"] and _may_be_footer(text) and P.CMS_FOOTER.search(text):
        return "cms_footer", "cms_footer_phrase"
    if mask & _B["directory"] and words <= _W["directory"] and not sentence and P.DIRECTORY.search(text):
        return "directory", "directory_heading"
    if (
        mask & _B["related_heading"]
        and words <= _W["related_heading"]
        and not sentence
        and P.RELATED_MARKER.search(text)
        and P.RELATED_HEADING_WORDS.search(text)
        and len(toks - _HEADING_VOCAB - P.HEADING_FILLER) <= 2  # "Latest Earhart search falls short" is a headline
    ):
        return "related", "related_heading"
    if mask & _B["more_stories"] and words <= _W["more_stories"] and P.MORE_STORIES.search(text):
        return "related", "more_stories"
    if mask & _B["app_promo"] and words <= _W["app_promo"] and P.APP_PROMO.search(text):
        return "app_promo", "app_phrase"
    if (
        mask & _B["newsletter"]
        and words <= _W["newsletter"]
        and (words <= 12 or "inbox" in low or not sentence)
        and P.NEWSLETTER.search(text)
    ):
        return "newsletter", "newsletter_phrase"
    if mask & _B["share"] and words <= _W["share"] and P.SHARE.search(text):
        return "share", "share_row"
    if mask & _B["cookie"] and P.COOKIE.search(text):
        return "chrome", "cookie_banner"
    if mask & _B["chrome"] and words <= _W["chrome"] and P.CHROME.search(text):
        return "chrome", "site_chrome"
    if mask & _B["nav_row"] and words <= _W["nav_row"] and not sentence and P.NAV_ROW.search(text) and all(
        len(part.split()) <= 3 for part in P.NAV_SEPARATOR.split(text)
    ):
        return "chrome", "nav_row"
    if mask & _B["relative_time"] and words <= _W["relative_time"] and P.RELATIVE_TIME.search(text):
        return "metadata", "relative_time"
    if mask & _B["byline"] and words <= _W["byline"] and P.BYLINE.search(text):
        return "metadata", "byline"
    if mask & _B["write_to"] and P.WRITE_TO.search(text):
        return "metadata", "write_to"
    if mask & _B["dateline"] and words <= _W["dateline"] and not sentence and P.DATELINE.search(text) and (
        iso_date(text) or P.NUMERIC_DATE.search(text)
    ):
        return "metadata", "dateline"
    if (
        mask & _B["date_line"]
        and words <= _W["date_line"]
        and (text[0].isdigit() or first.rstrip(".,") in P.DATE_ONLY_FIRST)
        and P.DATE_ONLY.match(text)
    ):
        return "metadata", "date_line"
    if words <= _W["photo_credit"] and (
        (mask & _B["photo_credit"] and P.CREDIT.search(text))
        or (mask & _B["paren_credit"] and words <= _W["paren_credit"] and P.PAREN_CREDIT.search(text))
    ):
        return "caption", "photo_credit"
    if mask & _B["call_to_action"] and words <= _W["call_to_action"]:
        return _call_to_action(text, first, toks)
    return None


#: Short lines whose own-text verdict is remembered: site templates recur in every page of a site.
LINE_VERDICT_CACHE = 1 << 15


@lru_cache(maxsize=LINE_VERDICT_CACHE)
def line_verdict(text: str, words: int, mask: int | None = None) -> tuple[str, str] | None:
    """A short block's junk reason and rule from its own text alone (patterns, glued captions), or None.

    A pure function of the line, so it is memoized: a template line recurring
    across a site's pages is judged once. ``words`` is :func:`_words` of ``text``
    and ``mask`` its :func:`~dedupe.clean.linescan.scan` bits (scanned here when not given).
    ``line_verdict.cache_clear()`` empties the memo (benchmarks time it cold).

    >>> line_verdict("Sign up for our newsletter", 5)
    ('newsletter', 'newsletter_phrase')
    >>> line_verdict("A crane lifts a beam.Workers watch from below.", 8)
    ('caption', 'glued_captions')
    """
    if mask is None:
        mask = _line_mask(text)
    hit = _pattern_label(text, words, mask)
    if hit:
        return hit
    if mask & _B["glued_captions"] and P.GLUE.search(text) and _glued_caption(text):
        return "caption", "glued_captions"
    return None


def clear_memos() -> None:
    """Empty the cleaner's memos (:func:`line_verdict`, :func:`~dedupe.clean.metadata.iso_date`): a benchmark
    times a repeated set cold with it, as a fresh process would clean it."""
    line_verdict.cache_clear()
    iso_date.cache_clear()


def _line_mask(text: str) -> int:
    """The scan bits of one block, which may hold line breaks (read as another character that is no space)."""
    return scan(text.replace("\n", "\x0b") if "\n" in text else text, 1).masks[0]


def _glued_caption(text: str) -> bool:
    """Two or more short sentences glued without spaces: photo captions."""
    parts = [p for p in P.GLUE.split(text) if p.strip()]
    if len(parts) < 2:
        return False
    return all(len(p.split()) <= 20 for p in parts)




def _spaced_words(text: str) -> int:
    """:func:`_words` of a text known to hold no Chinese, Japanese or Korean letter (no CJK check)."""
    if not text:
        return 0
    words = text.count(" ") + 1
    return len(text) // 8 if len(text) > 16 * words else words


def _words(text: str) -> int:
    """Words of a squashed block; for scripts written without spaces, an estimate.

    Chinese and Japanese count one word per two ideographs or kana (a
    sentence of 40 characters is about 20 words, as its translation is),
    anything else without spaces (Thai, a long URL) one word per 8 characters.

    >>> _words("Get the app"), _words(""), _words("先日、不正に改造したiPhoneを販売したとして、商標法違反の疑いで20代の男性が逮捕された")
    (3, 0, 19)
    >>> _words("出国前：政治科目会出啥考题？"), _words("Try it this weekend 😉")
    (6, 5)
    """
    if not has_cjk(text):  # has_cjk has no false negatives: no ideograph or kana either
        return _spaced_words(text)
    cjk = len(HAN_KANA.findall(text))
    if not cjk:  # Korean or other letters of that range: spaced words
        return _spaced_words(text)
    return max(text.count(" ") + 1, cjk // 2 + (len(text) - cjk) // 8)


def _title_like(text: str, words: int) -> bool:
    """Heading-shaped: 2-30 words, not ending like a clause; a full stop only on a short line.

    A one-sentence lead paragraph ("CITY (AP) — Officials said …") is not a title.
    """
    if not 2 <= words <= 30:
        return False
    stripped = text.rstrip()
    if stripped.endswith((",", ";", ":")):
        return False
    if stripped.endswith((".", "。", "！", "？")):  # full stops of Latin and CJK scripts
        return words <= 14 and not P.DATELINE_LEAD.search(text)
    return True


def _author_from(text: str, rule: str) -> str | None:
    if rule == "write_to":
        match = P.WRITE_TO.search(text)
        part = match.group("names") if match else ""
        names = [m.group(1) for m in P.WRITE_TO_NAME.finditer(part)]
        return ", ".join(names) or None
    if rule == "byline":
        return author_name(text)
    return None


def _cut_fragments(blocks: list[str], out: Labelled, lines: LineScan) -> None:
    """Inline ads, then a leading date line: cut out of their blocks, recorded as fragments.

    ``lines`` is the blocks' :func:`~dedupe.clean.linescan.scan`. Ads go first: a date line that an ad hid
    ("Remove Ads date 2025-07-03 …") is then at the start, as it is when the cleaned
    text is cleaned again.
    """
    _cut_inline_ads(blocks, out, lines)
    _cut_leading_date(blocks, out)


def _scanned(texts: list[str], squashed: bool) -> tuple[list[str], LineScan]:
    """The blocks (squashed where needed) and their :func:`~dedupe.clean.linescan.scan`."""
    try:
        lines = scan("\n".join(texts), len(texts), MAX_JUNK_WORDS)
    except ValueError:  # a block holding a line break (or no block): every block goes through every check
        blocks = list(texts) if squashed else _squash_all(texts)
        cjk = has_cjk("\n".join(blocks))
        counts = [_words(t) for t in blocks] if cjk else list(map(_spaced_words, blocks))
        masks = [
            _line_mask(t) if w <= MAX_JUNK_WORDS else AD_HINT | UI_HINT for t, w in zip(blocks, counts, strict=True)
        ]
        return blocks, LineScan(counts, [m | AD_HINT for m in masks], True, cjk, len(blocks))
    if squashed or lines.squashed:
        return list(texts), lines
    blocks = list(map(_squash, texts))
    return blocks, scan("\n".join(blocks), len(blocks), MAX_JUNK_WORDS)


def _cut_leading_date(blocks: list[str], out: Labelled) -> None:
    """A date line pasted on top: in the first block, or after short lines (a title) before the body."""
    for i, text in enumerate(blocks):
        if not text:
            continue
        # A squashed block starts with its first letter, and only these case-fold to LEADING_DATE's first ones.
        match = P.LEADING_DATE.match(text) if text[0] in "dDpPuU" else None
        date = iso_date(match.group("date")) if match else None
        if match and date:
            out.date = date
            while match:  # the same date line pasted twice goes as one fragment
                out.fragments.append((i, match.group(0).strip(), "metadata", "leading_date"))
                text = text[match.end() :].strip()
                match = P.LEADING_DATE.match(text)
            blocks[i] = text
            if text:
                break
            continue  # a date line of its own: another may follow it
        if text.count(" ") >= PARAGRAPH_WORDS - 1:  # the body has begun
            break


def _cut_inline_ads(blocks: list[str], out: Labelled, lines: LineScan) -> None:
    """Ad phrases inside a paragraph ("… Tired of too many ads? Remove Ads …").

    Only the blocks whose scan (``lines``) found an ad hint (:data:`~dedupe.clean.patterns.AD_HINTS`) are searched.
    """
    if not lines.hinted:
        return
    for i in [i for i, mask in enumerate(lines.masks) if mask & AD_HINT]:
        text = blocks[i]
        spans = _inline_ad_spans(text)
        while spans:  # a cut can bring a label to a sentence boundary ("city. Remove Ads Advertisement The")
            kept, last = [], 0
            for a, b in spans:
                kept.append(text[last:a])
                last = b
            kept.append(text[last:])
            new = " ".join(" ".join(kept).split())
            if new.count(" ") + 1 < 3:
                break
            for a, b in spans:
                out.fragments.append((i, text[a:b].strip(), "ad", "inline_ad"))
            blocks[i] = text = new
            spans = _inline_ad_spans(text) if any(hint in text for hint in P.AD_HINTS) else []


def _may_hold_inline_ad(window: str) -> bool:
    """False when ``window`` cannot hold an :data:`~dedupe.clean.patterns.INLINE_AD` match: on ASCII text, where
    matching regardless of case is plain ASCII, a match holds one of
    :data:`~dedupe.clean.patterns.INLINE_AD_NEEDLES` in the lower-cased text.

    >>> _may_hold_inline_ad("the advertising market grew"), _may_hold_inline_ad("ADVERTISEMENT The mayor")
    (False, True)
    """
    return may_hold(window, P.INLINE_AD_NEEDLES)


def _inline_ad_spans(text: str) -> list[tuple[int, int]]:
    """Spans of inline ad phrases, searched only in windows around a hint (the full pattern is slow).

    A window that cannot hold a match (:func:`_may_hold_inline_ad`) is not searched: "advertising" in a
    paragraph is a hint, but no ad.
    """
    spans: set[tuple[int, int]] = set()
    for hint in P.AD_HINTS:
        at = text.find(hint)
        while at >= 0:
            start, end = max(0, at - 40), at + 80
            if _may_hold_inline_ad(text[start:end]):
                for m in P.INLINE_AD.finditer(text, start, end):
                    spans.add(m.span())
            at = text.find(hint, at + 1)
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a < out[-1][1]:  # overlapping finds of one phrase: keep the wider
            out[-1] = (out[-1][0], max(b, out[-1][1]))
        else:
            out.append((a, b))
    return out


def classify(
    texts: list[str],
    *,
    title_hint: str | None = None,
    templates: frozenset[str] = frozenset(),
    glued_stories: bool = True,
    squashed: bool = False,
    refine: Callable[[Labelled], None] | None = None,
    prose: Sequence[bool] | None = None,
) -> Labelled:
    """Label every block of one document.

    ``title_hint`` is a title already known (from HTML metadata or JSONL); a
    block repeating it is then a ``dup_title``, and no block is taken as the
    title. ``templates`` holds the keys (:func:`dedupe.clean.recurring.line_key`)
    of site-template lines found across the corpus by
    :func:`dedupe.clean.recurring.find_template_lines`. ``glued_stories=False``
    skips the glued-story rule, for text whose article an HTML DOM pass
    already bounded (there it fires on the article's own later sections).
    ``squashed=True`` says every text is already squashed (otherwise the document's
    :func:`~dedupe.clean.linescan.scan` tells). ``refine`` revises the labels with
    what the caller knows of the blocks beyond their text (the HTML cleaner's DOM
    gives article paragraphs back); it runs before the structure rules (lower-case
    labels, orphan lines), so those judge each line among the blocks that stay, as
    a second pass over the cleaned text does. ``prose`` says per block whether it
    may be an article's paragraph as the caller sees it (the HTML cleaner: few
    links, no heading element); without it the text alone tells
    (:func:`~dedupe.clean.prose.reads_as_prose`).

    >>> body = "A paragraph of the story, long enough to count as body text here. " * 4
    >>> out = classify(["Big News Today", body, "Related Articles", "Some other story entirely"])
    >>> out.title, out.labels
    ('Big News Today', ['metadata', 'keep', 'related', 'related'])
    """
    # One compiled pass over the document: word counts, whether to squash, CJK, each line's rule triggers.
    blocks, lines = _scanned(texts, squashed)
    n = len(blocks)
    out = Labelled(texts=blocks, labels=[], rules=[])

    # 1. Fragments.
    _cut_fragments(blocks, out, lines)
    cjk = lines.cjk  # of the text before the cuts: a cut never adds such letters, and True is never wrong
    counts, masks = lines.counts, lines.masks
    for i in {pos for pos, _, _, _ in out.fragments}:  # a block that lost a fragment: scanned anew
        cut = scan(blocks[i], 1, MAX_JUNK_WORDS)
        counts[i], masks[i] = cut.counts[0], cut.masks[0]

    # 2. Shape, voice, patterns, site templates (short blocks only; an empty block counts 0 words). A block whose
    # scan shows no trigger of a rule allowed at its length gets no verdict without entering the rule chain.
    allowed = _ALLOWED
    verdicts = [
        line_verdict(t, w, m) if w <= MAX_JUNK_WORDS and m & allowed[w] else None
        for t, w, m in zip(blocks, counts, masks, strict=True)
    ]
    labels = out.labels = [hit[0] if hit else KEEP for hit in verdicts]
    out.ui_candidates = [i for i, m in enumerate(masks) if m & UI_HINT]
    rules = out.rules = [hit[1] if hit else "" for hit in verdicts]
    if "" in blocks:  # all of a block was cut out: it was what was cut ("Updated: 2020-07-21" is a date line)
        cut_as = {pos: reason for pos, _, reason, _ in reversed(out.fragments)}  # a block's first fragment
        for i, text in enumerate(blocks):
            if not text:
                labels[i], rules[i] = cut_as.get(i, "chrome"), "empty_after_fragments"

    # Content words, computed once and only for the blocks that need them.
    cw: list[set[str] | None] = [None] * n

    def words_of(i: int) -> set[str]:
        got = cw[i]
        if got is None:
            got = cw[i] = content_words(blocks[i], cjk=cjk)
        return got

    _join_boxes(blocks, labels, rules, counts, words_of)

    # Site templates: short lines recurring across unrelated documents of the corpus (before the title: a site's
    # name line recurs on every page of the site, and is never a story's title).
    if templates:  # blocks are squashed: line_key(text) is text.lower()
        for i in [i for i, w in enumerate(counts) if w <= 25 and labels[i] == KEEP and blocks[i].lower() in templates]:
            labels[i], rules[i] = "boilerplate", "recurring_template"

    # Title: the first heading-like block before the first paragraph.
    title_key = normalize(title_hint) if title_hint else None
    title_at = -1
    if title_hint:
        out.title = " ".join(title_hint.split())
    else:
        dated = {pos for pos, _, _, rule in out.fragments if rule == "leading_date"}
        for i, text in enumerate(blocks):
            if labels[i] != KEEP:
                continue
            if i in dated:  # "date … First sentence": the text starts with its body, no title line
                break
            if counts[i] >= PARAGRAPH_WORDS and not _title_like(text, counts[i]):
                break
            if _title_like(text, counts[i]) and any(labels[j] == KEEP for j in range(i + 1, n)):
                # A sentence broken over two lines is body, not a title: the next line goes on with
                # it in lower case (and is kept: longer than a lower-case label or an orphan line).
                if i + 1 < n and labels[i + 1] == KEEP and counts[i + 1] > 5 and _continues(blocks[i + 1]):
                    break
                # a line is a title only when a body follows it: a one-line text is its own body
                out.title = text
                title_key = normalize(text)
                labels[i], rules[i] = "metadata", "title"
                title_at = i
                break
    if title_key:
        keys = {title_key, normalize(strip_site_suffix(out.title or ""))}
        shortest = min(len(k) for k in keys)
        longest = max(len(k) for k in keys) + 80  # room for a " | Site name" suffix
        initial = _initial(out.title or "")
        # Cheap gates first: a repeat of the title has about its length and starts with its letter.
        for i in [i for i, text in enumerate(blocks) if shortest <= len(text) <= longest]:
            text = blocks[i]
            if labels[i] != KEEP or _initial(text) != initial:
                continue
            if normalize(text) in keys or normalize(strip_site_suffix(text)) in keys:
                labels[i], rules[i] = "dup_title", "repeats_title"

    # 3. Position: tail sections after the body has started.
    # The topic the article starts from: its title's words, whether a line or a hint gave the title.
    title_seen: list[set[str]] = []

    def title_words() -> set[str]:  # computed once, and only when a topic check needs it
        if not title_seen:
            title_seen.append(words_of(title_at) if title_at >= 0 else content_words(out.title or ""))
        return title_seen[0]

    _tail_sections(blocks, labels, rules, counts, words_of, title_words, out.replaced)

    # 4. Coherence: unrelated stories glued after the article.
    if glued_stories:
        _glued_stories(blocks, labels, rules, counts, words_of, title_words)

    # 5. Structure: tiny lower-case labels (not list items), orphans. Blocks the caller gives back face them too:
    # a second pass over the cleaned text would judge them (a given-back line may be the text's last).
    _structure(blocks, labels, rules, counts)
    if refine is not None or "call_to_action" in rules:
        before = labels[:]
        if refine is not None:
            refine(out)
        _article_sentences(blocks, labels, rules, prose)
        if labels != before:
            _structure(blocks, labels, rules, counts)

    # Fields from metadata lines.
    for i in [i for i, label in enumerate(labels) if label == "metadata"]:
        text = blocks[i]
        if out.author is None:
            out.author = _author_from(text, rules[i])
        if rules[i] in ("dateline", "date_line") and out.date is None:
            out.date = iso_date(text)
    return out


def _article_sentences(blocks: list[str], labels: list[str], rules: list[str], prose: Sequence[bool] | None) -> None:
    """Give back a call to action that reads as a sentence of the article.

    The call-to-action rule (a short block in the site's voice about a
    newsletter or an app) is for promos on their own: in an article that keeps
    other text, a block that reads as prose (``prose``, else
    :func:`~dedupe.clean.prose.reads_as_prose`) and does not open with an order
    to the reader ("Sign up …"), nor has a sentence that does, is an article's
    sentence about e-mail or apps ("So today, we're introducing Messenger, a
    new mobile app …", "What's your favorite mobile music app?" closing a post),
    wherever it sits; above the article's first kept block it must end as a
    sentence (a standfirst or a promo line there does not).
    """
    if KEEP not in labels:
        return
    first_kept = labels.index(KEEP)
    for k, rule in enumerate(rules):
        if (rule == "call_to_action" and (prose[k] if prose is not None else reads_as_prose(blocks[k]))
                and not gives_an_order(blocks[k])
                and (k > first_kept or ends_sentence(blocks[k]))):
            labels[k], rules[k] = KEEP, "article_sentence"


def _structure(blocks: list[str], labels: list[str], rules: list[str], counts: list[int]) -> None:
    """Tiny lower-case labels (not list items) and short orphan lines after the article's last paragraph."""
    n = len(blocks)
    in_list = _short_line_runs(blocks, labels, counts)
    for i in [i for i, w in enumerate(counts) if w <= 3 and labels[i] == KEEP and not in_list[i]]:
        text = blocks[i]
        if text == text.lower() and _all_cased(text) and not ends_sentence(text):
            labels[i], rules[i] = "chrome", "lowercase_fragment"
    # Orphans: short non-sentence lines after the last kept text that is not one (a line before a
    # closing list or a closing "29 November 2018 | 20 January 2019" line is still the article's).
    orphans = []
    for i in range(n - 1, -1, -1):  # from the end back to the last kept text that is not an orphan line
        if labels[i] == KEEP:
            if counts[i] > 5 or in_list[i] or ends_sentence(blocks[i]):
                break
            orphans.append(i)
    for i in orphans:
        labels[i], rules[i] = "chrome", "orphan_short_line"


_HEADING_VOCAB = frozenset(
    "related recommended stories story articles article posts news reads read reading picks popular trending "
    "topics topic miss missed like next also more headlines videos video coverage latest editor editors picks "
    "most from around further other similar suggested case don't miss top hot keep what this".split()
)


def _tail_sections(
    blocks: list[str],
    labels: list[str],
    rules: list[str],
    counts: list[int],
    words_of: WordsOf,
    title_words: Callable[[], set[str]],
    replaced: dict[int, tuple[str, str]],
) -> None:
    """Label the blocks after a tail marker ("Related Articles", "Comments", a tool directory, a footer).

    Every block after the marker takes the section's reason, until another
    marker opens another section. A marker other than a related heading is
    followed by short lines (comment widgets, tool names, footer links), so
    where a *story* begins inside such a section (a headline then a paragraph,
    or a paragraph) its topic decides: off the article's topic, it is a
    related story glued on and the section becomes ``related``; on topic, the
    marker was inside the article (a photo credit "© Reuters", a "Useful
    resources" sub-heading) and the article goes on. A block the section takes
    that had a label of its own keeps it in ``replaced``.
    """
    n = len(blocks)
    # Up to the first block labelled with a tail reason the loop below only counts body words.
    first = min((labels.index(reason) for reason in TAIL_REASONS if reason in labels), default=n)
    body_words = sum(counts[i] for i in range(first) if labels[i] == KEEP and counts[i] >= 8)
    section: str | None = None
    start = -1
    profile: set[str] | None = None
    unread: list[int] = []  # kept blocks before the section whose words the profile does not hold yet
    for i in range(first, n):
        label = labels[i]
        if section is None:
            if label in TAIL_REASONS and (
                body_words >= MIN_BODY_WORDS_BEFORE_TAIL
                or (label == "related" and body_words and _off_topic_after(i, blocks, labels, counts, words_of,
                                                                          title_words))
            ):
                if counts[i] <= 8 or label == "cms_footer":
                    if label == "related" and _heading_from_article(i, blocks, labels, words_of):
                        labels[i], rules[i] = KEEP, ""
                        body_words += counts[i]
                        continue
                    section, start, profile = label, i, None
                    continue
            if label == KEEP and counts[i] >= 8:
                body_words += counts[i]
            continue
        if label in TAIL_REASONS:
            section, start = label, i
            continue
        if label not in SECTION_OVERRIDES:
            continue
        if section != "related" and label == KEEP:
            para = _story_paragraph(i, blocks, labels, counts, short_head=section != "comments")
            if para >= 0:
                if profile is None:  # the title's words, then the kept blocks before the section as needed
                    profile = set(title_words())
                    unread = [j for j in range(start) if labels[j] == KEEP]
                listing = any(labels[j] == "metadata" for j in range(i + 1, para))  # headline, "5 minutes ago"
                # A headline makes a new story likely; a bare paragraph is the article's unless clearly not.
                limit = GLUED_MAX_SHARE if para > i else GLUED_MEAN_SHARE
                on_topic = False
                if not listing:
                    # Shares only grow with the profile: the blocks nearest the section are added until the
                    # share is over the limit or every block is in (then it is the share against all of them).
                    mine = words_of(para)
                    on_topic = share(mine, profile) > limit
                    while not on_topic and unread:
                        profile |= words_of(unread.pop())
                        on_topic = share(mine, profile) > limit
                # On topic after a short marker (a "© Reuters" credit, a "Useful resources" sub-heading):
                # the marker was inside the article, which goes on.
                if on_topic and (section == "directory" or (section == "cms_footer" and counts[start] <= 4)):
                    if i == start + 1 and rules[start] == "directory_heading":
                        labels[start], rules[start] = KEEP, ""  # it was a sub-heading
                    section = None
                    body_words += counts[i]
                    continue
                if not on_topic or section != "comments":  # comments may well be on topic
                    section = "related"
                    labels[i], rules[i] = section, "story_after_section"
                    continue
        if label != KEEP:
            replaced[i] = (label, rules[i])
        labels[i], rules[i] = section, f"after_{section}_heading"


def _story_paragraph(i: int, blocks: list[str], labels: list[str], counts: list[int], *, short_head: bool) -> int:
    """Where block ``i`` begins a story, the position of its first paragraph; else -1.

    A story is a paragraph, or a headline (title-shaped, not a sentence)
    followed by a paragraph with at most two short lines between them (a
    source name, "6 minutes ago"). Inside a comments section only a headline
    of four words or more counts: a commenter's name is not a headline, and a
    comment's own paragraph is a comment.
    """
    if counts[i] >= PARAGRAPH_WORDS:
        return -1 if not short_head else i
    if blocks[i].endswith(".") or not _title_like(blocks[i], counts[i]) or counts[i] < (2 if short_head else 4):
        return -1
    for j in range(i + 1, min(i + 4, len(blocks))):
        if labels[j] not in SECTION_OVERRIDES:
            return -1
        if counts[j] >= PARAGRAPH_WORDS:
            return j if labels[j] == KEEP else -1
        if counts[j] > 5:
            return -1
    return -1


def _off_topic_after(
    i: int, blocks: list[str], labels: list[str], counts: list[int], words_of: WordsOf,
    title_words: Callable[[], set[str]],
) -> bool:
    """Whether the paragraphs after a related heading at ``i`` are off the topic of the title and the text before it.

    After a short article (under :data:`MIN_BODY_WORDS_BEFORE_TAIL` body
    words) a related heading is not trusted by position alone: it may be a
    menu item above the article. It opens the tail when what follows it is
    another story: up to three paragraphs (headlines, bylines and other short
    lines between them skipped), each sharing at most
    :data:`GLUED_MAX_SHARE` of its content words with the article, or only
    short lines (a list of headlines) up to the next junk section or the end.
    """
    after = []
    for j in range(i + 1, len(blocks)):
        if labels[j] == KEEP and counts[j] >= PARAGRAPH_WORDS:
            after.append(j)
            if len(after) == 3:
                break
        elif labels[j] not in SECTION_OVERRIDES:
            break
    if not after:
        return True
    before = set(title_words())
    for j in range(i):
        if labels[j] == KEEP:
            before |= words_of(j)
    return all(share(words_of(j), before) <= GLUED_MAX_SHARE for j in after)


def _heading_from_article(i: int, blocks: list[str], labels: list[str], words_of: WordsOf) -> bool:
    """A weak related-looking heading ("More questions for …") followed by on-topic paragraphs is a sub-heading.

    Strong markers ("Related Articles", "Hot Topics") always open a tail.
    """
    if P.words_of(blocks[i].lower())[1] & P.RELATED_KEYS and P.STRONG_RELATED.search(blocks[i]):
        return False
    own = words_of(i) - _HEADING_VOCAB
    after = []  # up to three paragraphs right after the heading
    for j in range(i + 1, len(blocks)):
        if labels[j] != KEEP:
            break
        if len(blocks[j].split()) >= PARAGRAPH_WORDS:
            after.append(j)
            if len(after) == 3:
                break
    if not own and not after:  # nothing to hold against the article: its words are not needed
        return False
    # The article's words before the heading, nearest first: the heading's own share only grows as they are
    # added, so once it is half the heading is the article's, whatever the rest holds.
    before: set[str] = set()
    for j in range(i - 1, -1, -1):
        if labels[j] == KEEP:
            before |= words_of(j)
            if own and share(own, before) >= 0.5:
                return True
    shares = [share(words_of(j), before) for j in after]
    return bool(shares) and sum(shares) / len(shares) >= 0.25


def _glued_stories(
    blocks: list[str],
    labels: list[str],
    rules: list[str],
    counts: list[int],
    words_of: WordsOf,
    title_words: Callable[[], set[str]],
) -> None:
    """Label as ``related`` an off-topic story glued after the article's body.

    The story starts at a headline-like line after the lead and runs to the end
    of the kept text; each of its paragraphs shares few content words with the
    title and the body before the headline, and on average very few. It has
    no more words than the article's paragraphs before it: a glued story is
    an addition to a page, and a longer "story" without a related heading
    above it is the article going on with a section that drifts from its
    lead (or a page whose lead was lost). And the article's end is marked: a
    block removed between its last paragraph and the headline (a share row, a
    newsletter box, an ad). Drift alone does not tell a glued story from the
    article's own later section, and already-cleaned text holds no such mark:
    cleaning it again cuts no story that the first cleaning kept.
    """
    n = len(blocks)
    paras = [i for i in range(n) if labels[i] == KEEP and counts[i] >= PARAGRAPH_WORDS]
    if len(paras) < 3:
        return
    # The article's end is marked: a block removed since its last paragraph (a share row, a newsletter box).
    marked, since_para = [False] * n, False
    for i in range(paras[1] + 1, n):
        marked[i] = since_para
        if labels[i] != KEEP:
            since_para = True
        elif counts[i] >= PARAGRAPH_WORDS:
            since_para = False
    heads = [
        h
        for h in range(paras[1] + 1, n)
        if labels[h] == KEEP
        and marked[h]
        and 4 <= counts[h] < PARAGRAPH_WORDS
        and not blocks[h].endswith(".")
        and _title_like(blocks[h], counts[h])
    ]

    if not heads:
        return
    # Kept short lines, as ``paras`` holds kept paragraphs: how many follow a position is a bisection.
    lines = [i for i in range(heads[0] + 1, n) if labels[i] == KEEP and counts[i] < PARAGRAPH_WORDS]

    def shaped_like_story(h: int) -> bool:  # a headline, then 1-6 paragraphs to the end, few other lines
        run = len(paras) - bisect_right(paras, h)
        return 1 <= run <= 6 and len(lines) - bisect_right(lines, h) <= run

    heads = [h for h in heads if shaped_like_story(h)]
    if not heads:
        return
    profile: set[str] = set()  # the title's and the lead's words (once a headline needs them), then more
    started = False
    seen = paras[1]  # the profile holds the kept blocks up to here
    own: list[float] = []  # the article's own paragraphs after the lead: their share of what came before

    def ruled_out(h: int, run: list[int]) -> bool:
        """Whether a share of headline ``h`` or of a paragraph after it is over its limit against part of the article.

        Shares only grow with the profile, so a share over its limit against part of the article stays
        over it against all of it: such a headline is passed over before the article's content words are
        all computed. The paragraphs nearest the headline (those an on-topic continuation shares most
        with) are added first.
        """

        def over(known: set[str]) -> bool:
            return share(words_of(h), known) > 0.34 or any(share(words_of(p), known) > GLUED_MAX_SHARE for p in run)

        if over(profile):
            return True
        probe = set(profile)
        for j in range(h - 1, seen, -1):
            if labels[j] == KEEP and counts[j] >= PARAGRAPH_WORDS:
                probe |= words_of(j)
                if over(probe):
                    return True
        return False

    for h in heads:
        run = paras[bisect_right(paras, h) :]
        # Both checks only pass a headline over; the one without content words goes first.
        if sum(counts[p] for p in run) > sum(counts[p] for p in paras if p < h):
            continue  # longer than the article before it: the article's own drifting section, not a glued story
        if not started:
            started = True
            profile |= title_words()
            for p in paras[:2]:
                profile |= words_of(p)
        if ruled_out(h, run):
            continue
        for j in range(seen + 1, h):
            if labels[j] == KEEP:
                if counts[j] >= PARAGRAPH_WORDS:
                    own.append(share(words_of(j), profile))
                profile |= words_of(j)
        seen = h - 1
        if share(words_of(h), profile) > 0.34:
            continue
        shares = [share(words_of(p), profile) for p in run]
        # An article whose own sections drift (a listicle) must be drifted from by much more.
        limit = min(GLUED_MEAN_SHARE, 0.5 * sorted(own)[len(own) // 2]) if len(own) >= 2 else GLUED_MEAN_SHARE
        if max(shares) <= GLUED_MAX_SHARE and sum(shares) / len(shares) <= limit:
            for i in range(h, n):
                if labels[i] in (KEEP, "metadata", "dup_title", "caption", "chrome"):
                    labels[i], rules[i] = "related", "glued_story"
            return


def _short_line_runs(blocks: list[str], labels: list[str], counts: list[int]) -> list[bool]:
    """Whether each block is in a run of three or more short kept lines (a list: content, not chrome)."""
    n = len(blocks)
    out = [False] * n
    i = 0
    while i < n:
        if labels[i] == KEEP and counts[i] <= 8:
            j = i
            while j < n and labels[j] == KEEP and counts[j] <= 8:
                j += 1
            if j - i >= 3:
                for k in range(i, j):
                    out[k] = True
            i = j
        else:
            i += 1
    return out


def _join_boxes(
    blocks: list[str], labels: list[str], rules: list[str], counts: list[int], words_of: WordsOf
) -> None:
    """A short imperative line touching a junk box ("Stay in the know", "Join now") is part of it.

    Unless it speaks of the article (shares a content word with it) and is longer than a button.
    """
    n = len(blocks)
    # The lines next to a box, in order; a line that joins a box makes the line after it one more.
    todo = sorted({j for p, label in enumerate(labels) if label in BOX_REASONS for j in (p - 1, p + 1) if 0 <= j < n})
    entry = labels[:]  # lists (runs of short lines) are judged on the labels before any line joins a box
    in_list: list[bool] = []  # computed at the first short kept line next to a box
    article: set[str] | None = None
    unread: list[int] = []
    k = 0
    while k < len(todo):
        i = todo[k]
        k += 1
        if labels[i] != KEEP or counts[i] > 8:
            continue
        if not in_list:
            in_list = _short_line_runs(blocks, entry, counts)
        if in_list[i]:
            continue
        neighbours = [labels[j] for j in (i - 1, i + 1) if 0 <= j < n and labels[j] in BOX_REASONS]
        if not neighbours:
            continue
        first, toks = P.words_of(blocks[i].lower())
        box_word = counts[i] <= 3 and bool(toks & (P.NEWSLETTER_NOUN_KEYS | P.APP_NOUN_KEYS))
        if not box_word and not _imperative(blocks[i], first):
            continue
        if counts[i] > 4 and not box_word:
            if article is None:  # the article's paragraphs, their words added only until one is shared
                article, unread = set(), [j for j in range(n) if labels[j] == KEEP and counts[j] >= PARAGRAPH_WORDS]
                unread.reverse()
            mine = words_of(i)
            while unread and mine.isdisjoint(article):
                article |= words_of(unread.pop())
            if not mine.isdisjoint(article):
                continue
        # Between two boxes, a button ("Join now", "Accept") closes the box above it; a longer line
        # ("Stay in the know") heads the box below it.
        labels[i], rules[i] = neighbours[0 if counts[i] <= 2 else -1], "joins_box"
        if i + 1 < n and (k == len(todo) or todo[k] != i + 1):
            todo.insert(k, i + 1)
