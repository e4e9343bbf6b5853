"""The DOM pass of HTML cleaning: one iterative walk, blocks, and the main container.

:func:`page_blocks` walks a parsed page once, in document order, with an
explicit stack (no recursion: a page nested 100,000 deep costs memory, not
the interpreter's stack). It skips what is never text (scripts, styles,
forms' controls, hidden elements) and cuts the text into *blocks* at
block-level elements. Each block remembers the innermost element it sits in,
how much of it is link text, and the elements are numbered in pre-order with
their subtree's end, so "is this element inside that one" is two compares.

:func:`main_content` then finds the article container. *Good* blocks are
sentence-like with few links and sit outside junk widgets; rows of data
tables and list items without links weigh nothing; everything else is *bad*. A readability-style local score (good blocks score their near
ancestors, discounted by the element's share of bad text, with a bonus for
class/id names that say "article body" and for ``itemprop=articleBody``)
picks the top element, which then extends to the ancestor holding the most
good text net of bad, plus siblings that score nearly as well. Blocks
inside it survive unless they sit in a junk widget below it (class/id hint
or a tag such as ``nav``; author boxes and post metadata lines count only
there, not when the container is chosen) or are mostly links (a web address written out as its own
line is a source the article cites, not a link list); every other block is reported
with the reason it went. Body paragraphs between the headline and the
container (a lead set apart from the body) join it, and a photo post
keeps its captions.

>>> from selectolax.lexbor import LexborHTMLParser
>>> html = ('<body><nav><a href="/">Home</a> <a href="/w">World</a></nav>'
...         '<div class="story-body"><p>' + 'The river rose overnight, and the town woke to water. ' * 3 +
...         '</p><div class="share-tools"><a href="#">Share</a></div><p>Officials said repairs would take weeks.</p>'
...         '</div><div class="comments"><p>' + 'I think this is a long comment about it all. ' * 5 + '</p></div></body>')
>>> page = page_blocks(LexborHTMLParser(html).body)
>>> [b.text[:30] for b in page.blocks]
['Home World', 'The river rose overnight, and ', 'Share', 'Officials said repairs would t', 'I think this is a long comment']
>>> main = main_content(page)
>>> [(page.blocks[i].text[:20], why) for i, why in main.decisions]
[('Home World', 'chrome'), ('The river rose overn', None), ('Share', 'share'), ('Officials said repai', None), ('I think this is a lo', 'comments')]
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import regex
from selectolax.lexbor import LexborNode

from .patterns import COMMENTS as COMMENTS_HEADING
from .prose import PROSE_END as _SENTENCE_END
from .prose import reads_as_prose

#: Elements that end the current block and start a new one.
BLOCK_TAGS = frozenset(
    "p div section article main header footer nav aside h1 h2 h3 h4 h5 h6 li ul ol dl dt dd "
    "blockquote pre table tbody thead tfoot tr td th caption figure figcaption br hr address "
    "details summary form fieldset legend center menu dialog body html".split()
)
#: Elements whose subtree never holds article text.
SKIP_TAGS = frozenset(
    "script style noscript template svg iframe object embed canvas head title meta link "
    "select option input textarea button video audio picture img map math source track".split()
)
#: ARIA landmark roles of page chrome.
LANDMARK_ROLES = frozenset(("navigation", "banner", "contentinfo", "complementary"))
#: Table cells: a block only when they hold block elements themselves (layout tables).
CELL_TAGS = frozenset(("td", "th"))
CELL_BLOCKS = "p, div, table, ul, ol, li, br, h1, h2, h3, h4, h5, h6, blockquote, pre, section, article"
HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6".split())
#: Tags that name a page widget by themselves, with the removal reason.
JUNK_TAGS = {"header": "chrome", "figcaption": "caption", "nav": "chrome", "aside": "related", "footer": "chrome", "menu": "chrome", "dialog": "chrome"}

#: class/id fragments naming junk widgets, mapped to the removal reason (first match wins).
HINTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (reason, re.compile(pattern, re.I))
    for reason, pattern in (
        ("comments", r"comment(?!ary)|disqus|(^|[-_ ])(respond|replies|reply)([-_ ]|$)"),
        ("related", r"related|recommend|more-?stories|read-?more|read-?next|also-?read|outbrain|taboola"
                    r"|trending|popular|most-?read|(^|[-_ ])(teaser|promo)s?([-_ ]|$)"),
        ("share", r"(^|[-_ ])(share|shares|sharing|social|sociable|sharebar|share-?tools|facebook)([-_ ]|$)|sharedaddy|addthis|socialize"),
        ("newsletter", r"newsletter|subscribe|subscription|signup|sign-up"),
        ("ad", r"(^|[-_ ])(ad|ads|adv|advert|advertisement|sponsor|sponsored|dfp|gpt|banner)([-_ ]|$)"
               r"|advert|adslot|ad-?container|ad-?wrapper"),
        ("chrome", r"cookie|consent|breadcrumb|(^|[-_ ])(nav|navbar|navigation|menu|masthead|site-?header"
                   r"|topbar|sidebar|footer|skip|toolbar|pagination|pager)([-_ ]|$)|modal|popup|paywall"),
        ("caption", r"caption|(^|[-_ ])(credit|credits)([-_ ]|$)"),
        ("metadata", r"author[-_]?(bio|box|info|desc|description|profile|details|card|dropdown|popup|popover"
                     r"|tooltip)|about[-_]?(the[-_]?)?author|postauthor|bio[-_]?box|(^|[-_ ])(mini|short)?bio(-?block)?([-_ ]|$)"
                     r"|post[-_]?meta(data)?|entry[-_]?meta|post[-_]?tags|entry[-_]?tags"
                     r"|entry[-_]?utility|tags[-_]?meta|(^|[-_ ])(metadata|labels|tags|post-?details)([-_ ]|$)"),
    )
)
_ANY_HINT = re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern in HINTS), re.I)
#: class/id fragments that say "this is the article body".
POSITIVE = re.compile(
    r"article|(^|[-_ ])(body|content|entry|main|post|story|text|blog)([-_ ]|$)|articlebody|storybody|postbody"
    r"|entry-?content|post-?content|article-?content|story-?content",
    re.I,
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


#: Class names that file a post under a topic ("category-social-media", "tag-promo",
#: TypePad's "entry-category-…"): they name what the post is about, never a widget.
_TAXONOMY = re.compile(r"(?:^|\s)(?:entry-|post_)?(?:category|tag)-\S*", re.I)


def without_taxonomy(label: str) -> str:
    """``label`` without the topic classes blog engines put on a post.

    >>> without_taxonomy("post-7 post hentry category-food-promo tag-social entry")
    'post-7 post hentry entry'
    """
    if "category-" not in label and "tag-" not in label:
        return label
    return " ".join(_TAXONOMY.sub(" ", label).split())


@lru_cache(maxsize=65536)
def hint_reason(label: str) -> str | None:
    """The junk reason a class/id string names, or None (topic classes aside: :func:`without_taxonomy`).

    >>> hint_reason("story-body"), hint_reason("social-share"), hint_reason("ad-slot top")
    (None, 'share', 'ad')
    >>> hint_reason("comments-area"), hint_reason("shadow-header")
    ('comments', None)
    >>> hint_reason("sect_article news subjective commentary")  # an opinion column, not reader comments
    >>> hint_reason("entry-category-social_media entry-type-post entry")
    """
    if not _ANY_HINT.search(label):  # one search for the common case
        return None
    label = without_taxonomy(label)
    for reason, pattern in HINTS:
        if pattern.search(label):
            return reason
    return None


@lru_cache(maxsize=65536)
def positive_hint(label: str) -> bool:
    """Whether a class/id string names the article body.

    >>> positive_hint("entry-content"), positive_hint("sidebar")
    (True, False)
    """
    return bool(POSITIVE.search(without_taxonomy(label)))


@dataclass(slots=True)
class DomBlock:
    """A run of text between block-level boundaries."""

    text: str
    link_chars: int
    tag: str
    """The innermost block-level tag around the text (``p``, ``h2``, ``li``, ``div`` …)."""
    element: int
    """Pre-order number of the innermost element holding the text."""

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0


@dataclass
class Page:
    """The blocks of a page and its element tree (pre-order numbered)."""

    blocks: list[DomBlock] = field(default_factory=list)
    parent: list[int] = field(default_factory=list)
    end: list[int] = field(default_factory=list)
    """``end[e]``: one past the last pre-order number inside element ``e``."""
    junk: list[str | None] = field(default_factory=list)
    """The junk reason an element names by its tag or class/id (not inherited)."""
    labels: list[str] = field(default_factory=list)
    """class and id of each element, joined (``itemprop=articleBody`` adds ``articleBody``)."""
    tags: list[str] = field(default_factory=list)
    max_depth: int = 0

    def inside(self, element: int, container: int) -> bool:
        """Whether ``element`` is ``container`` or inside it."""
        return container <= element < self.end[container]


def page_blocks(root: LexborNode) -> Page:
    """Walk ``root`` once (iteratively) and cut its visible text into blocks."""
    page = Page()
    parent, end, junk, labels, tags = page.parent, page.end, page.junk, page.labels, page.tags
    blocks = page.blocks
    parts: list[str] = []
    link_chars = 0
    link_depth = 0
    stack: list[int] = []  # open elements (pre-order numbers)
    nodes: list[LexborNode] = []  # the same open elements
    is_block: list[bool] = []  # per element: whether it starts and ends a block
    block_tag: list[str] = []  # innermost block tag per open element

    def flush() -> None:
        nonlocal link_chars
        text = " ".join("".join(parts).split())
        if text:
            blocks.append(DomBlock(text, min(link_chars, len(text)), block_tag[-1], stack[-1]))
        parts.clear()
        link_chars = 0

    node: LexborNode = root
    while True:
        tag = node.tag
        if tag == "-text":
            text = node.text_content
            if text:
                parts.append(text)
                if link_depth:
                    link_chars += len(text.strip())
        elif tag and tag[0] != "-" and tag not in SKIP_TAGS:
            attrs = node.attributes
            style = attrs.get("style")
            hidden = (
                "hidden" in attrs
                or (style is not None and ("none" in style or "hidden" in style) and _HIDDEN_STYLE.search(style) is not None)
                or (attrs.get("aria-hidden") or "").lower() == "true"
            )
            if not hidden:
                block = tag in BLOCK_TAGS
                if tag in CELL_TAGS and node.css_first(CELL_BLOCKS) is None:
                    block = False  # a data cell: one row of a table is one block, cells split by spaces
                    parts.append(" ")
                if block and parts:
                    flush()
                # open the element
                cls, ident = attrs.get("class"), attrs.get("id")
                label = f"{cls} {ident}" if cls and ident else (cls or ident or "")
                reason = JUNK_TAGS.get(tag)  # class/id hints are read after the walk, where text is
                if reason is None and attrs.get("role") in LANDMARK_ROLES:
                    reason = "chrome"
                if attrs.get("itemprop") == "articleBody":
                    label += " articleBody"
                index = len(parent)
                parent.append(stack[-1] if stack else -1)
                end.append(index + 1)
                junk.append(reason)
                labels.append(label)
                tags.append(tag)
                is_block.append(block)
                block_tag.append(tag if block or not block_tag else block_tag[-1])
                if tag == "a":
                    link_depth += 1
                child = node.child
                if child is not None:
                    stack.append(index)
                    nodes.append(node)
                    if len(nodes) > page.max_depth:
                        page.max_depth = len(nodes)
                    node = child
                    continue
                # an empty element closes at once
                block_tag.pop()
                if tag == "a":
                    link_depth -= 1
        # move to the next sibling, climbing (and closing elements) while there is none
        while nodes:
            nxt = node.next
            if nxt is not None:
                node = nxt
                break
            node = nodes.pop()
            index = stack[-1]
            if is_block[index]:
                if parts:
                    flush()
            elif tags[index] in CELL_TAGS:
                parts.append(" ")
            stack.pop()
            block_tag.pop()
            end[index] = len(parent)
            if tags[index] == "a":
                link_depth -= 1
        else:
            break
    if parts and stack:
        flush()
    # class/id hints only matter for elements that hold text: read those (most elements hold none)
    holds_text = [False] * len(parent)
    for text_block in blocks:
        e = text_block.element
        while e >= 0 and not holds_text[e]:
            holds_text[e] = True
            e = parent[e]
    for e, label in enumerate(labels):
        if label and holds_text[e] and junk[e] is None:
            junk[e] = hint_reason(label)
    return page


@dataclass
class Main:
    """The chosen container and a decision per block: None (keep) or the removal reason."""

    container: int
    decisions: list[tuple[int, str | None]]
    rules: dict[int, str] = field(default_factory=dict)


#: A block that is one web address: a source the article cites, written out, not a link list.
_BARE_URL = re.compile(r"(?:https?://|www\.)\S+$", re.I)
#: Score multiplier for containers whose class/id names the article body.
POSITIVE_BONUS = 2.0
#: A block this link-dense is a link list, not text.
MAX_LINK_DENSITY = 0.8


def is_body_paragraph(block: DomBlock) -> bool:
    """Whether a block reads like article text: few links, no heading, and :func:`~dedupe.clean.prose.reads_as_prose`.

    >>> is_body_paragraph(DomBlock("The mayor said the bridge would reopen in May.", 0, "p", 0))
    True
    >>> is_body_paragraph(DomBlock("Home News Sport Weather", 23, "li", 0))
    False
    >>> is_body_paragraph(DomBlock("一波波接續性低溫寒流報到 已將新竹尖石鄉後山一帶層層山巒披上嫣紅的彩衣", 0, "div", 0))
    True
    """
    return block.link_density <= 0.3 and block.tag not in HEADING_TAGS and reads_as_prose(block.text)


#: The mean line length (characters) of a hard-wrapped paragraph: shorter lines are an address, a list, a poem.
WRAPPED_LINE_CHARS = 40
#: The shortest line but the last of a hard-wrapped paragraph: a shorter one is a label over a paragraph ("TED@London").
WRAPPED_SHORTEST = 20
#: How a line that closes a sentence or a label ends; a hard wrap breaks at any word, and half its lines at least end
#: without one.
_LINE_END = regex.compile(r"[.!?…:;\"”'’)\]。！？]\s*$")


def body_blocks(blocks: list[DomBlock]) -> list[bool]:
    """:func:`is_body_paragraph` of every block, a paragraph cut into lines judged whole.

    A paragraph hard-wrapped with ``<br>`` (an org-mode or e-mail export, a poem, an address) is one block
    per line, and its lines are too short to read as sentences one by one. Blocks in a row that sit in the
    same element (nothing but line breaks between them) are judged together: when their text joined is a body
    paragraph, every line of it is one.

    >>> lines = ["Advice came to Emacs lisp in the summer of 1994, when module", "advice.el shipped as part",
    ...          "of Emacs 19.23, and a colleague wrote up a simple example."]
    >>> body_blocks([DomBlock(t, 0, "p", 7) for t in lines] + [DomBlock("Home", 4, "li", 9)])
    [True, True, True, False]
    >>> body_blocks([DomBlock("Wilhelm-Holtz-Straße 9", 0, "p", 3), DomBlock("17489 Greifswald", 0, "p", 3)])
    [False, False]
    """
    good = [is_body_paragraph(b) for b in blocks]
    start = 0
    for k in range(1, len(blocks) + 1):
        if k < len(blocks) and blocks[k].element == blocks[start].element:
            continue
        if k - start > 1 and not all(good[start:k]):
            run = blocks[start:k]
            whole = DomBlock(" ".join(b.text for b in run), sum(b.link_chars for b in run), run[0].tag,
                             run[0].element)
            if (len(whole.text) >= WRAPPED_LINE_CHARS * len(run) and _SENTENCE_END.search(whole.text)
                    and all(len(b.text) >= WRAPPED_SHORTEST for b in run[:-1])
                    and 2 * sum(_LINE_END.search(b.text) is None for b in run[:-1]) > len(run) - 1
                    and is_body_paragraph(whole)):
                good[start:k] = [True] * (k - start)
        start = k
    return good


def _sum_up(page: Page, values: list[float]) -> list[float]:
    """Per-element totals of per-element values over each subtree (in place)."""
    parent = page.parent
    for e in range(len(values) - 1, 0, -1):  # children come after their parent in pre-order
        p = parent[e]
        if p >= 0:
            values[p] += values[e]
    return values


#: A junk-named element holding this share of the page's good text is the page, not a widget
#: ("ArticlePage-content paywall", "Page-ad-margins"); comment sections must hold more to count.
WRAPPER_SHARE = {"comments": 0.85}
DEFAULT_WRAPPER_SHARE = 0.5
#: The most body text (characters) a widget of these reasons holds: a caption is a sentence or two, so a
#: caption-named element holding more is a wrapper (``<p class="caption">`` around a post's long intro).
MAX_WIDGET_TEXT = {"caption": 400.0}
#: A junk-named element holding the page's headline and this share of its good text is the article (lostiempos's
#: ``<article class="node-noticia … paywall…">``, whose text a teaser list repeats, so it holds under half the page's).
HEADLINED_SHARE = 0.25
#: Tags that are a widget whatever share of the page's text they hold (a sidebar of teasers can
#: outweigh a short article), unless they hold the page's headline (a post marked up as ``<aside>``).
WIDGET_TAGS = frozenset(JUNK_TAGS)


#: Reasons of widgets that only go from inside the chosen container (an author box, the "Posted in … |
#: Tags: …" line under a post): their text still counts for the container, as the post's own.
INNER_REASONS = frozenset(("metadata",))


def _nearest_junk(page: Page, raw_good: list[float], anchor: int = -1) -> list[int]:
    """For every element, the nearest element at or above it that names junk (-1 if none).

    Junk-named elements that wrap most of the page's good text do not count,
    nor do elements whose class/id names junk that hold ``anchor``, the page's
    headline, and :data:`HEADLINED_SHARE` of the good text; elements whose tag
    names the widget (:data:`WIDGET_TAGS`) count unless they hold the headline. Nor do the widgets of
    :data:`INNER_REASONS` (:func:`_nearest_inner` finds those).
    """
    total = raw_good[0] if raw_good else 0.0
    nearest = [-1] * len(page.parent)
    for e, (p, reason) in enumerate(zip(page.parent, page.junk, strict=True)):
        if reason is not None and reason not in INNER_REASONS and (
            raw_good[e] < WRAPPER_SHARE.get(reason, DEFAULT_WRAPPER_SHARE) * total
            and raw_good[e] <= MAX_WIDGET_TEXT.get(reason, total)
            and not (page.tags[e] not in WIDGET_TAGS and anchor >= 0 and page.inside(anchor, e)
                     and raw_good[e] >= HEADLINED_SHARE * total)
            or (page.tags[e] in WIDGET_TAGS and not (anchor >= 0 and page.inside(anchor, e)))
        ):
            nearest[e] = e
        else:
            nearest[e] = nearest[p] if p >= 0 else -1
    return nearest


def _nearest_inner(page: Page, raw_good: list[float]) -> list[int]:
    """For every element, the nearest element at or above it that names a widget of :data:`INNER_REASONS`
    (-1 if none); as in :func:`_nearest_junk`, one holding most of the page's good text is no widget."""
    total = raw_good[0] if raw_good else 0.0
    nearest = [-1] * len(page.parent)
    for e, (p, reason) in enumerate(zip(page.parent, page.junk, strict=True)):
        if reason in INNER_REASONS and raw_good[e] < DEFAULT_WRAPPER_SHARE * total:
            nearest[e] = e
        else:
            nearest[e] = nearest[p] if p >= 0 else -1
    return nearest


