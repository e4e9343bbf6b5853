"""HTML cleaning: a selectolax (Lexbor) DOM pass, then the shared classifier.

:func:`clean_html` first refuses what is not a page (:func:`page_problem`:
empty, binary, nested too deep to parse), reads the metadata (title, date,
author, site, canonical URL, language) from JSON-LD, meta tags and markup
(:func:`read_metadata`), then lets :mod:`dedupe.clean.dom` cut the page into
blocks, pick the article container and drop widgets (each removal with its
reason). The surviving blocks go through
:func:`dedupe.clean.classify.classify`, the same rules plain text gets.
"""

from __future__ import annotations

import json
import re
from typing import Any, TypedDict

import regex
from selectolax.lexbor import LexborHTMLParser

from ..config import CleanConfig
from ..errors import NestingError
from ..types import KEEP, CleanDoc, Removed
from .byline import page_byline
from .classify import Labelled, classify
from .dom import DomBlock, is_body_paragraph, main_content, page_blocks
from .metadata import author_name, iso_date, squash, strip_site_suffix
from .text import assemble
from .uilines import cut_ui_lines


def _meta_index(tree: LexborHTMLParser) -> dict[str, str]:
    """Content of every <meta> by each word of its ``property``, ``name`` or ``itemprop`` (first one wins)."""
    index: dict[str, str] = {}
    for node in tree.css("meta[content]"):
        attrs = node.attributes
        content = attrs.get("content")
        if not content or not content.strip():
            continue
        for attr in ("property", "name", "itemprop"):
            for key in (attrs.get(attr) or "").split():
                index.setdefault(key, content)
    return index


def _meta(index: dict[str, str], *keys: str) -> str | None:
    for key in keys:
        value = index.get(key)
        if value is not None:
            return squash(value)
    return None


#: The CDATA wrapper some pages put around their JSON-LD.
_CDATA = re.compile(r"^\s*<!\[CDATA\[|\]\]>\s*$")


def _json_ld(tree: LexborHTMLParser) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for node in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(_CDATA.sub("", node.text() or ""))
        except (ValueError, RecursionError):
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                found.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)
    return found


def _ld_name(value: Any) -> str | None:
    if isinstance(value, str):
        return squash(value) or None
    if isinstance(value, dict):
        return _ld_name(value.get("name"))
    if isinstance(value, list):
        names = [n for n in (_ld_name(v) for v in value) if n]
        return ", ".join(names) or None
    return None


_SEPARATOR = regex.compile(r"\s+[|\-–—:·•»]\s+\S")


def _ld_title(item: dict[str, Any], tree: LexborHTMLParser) -> str | None:
    """JSON-LD ``name`` or ``headline``; when they differ, the one closer to the <title> element."""
    name, headline = _ld_name(item.get("name")), _ld_name(item.get("headline"))
    if name and headline and name != headline:
        node = tree.css_first("title")
        words = set((node.text() if node is not None else "").lower().split())

        def overlap(text: str) -> float:
            mine = text.lower().split()
            return sum(w in words for w in mine) / max(len(mine), 1)

        return name if overlap(name) >= overlap(headline) else headline
    return name or headline


class PageMetadata(TypedDict):
    """What :func:`read_metadata` reads from a page; ``None`` where the page does not say."""

    title: str | None
    date: str | None
    author: str | None
    source: str | None
    url: str | None
    language: str | None


def read_metadata(tree: LexborHTMLParser) -> PageMetadata:
    """Title, date, author, site name, canonical URL and language of a page."""
    ld_all = _json_ld(tree)
    ld = [d for d in ld_all if "headline" in d or "datePublished" in d or "author" in d]
    first = ld[0] if ld else {}
    metas = _meta_index(tree)
    site = _meta(metas, "og:site_name", "application-name") or _ld_name(first.get("publisher"))
    # Titles a page declares (JSON-LD, Dublin Core, Open Graph) are taken as given; the
    # <title> element loses its site suffix; the first <h1> is the last resort.
    title = (
        _ld_title(first, tree)
        or _meta(metas, "dc:title", "DC.title", "dcterm:title", "og:title", "twitter:title")
    )
    if not title:
        title_node = tree.css_first("title")
        raw_title = squash(title_node.text()) if title_node is not None else ""
        h1_node = tree.css_first("h1")
        h1 = squash(h1_node.text()) if h1_node is not None else ""
        if h1 and raw_title.lower().startswith(h1.lower()) and _SEPARATOR.match(raw_title[len(h1):]):
            title = h1  # "Story | Site" whose story part the page repeats as its headline
        else:
            title = (strip_site_suffix(raw_title, site) if raw_title else None) or h1 or None
    date_raw = (
        _meta(metas, "article:published_time", "og:published_time", "datePublished", "pubdate",
              "publishdate", "date", "dc.date", "DC.date.issued", "sailthru.date", "parsely-pub-date")
        or (first.get("datePublished") if isinstance(first.get("datePublished"), str) else None)
    )
    if not date_raw:
        time_node = tree.css_first("time[datetime]")
        date_raw = time_node.attributes.get("datetime") if time_node is not None else None
    url_node = tree.css_first('link[rel="canonical"]')
    url = (url_node.attributes.get("href") if url_node is not None else None) or _meta(metas, "og:url")
    date = iso_date(date_raw) or (iso_date(url) if url else None)
    author = author_name(page_byline(tree, ld_all))
    html_node = tree.css_first("html")
    lang = html_node.attributes.get("lang") if html_node is not None else None
    return {
        "title": title or None,
        "date": date,
        "author": author,
        "source": site,
        "url": url,
        "language": (lang or None) and lang.strip().lower() or None,
    }


