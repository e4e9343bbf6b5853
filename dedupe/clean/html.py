"""HTML cleaning: a selectolax (Lexbor) DOM pass, then the shared classifier.

The DOM pass reads metadata (title, date, author, site, canonical URL,
language) from meta tags, JSON-LD and markup; drops elements that are never
article text (scripts, navigation, forms, …) and elements whose class or id
names a junk widget (each removal keeps its reason); picks the main content
container by text density; and turns what is left into blocks that go
through :func:`dedupe.clean.classify.classify`, the same rules plain text
gets.
"""

from __future__ import annotations

import json
from typing import Any

import regex
from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..config import CleanConfig
from ..types import CleanDoc, Removed
from .classify import classify
from .metadata import iso_date, squash, strip_site_suffix
from .text import assemble, split_blocks

DROP_TAGS = (
    "script, style, noscript, template, svg, iframe, form, button, select, input, textarea, "
    "nav, aside, footer, object, embed, canvas, dialog, menu"
)
BLOCK_TAGS = (
    "p, div, section, article, main, header, h1, h2, h3, h4, h5, h6, li, ul, ol, dl, dt, dd, "
    "blockquote, pre, table, tr, td, th, figure, figcaption, br, hr, address, details, summary"
)
#: class/id fragments naming junk widgets, mapped to the removal reason.
HINTS: tuple[tuple[str, regex.Pattern[str]], ...] = tuple(
    (reason, regex.compile(pattern, regex.I))
    for reason, pattern in (
        ("comments", r"comment|disqus|respond|replies"),
        ("related", r"related|recommend|more-?stories|read-?more|read-?next|also-?read|outbrain|taboola|trending|popular"),
        ("share", r"share|social|sharing|sociable"),
        ("newsletter", r"newsletter|subscribe|signup|sign-up"),
        ("ad", r"(^|[-_ ])(ad|ads|advert|advertisement|sponsor|dfp|gpt)([-_ ]|$)|advert|sponsored"),
        ("chrome", r"cookie|consent|breadcrumb|(^|[-_ ])(nav|navbar|menu|masthead|site-header|topbar|sidebar|footer|skip)([-_ ]|$)|modal|popup"),
        ("caption", r"caption|credit"),
    )
)
_ARTICLE_SELECTORS = (
    "[itemprop=articleBody]",
    "article",
    "[role=main]",
    "main",
)


def _meta(tree: LexborHTMLParser, *keys: str) -> str | None:
    for key in keys:
        for attr in ("property", "name", "itemprop"):
            node = tree.css_first(f'meta[{attr}="{key}"]')
            if node is not None:
                value = node.attributes.get("content")
                if value and value.strip():
                    return squash(value)
    return None


def _json_ld(tree: LexborHTMLParser) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for node in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(node.text() or "")
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


def read_metadata(tree: LexborHTMLParser) -> dict[str, str | None]:
    """Title, date, author, site name, canonical URL and language of a page."""
    ld = [d for d in _json_ld(tree) if "headline" in d or "datePublished" in d or "author" in d]
    first = ld[0] if ld else {}
    site = _meta(tree, "og:site_name", "application-name") or _ld_name(first.get("publisher"))
    title = _meta(tree, "og:title", "twitter:title") or _ld_name(first.get("headline"))
    if not title:
        h1 = tree.css_first("h1")
        title_node = tree.css_first("title")
        title = squash(h1.text()) if h1 is not None and h1.text().strip() else None
        if not title and title_node is not None:
            title = squash(title_node.text()) or None
    if title:
        title = strip_site_suffix(title, site)
    date_raw = (
        _meta(tree, "article:published_time", "og:published_time", "datePublished", "pubdate",
              "publishdate", "date", "dc.date", "DC.date.issued", "sailthru.date", "parsely-pub-date")
        or (first.get("datePublished") if isinstance(first.get("datePublished"), str) else None)
    )
    if not date_raw:
        time_node = tree.css_first("time[datetime]")
        date_raw = time_node.attributes.get("datetime") if time_node is not None else None
    url_node = tree.css_first('link[rel="canonical"]')
    url = (url_node.attributes.get("href") if url_node is not None else None) or _meta(tree, "og:url")
    date = iso_date(date_raw) or (iso_date(url) if url else None)
    author = _meta(tree, "author", "article:author", "byl", "dc.creator", "parsely-author")
    if author and author.startswith("http"):
        author = None
    author = author or _ld_name(first.get("author"))
    if not author:
        node = tree.css_first('[rel="author"], [itemprop="author"], .byline, .author')
        if node is not None:
            text = squash(node.text())
            author = regex.sub(r"^by\s+", "", text, flags=regex.I) if 0 < len(text) < 80 else None
    html_node = tree.css_first("html")
    lang = html_node.attributes.get("lang") if html_node is not None else None
    return {
        "title": title,
        "date": date,
        "author": author,
        "source": site,
        "url": url,
        "language": (lang or None) and lang.strip().lower() or None,
    }