def _areas(page: Page, is_good: list[bool], nearest: list[int], good: list[float], bad: list[float],
           waste: list[float], anchor: int = -1) -> list[int]:
    """The article container and its siblings that hold article text too.

    The top element is found by a readability-style local score (each good
    block scores its parent fully, its grandparent half, further ancestors
    less), discounted by the share of bad text; it then extends to the
    ancestor (up to :data:`CLIMB_LEVELS` up) with the most good text net of
    :data:`CLIMB_BAD_WEIGHT` times the ``waste``, the bad text outside good
    blocks (articles split into columns; a paragraph's own links are no waste);
    siblings scoring at least :data:`SIBLING_SHARE` of it join, and so do
    siblings with the same class/id as the container or its parent
    (:func:`_module_siblings`: NYT's lead in an ``articleBody`` of its own, a
    page builder's repeated text modules) unless the headline ``anchor`` sits between them.
    """
    n = len(page.parent)
    parent = page.parent
    local = [0.0] * n
    for block, ok in zip(page.blocks, is_good, strict=True):
        if not ok or nearest[block.element] >= 0:
            continue
        score = 1.0 + min(MAX_COMMAS, block.text.count(",")) + min(3.0, len(block.text) / 100)
        # text loose in a container scores the container; a paragraph scores its parent
        e = block.element if page.tags[block.element] in LOOSE_TEXT_HOLDERS else parent[block.element]
        level = 0
        while e >= 0 and level < LEVELS:
            local[e] += score if level == 0 else score / 2 if level == 1 else score / (3 * level)
            e = parent[e]
            level += 1
    final = [0.0] * n
    for e in range(n):
        if local[e] > 0:
            total = good[e] + bad[e]
            density = bad[e] / total if total else 0.0
            bonus = POSITIVE_BONUS if page.labels[e] and positive_hint(page.labels[e]) else 1.0
            final[e] = local[e] * (1.0 - density) * bonus
    if anchor >= 0:  # elements holding the page's headline hold its article, more likely than not
        e = parent[anchor]
        while e >= 0:
            final[e] *= TITLE_BONUS
            e = parent[e]
    top = max(range(n), key=lambda e: (final[e], -e))
    while page.tags[top] in PART_TAGS and parent[top] >= 0:
        top = parent[top]  # a quote or a list is part of an article, not the article
    # extend to the ancestor that holds the most good text net of bad (content split in columns)
    best_score = good[top] - CLIMB_BAD_WEIGHT * waste[top]
    e, level, limit = parent[top], 0, _climb_limit(page, top, anchor)
    while e >= 0 and level < limit:
        score = good[e] - CLIMB_BAD_WEIGHT * waste[e]
        if score > best_score:
            top, best_score = e, score
        e = parent[e]
        level += 1
    areas = [top]
    p = parent[top]
    if p >= 0:
        threshold = max(3.0, SIBLING_SHARE * final[top])
        areas.extend(e for e in range(p + 1, page.end[p]) if parent[e] == p and e != top and final[e] >= threshold)
    # siblings named like the container (NYT's lead in an "articleBody" of its own) or like its parent
    areas.extend(e for e in _module_siblings(page, top, good, nearest, anchor) if e not in areas)
    return areas