#: Markup nested deeper than this is refused: the parser's cost grows with depth squared.
MAX_NESTING = 5000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_TAG = regex.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*?(/?)>")
#: Elements that never hold children or that the parser closes by itself: not nesting.
_NO_NEST = frozenset(
    "area base br col embed hr img input link meta param source track wbr p li dt dd tr td th "
    "option optgroup thead tbody tfoot colgroup rb rt rp caption".split()
)


def nesting_depth(html: str) -> int:
    """Deepest element nesting of ``html`` by a tag scan (no parse); ``0`` for small pages.

    Pages with fewer than :data:`MAX_NESTING` tags cannot nest deeper, so they are not scanned.

    >>> nesting_depth("<div>" * 6000 + "x")
    6000
    >>> nesting_depth("<p>a<p>b<br><img src=x>")
    0
    """
    if html.count("<") <= MAX_NESTING:
        return 0
    depth = deepest = 0
    for match in _TAG.finditer(html):
        name = match.group(2).lower()
        if name in _NO_NEST or match.group(3):
            continue
        if match.group(1):
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def page_problem(html: str) -> str | None:
    """Why ``html`` cannot be an article page (empty, binary), or None.

    Raises :class:`~dedupe.errors.NestingError` for markup nested deeper than
    :data:`MAX_NESTING` (a ``RecursionError``: the pipeline rejects the record).

    >>> page_problem("  "), page_problem("\\x00\\x01\\x02" * 50), page_problem("<p>Hello</p>")
    ('empty page', 'binary data, not HTML (100% control characters)', None)
    """
    if not html or html.isspace():
        return "empty page"
    sample = html[:4096]
    control = len(_CONTROL.findall(sample))
    if control > len(sample) // 100 + 1:
        return f"binary data, not HTML ({control / len(sample):.0%} control characters)"
    depth = nesting_depth(html)
    if depth > MAX_NESTING:
        raise NestingError(f"markup nested {depth} deep (the HTML cleaner parses up to {MAX_NESTING}); not parsed")
    return None


#: A JSON-LD ``articleBody`` replaces the DOM's article when that holds less than this share of its length.
LD_BODY_SHARE = 0.5
_LD_BODY_KEY = re.compile(r'"articleBody"\s*:')
#: Characters of an ``articleBody`` looked up in the page's visible text (three probes: start, middle, end).
LD_PROBE_CHARS = 40


def script_article(tree: LexborHTMLParser, blocks: list[DomBlock], kept_chars: int) -> list[str] | None:
    """The paragraphs of the page's JSON-LD ``articleBody`` when only a script holds the story, or None.

    Some pages render their story with JavaScript from data the page carries: the DOM
    shows a teaser, the JSON-LD ``articleBody`` holds the text. It is used when the
    article the DOM pass found (``kept_chars`` long) is under :data:`LD_BODY_SHARE` of it
    and none of three :data:`LD_PROBE_CHARS`-character probes of it (start, middle, end)
    is in the page's visible text (``blocks``): where the page shows the story, the DOM
    pass reads it. Markup inside the body is read as text; its lines are its paragraphs.

    >>> ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "articleBody": '
    ...       '"The council met on Monday to vote on the tram line to the airport.\\\\nIt passed by nine votes '
    ...       'to two, and the work starts in May."}</script>')
    >>> tree = LexborHTMLParser(f"<html><head>{ld}</head><body><p>Subscribe to read</p></body></html>")
    >>> script_article(tree, [DomBlock("Subscribe to read", 0, "p", 0)], 0)
    ['The council met on Monday to vote on the tram line to the airport.', 'It passed by nine votes to two, and the work starts in May.']
    >>> script_article(tree, [DomBlock("The council met on Monday to vote on the tram line to the airport.", 0, "p", 0)], 0)
    """
    bodies = [item["articleBody"] for item in _json_ld(tree) if isinstance(item.get("articleBody"), str)]
    if not bodies:
        return None
    body = max(bodies, key=len)
    if "<" in body and ">" in body:
        parsed = LexborHTMLParser(body).body
        body = parsed.text(separator="\n") if parsed is not None else body
    lines = [line for line in (squash(part) for part in body.splitlines()) if line]
    flat = " ".join(lines)
    if kept_chars >= LD_BODY_SHARE * len(flat) or len(flat) < 3 * LD_PROBE_CHARS:
        return None
    visible = " ".join(block.text for block in blocks)
    middle = len(flat) // 2
    probes = (flat[:LD_PROBE_CHARS], flat[middle:middle + LD_PROBE_CHARS], flat[-LD_PROBE_CHARS:])
    return None if any(probe in visible for probe in probes) else lines