def _hint_reason(node: LexborNode) -> str | None:
    attrs = node.attributes
    label = " ".join(v for k, v in attrs.items() if k in ("class", "id") and v)
    if not label:
        return None
    for reason, pattern in HINTS:
        if pattern.search(label):
            return reason
    return None


def _text_len(node: LexborNode) -> int:
    return len((node.text(deep=True, separator=" ") or "").strip())


def _link_density(node: LexborNode) -> float:
    total = _text_len(node)
    if total == 0:
        return 0.0
    linked = sum(_text_len(a) for a in node.css("a"))
    return min(1.0, linked / total)


def _block_text(root: LexborNode) -> str:
    """The text under ``root`` with one line per block-level element."""
    for node in root.css(BLOCK_TAGS):
        node.insert_before("\n")
        node.insert_after("\n")
    return root.text(separator="") or ""


def _main_container(body: LexborNode) -> LexborNode:
    for selector in _ARTICLE_SELECTORS:
        candidates = [n for n in body.css(selector) if _text_len(n) > 200]
        if candidates:
            return max(candidates, key=_text_len)
    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    for p in body.css("p"):
        length = _text_len(p)
        if length < 25:
            continue
        weight = length * (1.0 - _link_density(p))
        parent = p.parent
        for share in (1.0, 0.5):
            if parent is None:
                break
            key = parent.mem_id
            nodes[key] = parent
            scores[key] = scores.get(key, 0.0) + weight * share
            parent = parent.parent
    if not scores:
        return body
    best = max(scores, key=lambda k: (scores[k], -k))
    return nodes[best]


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
    tree = LexborHTMLParser(html)
    meta = read_metadata(tree)
    body = tree.body
    removed: list[Removed] = []
    if body is None:
        doc = CleanDoc(id=doc_id, text="", **meta)
        doc.warnings.append("page has no <body>")
        return doc
    tree.strip_tags(["script", "style", "noscript", "template", "svg"])
    if not config.enabled:
        _, blocks = split_blocks(_block_text(body))
        return CleanDoc(id=doc_id, text="\n".join(blocks), **meta)
    for node in body.css(DROP_TAGS):
        text = squash(node.text(separator=" ") or "")
        if text:
            removed.append(Removed(text[:500], "chrome", f"tag_{node.tag}"))
        node.decompose()
    for node in body.css("[class], [id]"):
        if node.tag in ("html", "body", "article", "main"):
            continue
        reason = _hint_reason(node)
        if reason is None:
            continue
        text = squash(node.text(separator=" ") or "")
        if len(text) > 2000 and reason not in ("comments", "related"):
            continue  # a big container with a junk-sounding class is likely the page
        if text:
            removed.append(Removed(text[:500], reason, "class_hint"))
        node.decompose()
    main = _main_container(body)
    for node in main.css("ul, ol, div, section, table"):
        if _link_density(node) > 0.6 and _text_len(node) < 1500:
            text = squash(node.text(separator=" ") or "")
            if text:
                removed.append(Removed(text[:500], "related", "link_dense"))
            node.decompose()
    positions, blocks = split_blocks(_block_text(main))
    labelled = classify(blocks, title_hint=meta["title"])
    doc = assemble(doc_id, positions, labelled, config)
    doc.removed = removed + doc.removed
    doc.date = meta["date"] or doc.date
    doc.author = meta["author"] or doc.author
    doc.source = meta["source"]
    doc.url = meta["url"]
    doc.language = meta["language"]
    return doc