#: How many levels above the container a CMS's repeated text module may sit (the container, its parent).
MODULE_LEVELS = 2


def _module_siblings(page: Page, top: int, good: list[float], nearest: list[int], anchor: int) -> list[int]:
    """Siblings of the container ``top``, or of its parent, with the same class/id that hold good text.

    Page builders cut an article into repeated modules (Greenpeace's ``TextMedia`` blocks, one per section,
    with teaser lists and a donation form between them); the container vote picks one module, and the climb
    stops below the wrapper because of what sits between them. A sibling module named exactly like the
    container's element (or its parent's, :data:`MODULE_LEVELS`), outside junk widgets, holding good text,
    and not separated from it by the headline ``anchor``, is more of the article.
    """
    found: list[int] = []
    x = top
    for _ in range(MODULE_LEVELS):
        p = page.parent[x]
        if p < 0:
            break
        name = page.labels[x]
        if name and nearest[x] < 0:
            found.extend(e for e in range(p + 1, page.end[p])
                         if page.parent[e] == p and e != x and page.labels[e] == name and good[e] > 0
                         and nearest[e] < 0 and not _heads(page, anchor, e, x))
        x = p
    return found


def _climb_limit(page: Page, top: int, anchor: int) -> int:
    """How many levels above ``top`` the container may extend: :data:`CLIMB_LEVELS`, or as far as the nearest
    ancestor holding the headline ``anchor`` when that is higher (at most :data:`FAR_CLIMB_LEVELS`).

    An article cut into many sibling sections under its headline is all of them, however deep the markup
    nests them (a think tank's report in one ``div.media`` per section, an interview in an accordion below).
    """
    if anchor < 0 or page.inside(anchor, top):
        return CLIMB_LEVELS
    _, level = _holding(page, top, anchor)
    return min(FAR_CLIMB_LEVELS, max(CLIMB_LEVELS, level))


