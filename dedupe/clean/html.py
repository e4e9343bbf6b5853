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
from selectolax.lexbor import LexborHTMLParser

from ..config import CleanConfig
from ..types import CleanDoc, Removed
from .classify import classify
from .dom import main_content, page_blocks
from .metadata import iso_date, squash, strip_site_suffix
from .text import assemble


def _meta(tree: LexborHTMLParser, *keys: str) -> str | None:
    for key in keys:
        for attr in ("property", "name", "itemprop"):
            node = tree.css_first(f'meta[{attr}~="{key}"]')
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


def read_metadata(tree: LexborHTMLParser) -> dict[str, str | None]:
    """Title, date, author, site name, canonical URL and language of a page."""
    ld = [d for d in _json_ld(tree) if "headline" in d or "datePublished" in d or "author" in d]
    first = ld[0] if ld else {}
    site = _meta(tree, "og:site_name", "application-name") or _ld_name(first.get("publisher"))
    # Titles a page declares (JSON-LD, Dublin Core, Open Graph) are taken as given; the
    # <title> element loses its site suffix; the first <h1> is the last resort.
    title = (
        _ld_title(first, tree)
        or _meta(tree, "dc:title", "DC.title", "dcterm:title", "og:title", "twitter:title")
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
        "title": title or None,
        "date": date,
        "author": author,
        "source": site,
        "url": url,
        "language": (lang or None) and lang.strip().lower() or None,
    }


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
    if body is None:
        doc = CleanDoc(id=doc_id, text="", **meta)
        doc.warnings.append("page has no <body>")
        return doc
    page = page_blocks(body)
    if not config.enabled:
        return CleanDoc(id=doc_id, text="\n".join(b.text for b in page.blocks), **meta)
    main = main_content(page)
    removed: list[Removed] = []
    positions: list[int] = []
    texts: list[str] = []
    for i, reason in main.decisions:
        if reason is None:
            positions.append(i)
            texts.append(page.blocks[i].text)
        else:
            removed.append(Removed(page.blocks[i].text[:500], reason, main.rules.get(i, "")))
    labelled = classify(texts, title_hint=meta["title"])
    doc = assemble(doc_id, positions, labelled, config)
    doc.removed = removed + doc.removed
    doc.date = meta["date"] or doc.date
    doc.author = meta["author"] or doc.author
    doc.source = meta["source"]
    doc.url = meta["url"]
    doc.language = meta["language"]
    return doc