def _keep_structural_body(labelled: Labelled, blocks: list[DomBlock]) -> None:
    """Give back article paragraphs that only a text-position rule removed.

    The classifier's tail rule (everything after a "Related"-like heading is
    related) is for plain text, which has no structure. On a page the DOM pass
    already bounded the article: a block it judged a body paragraph, inside
    the container, is kept when the only reason against it is that it comes
    after such a heading, and a list item is no such heading; a block with a label of its own
    (a caption, a repeat of the title) takes that label back instead.
    """
    # a list item is one point of a list, not a "Related" heading ("Top 5 most popular" in a list of survey
    # results): it and what that rule took after it stay
    tail = False
    for k, (rule, block) in enumerate(zip(labelled.rules, blocks, strict=True)):
        if rule.endswith("_heading") and not rule.startswith("after_"):
            tail = rule == "related_heading" and block.tag == "li"
        if tail and rule in ("related_heading", "after_related_heading"):
            labelled.labels[k], labelled.rules[k] = labelled.replaced.get(k, (KEEP, "dom_list_item"))
        elif rule.startswith("after_") and is_body_paragraph(block):
            labelled.labels[k], labelled.rules[k] = labelled.replaced.get(k, (KEEP, "dom_body_paragraph"))


def clean_html(
    html: str,
    *,
    doc_id: str = "",
    config: CleanConfig | None = None,
) -> CleanDoc:
    """Extract and clean the article of one HTML page.

    >>> page = ('<html><head><title>Storm hits coast | Daily Planet</title>'
    ...         '<meta property="article:published_time" content="2025-07-30T08:00:00Z"></head>'
    ...         '<body><nav><a href="/">Home</a></nav><article><h1>Storm hits coast</h1>'
    ...         '<p>The storm reached the coast at dawn, officials said on Monday, and power failed.</p>'
    ...         '<div class="share-buttons">Share on Facebook</div></article></body></html>')
    >>> doc = clean_html(page)
    >>> doc.title, doc.date
    ('Storm hits coast', '2025-07-30')
    >>> doc.text
    'The storm reached the coast at dawn, officials said on Monday, and power failed.'
    >>> sorted({(r.reason, r.text) for r in doc.removed})
    [('chrome', 'Home'), ('dup_title', 'Storm hits coast'), ('share', 'Share on Facebook')]
    """
    config = config or CleanConfig()
    problem = page_problem(html)
    if problem is not None:
        doc = CleanDoc(id=doc_id, text="")
        doc.warnings.append(problem)
        return doc
    tree = LexborHTMLParser(html)
    meta = read_metadata(tree)
    body = tree.body
    if body is None:
        doc = CleanDoc(id=doc_id, text="", **meta)
        doc.warnings.append("page has no <body>")
        return doc
    page = page_blocks(body)
    if not config.enabled:
        return CleanDoc(id=doc_id, text="\n".join(b.text for b in page.blocks), **meta)
    main = main_content(page, meta["title"])
    removed: list[Removed] = []
    positions: list[int] = []
    texts: list[str] = []
    for i, reason in main.decisions:
        if reason is None:
            positions.append(i)
            texts.append(page.blocks[i].text)
        else:
            removed.append(Removed(page.blocks[i].text[:500], reason, main.rules.get(i, "")))
    kept_blocks = [page.blocks[i] for i in positions]

    def refine(out: Labelled) -> None:  # what the DOM knows, before the structure rules judge the lines that stay
        _keep_structural_body(out, kept_blocks)
        cut_ui_lines(out, [b.link_density for b in kept_blocks])

    labelled = classify(texts, title_hint=meta["title"], glued_stories=False, refine=refine,
                        prose=[is_body_paragraph(b) for b in kept_blocks])
    doc = assemble(doc_id, positions, labelled, config)
    if '"articleBody"' in html and _LD_BODY_KEY.search(html) is not None:  # a JSON key, not an itemprop value
        lines = script_article(tree, page.blocks, len(doc.text))
        if lines is not None:
            removed.extend(Removed(text[:500], "boilerplate", "dom_teaser") for text in doc.text.splitlines())
            labelled = classify(lines, title_hint=meta["title"], glued_stories=False)
            doc = assemble(doc_id, list(range(len(lines))), labelled, config)
            doc.warnings.append("article text from the page's JSON-LD articleBody: the page does not show it")
    doc.removed = removed + doc.removed
    doc.date = meta["date"] or doc.date
    doc.author = meta["author"] or doc.author
    doc.source = meta["source"]
    doc.url = meta["url"]
    doc.language = meta["language"]
    if not doc.text:
        links = sum(b.link_chars for b in page.blocks)
        chars = sum(len(b.text) for b in page.blocks) or 1
        doc.warnings.append(
            f"no article text found: {len(page.blocks)} blocks, {links / chars:.0%} of the text in links"
            + (" (an index or navigation page?)" if links / chars > 0.5 else "")
        )
    return doc