def _heads(page: Page, anchor: int, first: int, second: int) -> bool:
    """Whether the headline ``anchor`` sits between elements ``first`` and ``second`` (either order) and in
    neither: the one before it is not the article under it."""
    lo, hi = min(first, second), max(first, second)
    return anchor >= page.end[lo] and anchor < hi


#: Ancestors a good block scores (readability's 5).
LEVELS = 5
#: Elements whose own loose text (not wrapped in a paragraph) is scored as theirs.
LOOSE_TEXT_HOLDERS = frozenset(("div", "section", "article", "main", "td", "body", "center", "form"))
#: Elements that hold a part of an article (a quote, a list, a table), never all of it.
PART_TAGS = frozenset(("blockquote", "ul", "ol", "li", "dl", "table", "tbody", "tr", "pre"))
#: Commas a block scores at most (readability scores each; address lines abuse it).
MAX_COMMAS = 3.0
#: How far above the top element the container may extend, and the weight of bad text then.
CLIMB_LEVELS = 6
CLIMB_BAD_WEIGHT = 2.5
#: How far the climb may go when the page's headline is outside the top element: up to the headline's ancestor.
FAR_CLIMB_LEVELS = 12
#: Score multiplier for the ancestors of the heading that states the page's title.
TITLE_BONUS = 1.5
#: A sibling of the container joins it when it scores this share of the container.
SIBLING_SHARE = 0.2


def _title_anchors(page: Page, title: str | None) -> list[int]:
    """The elements of every block that is ``title`` or a heading that states it; failing those, of the page's
    only ``<h1>`` (:func:`_sole_h1`)."""
    if not title:
        return []
    key = " ".join(title.lower().split())
    found = []
    for block in page.blocks:
        if len(block.text) >= 8:
            text = block.text.lower()
            if text == key or (block.tag in HEADING_TAGS and len(text) >= 20 and (text in key or key in text)):
                found.append(block.element)
    if not found:
        h1 = _sole_h1(page)
        return [h1] if h1 >= 0 else []
    return found


def _sole_h1(page: Page) -> int:
    """The element of the page's only ``<h1>``, when its text has two words or more (-1 if there is none or more
    than one).

    The ``<title>`` a page declares does not always state the headline it shows ("SimplyScience - Wie entsteht
    Erdöl?" over "Wie entsteht Erdöl?", a shortened or reworded SEO title); a page's one ``<h1>`` is its headline.
    """
    found, words = -1, 0
    for block in page.blocks:
        if block.tag == "h1":
            if found >= 0 and block.element != found:
                return -1
            found, words = block.element, block.text.count(" ") + 1
    return found if words >= 2 else -1


#: The post under the headline replaces a container elsewhere when it holds this share of the container's text.
REGION_SHARE = 0.3
#: Below this much good text in the chosen container (characters), short prose lines count for the post too.
TEXTY_BELOW = 500.0


def _texty(block: DomBlock) -> bool:
    """A short line of prose: a few words, few links, not a heading (a short post's body)."""
    return block.link_density < 0.3 and block.tag not in HEADING_TAGS and block.text.count(" ") >= 3


def _title_region(page: Page, headlines: list[int], areas: list[int], is_good: list[bool], good: list[float],
                  nearest: list[int]) -> int:
    """The post under the page's headline (``headlines``: :func:`_title_anchors`) when the container chosen is
    elsewhere, or -1.

    Short posts lose the container vote to a sidebar blurb ("About me", a
    widget): when no heading that states the title sits in or heads the
    chosen container, the nearest ancestor of such a heading that holds
    text after it is the post, if it holds :data:`REGION_SHARE` of the
    container's good text (short prose lines count when the container is
    small too). Headings inside comments or related lists do not count, nor
    does a heading whose text first reaches an element more than
    :data:`LEAD_LEVELS` above the container (a site tagline in the page's
    header that the ``<title>`` repeats heads the whole page, not the container),
    nor a ``<header>`` holding the headline and no more text than the container (the
    article's own header, its standfirst: the story is the container under it).
    """
    anchors = [x for x in headlines if nearest[x] < 0 or page.junk[nearest[x]] not in ("comments", "related")]
    if not anchors or any(page.inside(x, a) for x in anchors for a in areas):
        return -1
    top = areas[0]
    ours = sum(good[a] for a in areas)
    texty = ours < TEXTY_BELOW
    best, best_raw = -1, 0.0
    for anchor in anchors:
        # good text after the headline, per element, ignoring junk names (the post may sit in a "social" wrapper)
        raw = [0.0] * len(page.parent)
        for block, ok in zip(page.blocks, is_good, strict=True):
            if block.element > anchor and (ok or (texty and _texty(block))):
                raw[block.element] += len(block.text) - block.link_chars
        _sum_up(page, raw)
        e = page.parent[anchor]
        while e >= 0 and raw[e] <= 0 and not page.inside(top, e):
            e = page.parent[e]
        if e >= 0 and page.inside(top, e):
            if _levels_up(page, top, e) <= LEAD_LEVELS:
                return -1  # a headline that heads the chosen container: the choice stands
            continue  # a heading in the site's header (the title's tagline part) heads the whole page
        if e >= 0 and raw[e] <= ours and nearest[e] >= 0 and page.tags[nearest[e]] == "header":
            continue  # the headline's own <header> (its standfirst) with less text than the container: no post
        if e >= 0 and raw[e] > best_raw:
            best, best_raw = e, raw[e]
    if best < 0:
        return -1
    share = NAMED_POST_SHARE if _names_post(page, best, top) else REGION_SHARE
    return best if best_raw >= share * ours else -1


def _levels_up(page: Page, element: int, ancestor: int) -> int:
    """How many levels ``ancestor`` sits above ``element`` (0 when they are the same)."""
    level = 0
    while element != ancestor and element >= 0:
        element, level = page.parent[element], level + 1
    return level


def _holding(page: Page, start: int, other: int) -> tuple[int, int]:
    """The nearest ancestor of element ``start`` that also holds ``other``, and how many levels up it is
    (``-1`` when none does)."""
    e, level = page.parent[start], 1
    while e >= 0 and not page.inside(other, e):
        e, level = page.parent[e], level + 1
    return e, level


#: The post under the headline replaces the container at this share when only its side is named as a post.
NAMED_POST_SHARE = 0.1
#: class/id fragments that name a post or an article (stricter than :data:`POSITIVE`: widgets have "content"
#: and "text" too).
POST_NAME = re.compile(r"article|(^|[-_ ])(post|entry|story|hentry)([-_ ]|$)|(post|entry|story)-?(body|content)", re.I)


def _names_post(page: Page, region: int, top: int) -> bool:
    """Whether a class/id of the post under the headline names a post or article (:data:`POST_NAME`) and none
    of the container's does.

    The names of ``region`` and of ``top`` and of their ancestors below the element holding both count (a
    page-wide ``id=content`` names neither side; the headline's own class does not name the text after it).
    """
    common, _ = _holding(page, top, region)

    def named(e: int) -> bool:
        while e >= 0 and e != common:
            if page.labels[e] and POST_NAME.search(without_taxonomy(page.labels[e])):
                return True
            e = page.parent[e]
        return False

    return named(region) and not named(top)


#: Kept paragraphs at least this long count when looking for a second copy of the article.
REPEAT_MIN_CHARS = 80


def _drop_repeats(page: Page, decisions: list[tuple[int, str | None]], rules: dict[int, str]) -> None:
    """Remove a second copy of the article's paragraphs (in place).

    Some pages hold the story twice (a teaser and the story, a print copy):
    where two or more long kept paragraphs in a row repeat an earlier run of
    paragraphs in another element, the later run goes. One paragraph
    repeated alone stays (a question asked again in an interview), and so
    do runs repeated inside one element (the same meals in a week's menu).
    """
    kept = [k for k, (i, why) in enumerate(decisions)
            if why is None and len(page.blocks[i].text) >= REPEAT_MIN_CHARS]
    texts = [page.blocks[decisions[k][0]].text for k in kept]
    first: dict[str, int] = {}
    for pos, text in enumerate(texts):
        first.setdefault(text, pos)

    def parent_of(pos: int) -> int:
        return page.parent[page.blocks[decisions[kept[pos]][0]].element]

    for pos in range(1, len(texts)):
        q = first[texts[pos]]
        if 0 < q < pos - 1 and texts[pos - 1] == texts[q - 1] and parent_of(pos) != parent_of(q):
            for k in (kept[pos - 1], kept[pos]):
                i = decisions[k][0]
                decisions[k] = (i, "boilerplate")
                rules[i] = "repeated_paragraph"


def _cut_comments(page: Page, decisions: list[tuple[int, str | None]], rules: dict[int, str],
                  is_good: list[bool], areas: list[int]) -> None:
    """Remove what follows a "Comments" heading inside the container (in place).

    Old blog engines put reader comments loose in the post's own container,
    with nothing in the markup to tell them apart; the heading the page puts
    above them does. Only a heading (``h1``–``h6``, kept or itself removed as
    comments) after some kept body text counts, and only blocks in the same
    area as the heading go.
    """
    seen_body = False
    cut_from = -1
    for k, (i, why) in enumerate(decisions):
        if why not in (None, "comments") or rules.get(i) == "outside_main":
            continue
        block = page.blocks[i]
        if (seen_body and block.tag in HEADING_TAGS and len(block.text) <= 60
                and COMMENTS_HEADING.search(block.text)):
            cut_from = k
            break
        seen_body = seen_body or (why is None and is_good[i])
    if cut_from < 0:
        return
    area = next(a for a in areas if page.inside(page.blocks[decisions[cut_from][0]].element, a))
    for k in range(cut_from, len(decisions)):
        i, why = decisions[k]
        if why is None and page.inside(page.blocks[i].element, area):
            decisions[k] = (i, "comments")
            rules[i] = "after_comments_heading"


#: Captions are the story when the container holds this many times more caption text than other kept text.
GALLERY_SHARE = 1.0


def _keep_gallery_captions(page: Page, decisions: list[tuple[int, str | None]], rules: dict[int, str]) -> None:
    """Give back the captions of a photo post (in place).

    A caption beside an article's photo is not article text; a post that is
    a row of photos tells its story in the captions. When the captions the
    container's caption widgets hold (each distinct text once) outweigh the
    rest of its kept text (:data:`GALLERY_SHARE`), they are kept.
    """
    captions = [k for k, (i, why) in enumerate(decisions) if why == "caption" and rules.get(i) == "class_hint"]
    if not captions:
        return
    # distinct texts only: one credit line under every photo ("Photo courtesy of …") tells no story
    caption_chars = sum(len(text) for text in {page.blocks[decisions[k][0]].text for k in captions})
    kept_chars = sum(len(page.blocks[i].text) for i, why in decisions if why is None)
    if caption_chars > GALLERY_SHARE * kept_chars:
        for k in captions:
            i = decisions[k][0]
            decisions[k] = (i, None)
            rules.pop(i, None)


def _keep_link_titles(page: Page, decisions: list[tuple[int, str | None]], rules: dict[int, str],
                      is_good: list[bool]) -> None:
    """Give back linked titles that each introduce a paragraph (in place).

    A post that is a list of things (recipes, talks, other posts), each a
    linked title over a paragraph saying what it is, loses the titles to
    the link-list rule. Where two or more mostly-link blocks in a row each
    sit right above a kept body paragraph (title, text, title, text), the
    titles are kept; a lone "Read more: …" link between paragraphs is not
    such a run.
    """
    n = len(decisions)

    def kept(k: int) -> bool:
        return k < n and decisions[k][1] is None

    def text_after(k: int) -> int:
        """How many kept blocks after the link block at ``k`` make its text: a body paragraph (1), or a short
        line and then a body paragraph (2); 0 when neither follows."""
        if rules.get(decisions[k][0]) != "link_dense" or not kept(k + 1):
            return 0
        if is_good[decisions[k + 1][0]]:
            return 1
        return 2 if kept(k + 2) and is_good[decisions[k + 2][0]] else 0

    spans = {k: text_after(k) for k in range(n)}
    pairs = [k for k, span in spans.items() if span]
    run = {k for a, b in zip(pairs, pairs[1:], strict=False) if b == a + 1 + spans[a] for k in (a, b)}
    for k in run:
        i = decisions[k][0]
        decisions[k] = (i, None)
        rules.pop(i, None)


#: A post's taxonomy line: its label, then the linked topics ("Tags: blog, hosting", "Filed under: Cars").
TAXONOMY_LINE = re.compile(
    r"^\W*(tags|tagged(?: with| as)?|filed (?:under|in)|posted in|categories|category|topics|related topics|labels)"
    r"\s*:", re.I)
#: The least link text a taxonomy line holds (the topics are links).
TAXONOMY_LINK_DENSITY = 0.3


def _drop_taxonomy_lines(page: Page, decisions: list[tuple[int, str | None]], rules: dict[int, str],
                         is_good: list[bool]) -> None:
    """Remove the "Tags: …" / "Filed under: …" lines that close a post (in place).

    A post's topics are metadata, not its text: a block after the last kept
    body paragraph that opens with such a label and holds
    :data:`TAXONOMY_LINK_DENSITY` or more link text goes, as the ``metadata``
    widgets named by their class do. Such a line between paragraphs is a
    listing's own, and so is a label the page uses more than once (a
    directory's "Category: …" under each entry); a line that merely starts
    "Topics: …" without links is a sentence: all stay.

    >>> page = Page(blocks=[DomBlock("The council voted to extend the tram line to the airport.", 0, "p", 0),
    ...                     DomBlock("Tags: blog, hosting, wordpress", 20, "p", 0),
    ...                     DomBlock("Topics: trams, and what we will cover next", 0, "p", 0)])
    >>> decisions = [(0, None), (1, None), (2, None)]
    >>> _drop_taxonomy_lines(page, decisions, rules := {}, [True, False, False])
    >>> decisions, rules
    ([(0, None), (1, 'metadata'), (2, None)], {1: 'taxonomy_line'})
    """
    last_body = next((k for k in range(len(decisions) - 1, -1, -1)
                      if decisions[k][1] is None and is_good[decisions[k][0]]), -1)
    found = []
    for k in range(last_body + 1, len(decisions)):
        i, why = decisions[k]
        block = page.blocks[i]
        if why is None and block.link_density >= TAXONOMY_LINK_DENSITY and ":" in block.text[:40]:
            match = TAXONOMY_LINE.match(block.text)
            if match:
                found.append((k, match.group(1).lower()))
    if not found:
        return
    labels = Counter(match.group(1).lower() for match in
                     (TAXONOMY_LINE.match(b.text) for b in page.blocks if ":" in b.text[:40]) if match)
    for k, label in found:
        if labels[label] == 1:
            i = decisions[k][0]
            decisions[k] = (i, "metadata")
            rules[i] = "taxonomy_line"


#: How many levels above the container the headline may sit for the paragraphs between them to count as the lead.
LEAD_LEVELS = 4
#: class/id fragments of what sits between a headline and its story without being the story.
NOT_LEAD = re.compile(
    r"author|byline|bio|profile|about|meta|date|time|publish|image|photo|img|media|caption|excerpt|widget|promo",
    re.I,
)


#: class/id names of an article's lead paragraph: TYPO3's ``teaser-text``, ``article-teaser text--intro``,
#: ``summary``, ``standfirst``.
LEAD_NAME = re.compile(
    r"(?:^|[-_ ]|(?<=[a-z]))(?i:teaser|lead|intro|introduction|summary|standfirst|dek|subline|excerpt|bajada"
    r"|sommario|chapeau|chapo|subheadline|subtitle|abstract)(?:[-_ ]|$|(?=[A-Z]))")
#: The fewest words of a standfirst that is not a body paragraph (a heading, a line without a full stop).
DEK_WORDS = 8


def _lead_named(page: Page, element: int, stop: int) -> bool:
    """Whether ``element`` or an ancestor below ``stop`` has a lead's name (:data:`LEAD_NAME`)."""
    while element != stop and element >= 0:
        if page.labels[element] and LEAD_NAME.search(page.labels[element]):
            return True
        element = page.parent[element]
    return False


def _not_lead(label: str) -> bool:
    """Whether a class/id names what sits between a headline and its story without being it (:data:`NOT_LEAD`),
    and not a lead (:data:`LEAD_NAME`: WordPress's ``entry-excerpt`` and ``article-single__excerpt`` are standfirsts).

    >>> _not_lead("post-meta byline"), _not_lead("entry-excerpt"), _not_lead("ce_articleIntro")
    (True, False, False)
    """
    return bool(label) and NOT_LEAD.search(label) is not None and LEAD_NAME.search(label) is None


def _dek(page: Page, block: DomBlock, common: int) -> bool:
    """Whether ``block``, no body paragraph, is a standfirst all the same: a line of :data:`DEK_WORDS` or more
    with few links that is an ``<h2>`` (a subheadline under the headline) or sits in an element named as a lead
    below ``common``."""
    return (block.link_density < 0.3 and block.text.count(" ") + 1 >= DEK_WORDS
            and (block.tag == "h2" or _lead_named(page, block.element, common)))


def _teaser_lead(page: Page, junk: int, anchor: int) -> bool:
    """Whether widget ``junk`` is the article's lead under its headline ``anchor`` though its name says teaser.

    A "related" name for a teaser (``teaser-text``) is the story's own standfirst when the element itself is
    named as a lead (:data:`LEAD_NAME`), comes after the headline and holds no headline of its own (teaser
    lists of other stories have one per item).
    """
    return (page.junk[junk] == "related" and junk > anchor and bool(LEAD_NAME.search(page.labels[junk]))
            and not any(page.tags[e] in HEADING_TAGS for e in range(junk, page.end[junk])))


def _lead_blocks(page: Page, anchors: list[int], areas: list[int], is_good: list[bool], nearest: list[int]) -> set[int]:
    """Body paragraphs between the headline and the container: the article's lead.

    Pages often set the first paragraph apart from the body element, right
    under the headline; the container vote misses it. The paragraphs (and
    standfirsts that are no paragraph: :func:`_dek`) after
    the last headline (of ``anchors``) before the container and before the
    container starts, inside the nearest element holding both (at most
    :data:`LEAD_LEVELS` above the container), outside junk widgets and
    author boxes, photos and metadata lines (:func:`_not_lead`),
    join. A ``<header>`` holding the headline is the article's own: a
    standfirst ``<p>`` in it counts, though the tag otherwise names a widget.
    """
    top = areas[0]
    before = [x for x in anchors if x < top]
    if not before:
        return set()
    anchor = before[-1]
    common, level = _holding(page, top, anchor)
    if common < 0 or level > LEAD_LEVELS:
        return set()
    lead = set()
    for i, block in enumerate(page.blocks):
        junk = nearest[block.element]
        # the article's own <header> (headline, standfirst, byline) names no widget for its lead
        own_header = (junk >= 0 and page.tags[junk] == "header" and page.inside(anchor, junk)
                      and (block.tag == "p" or _lead_named(page, block.element, junk)))
        if not (anchor < block.element < top and (is_good[i] or _dek(page, block, common))
                and (junk < 0 or own_header or _teaser_lead(page, junk, anchor))):
            continue
        e = block.element
        while e != common and e >= 0 and not _not_lead(page.labels[e]):
            e = page.parent[e]
        if e == common:
            lead.add(i)
    return lead


#: Blocks of a data table (a row, cells joined, or a cell holding block elements) and list items.
ITEM_TAGS = frozenset(("tr", "td", "th", "li"))


def _neutral_item(block: DomBlock, nearest: list[int]) -> bool:
    """Whether ``block`` is a row of a data table or a list item, outside any junk widget and with few links:
    neither good text (no sentence) nor bad (an article's table of test results, its list of ingredients or
    features is part of it), it weighs nothing in the container vote. Menus are links, and stay bad.
    """
    return block.tag in ITEM_TAGS and block.link_density < 0.3 and nearest[block.element] < 0


def main_content(page: Page, title: str | None = None) -> Main:
    """Pick the article container and decide every block (see the module docstring).

    ``title``, the page's headline when known, anchors the search: elements
    holding a heading that states it score higher.
    """
    n = len(page.parent)
    if n == 0 or not page.blocks:
        return Main(0, [(i, "boilerplate") for i in range(len(page.blocks))])
    is_good = body_blocks(page.blocks)
    raw_good = [0.0] * n
    for block, ok in zip(page.blocks, is_good, strict=True):
        if ok:
            raw_good[block.element] += len(block.text) - block.link_chars
    anchors = _title_anchors(page, title)
    anchor = anchors[0] if anchors else -1
    nearest = _nearest_junk(page, _sum_up(page, raw_good), anchor)
    good = [0.0] * n
    bad = [0.0] * n
    waste = [0.0] * n  # bad text outside good blocks (the links inside a paragraph are the article's)
    for block, ok in zip(page.blocks, is_good, strict=True):
        if ok and nearest[block.element] < 0:
            good[block.element] += len(block.text) - block.link_chars
            bad[block.element] += block.link_chars
        elif not _neutral_item(block, nearest):
            bad[block.element] += len(block.text)
            waste[block.element] += len(block.text)
    _sum_up(page, good)
    _sum_up(page, bad)
    _sum_up(page, waste)
    areas = _areas(page, is_good, nearest, good, bad, waste, anchor)
    region = _title_region(page, anchors, areas, is_good, good, nearest)
    if region >= 0:
        areas = [region]
    best = areas[0]
    lead = _lead_blocks(page, anchors, areas, is_good, nearest)
    inner = _nearest_inner(page, raw_good)
    decisions: list[tuple[int, str | None]] = []
    rules: dict[int, str] = {}
    for i, block in enumerate(page.blocks):
        if i in lead:
            decisions.append((i, None))
            continue
        area = next((a for a in areas if page.inside(block.element, a)), -1)
        if area < 0:
            reason = page.junk[nearest[block.element]] if nearest[block.element] >= 0 else None
            decisions.append((i, reason or "boilerplate"))
            rules[i] = "outside_main"
            continue
        j = nearest[block.element]
        if j <= area:  # no junk widget below the block's area (an ancestor of it names junk, or none does)
            j = inner[block.element]
        if j > area:  # a junk widget below the container
            decisions.append((i, page.junk[j]))
            rules[i] = f"tag_{page.tags[j]}" if page.tags[j] in JUNK_TAGS else "class_hint"
        elif block.link_density > MAX_LINK_DENSITY and len(block.text) > 1 and not _BARE_URL.match(block.text):
            decisions.append((i, "related" if len(block.text) > 30 else "chrome"))
            rules[i] = "link_dense"
        else:
            decisions.append((i, None))
    _keep_gallery_captions(page, decisions, rules)
    _keep_link_titles(page, decisions, rules, is_good)
    _cut_comments(page, decisions, rules, is_good, areas)
    _drop_repeats(page, decisions, rules)
    _drop_taxonomy_lines(page, decisions, rules, is_good)
    # a short heading right before a removed widget ("More:", "Related") is that widget's heading (a post's
    # metadata line has none: the short line before it is the post's last)
    for k in range(len(decisions) - 2, -1, -1):
        i, why = decisions[k]
        nxt, nxt_why = decisions[k + 1]
        if why is None and nxt_why is not None and nxt_why not in INNER_REASONS and rules.get(nxt) != "outside_main":
            text = page.blocks[i].text
            if text.count(" ") < 4 and not _SENTENCE_END.search(text):
                decisions[k] = (i, nxt_why)
                rules[i] = "heads_removed_widget"
    return Main(best, decisions, rules)
