"""The byline of an HTML page: who wrote it, as the page states it.

Sources in order of trust, as Readability (the reader view of Firefox)
reads them: the ``author`` of the page's JSON-LD article (names of Person
or Organization objects), then the author meta tags (Dublin Core
``dc:creator`` first, then ``author``, ``parsely-author`` and an
``article:author`` that is not a URL), then the first visible byline
element of the markup (``rel="author"``, ``itemprop="author"`` or a
class/id naming a byline) outside page chrome, its text kept as written
("By Jane Doe"). A plain-string JSON-LD author is the last resort. The
document's ``author`` field is :func:`dedupe.clean.metadata.author_name` of it.

>>> from selectolax.lexbor import LexborHTMLParser
>>> page_byline(LexborHTMLParser('<meta name="author" content="Ana Silva"><p class="byline">By A. S.</p>'), [])
'Ana Silva'
>>> page_byline(LexborHTMLParser('<div class="article-byline">By <a href="/a">Jane Doe</a></div>'), [])
'By Jane Doe'
>>> page_byline(LexborHTMLParser('<div class="sidebar"><span class="author">Tom</span></div>'), []) is None
True
"""

from __future__ import annotations

import re
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .metadata import squash

#: schema.org types of an article (a JSON-LD object of another type is not the page's article).
ARTICLE_TYPES = re.compile(
    r"^Article|AdvertiserContentArticle|NewsArticle|AnalysisNewsArticle|AskPublicNewsArticle"
    r"|BackgroundNewsArticle|OpinionNewsArticle|ReportageNewsArticle|ReviewNewsArticle|Report"
    r"|SatiricalArticle|ScholarlyArticle|MedicalScholarlyArticle|SocialMediaPosting|BlogPosting"
    r"|LiveBlogPosting|DiscussionForumPosting|TechArticle|APIReference$"
)
#: ``property`` values naming an author (found anywhere in a space-separated list).
_PROPERTY = re.compile(r"\s*(article|dc|dcterm|og|twitter)\s*:\s*(author|creator)\s*", re.I)
#: ``name`` values naming an author.
_NAME = re.compile(r"^\s*(?:(dc|dcterm|og|twitter|parsely|weibo:(article|webpage))\s*[-.:]\s*)?(author|creator)\s*$", re.I)
#: Meta keys in order of trust.
META_KEYS = ("dc:creator", "dcterm:creator", "author", "parsely-author", "article:author")
#: Elements whose class/id says "byline", or whose rel/itemprop says "author".
BYLINE_SELECTOR = (
    '[rel="author"], [itemprop*="author"], '
    + ", ".join(f'[{attr}*="{word}" i]' for word in ("byline", "author", "dateline", "writtenby")
                for attr in ("class", "id"))
)
BYLINE_HINT = re.compile(r"byline|author(?!i[sz])|dateline|writtenby", re.I)  # not "authorization"
#: class/id of page chrome: a byline inside it is some other story's (or a widget's). Headers are
#: not chrome here: an article's header is where its byline sits.
_CHROME = re.compile(
    r"-ad-|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|legends|menu"
    r"|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|ad-break|agegate"
    r"|pagination|pager|popup",
    re.I,
)
_NOT_CHROME = re.compile(r"and|article|body|column|content|main|shadow", re.I)
_CHROME_ROLES = frozenset(("menu", "menubar", "complementary", "navigation", "alert", "alertdialog", "dialog"))
_NO_TEXT = frozenset(("script", "style", "noscript", "template"))
#: A byline longer than this is a paragraph, not a byline.
MAX_BYLINE = 100


def _names(value: Any) -> str | None:
    """Names of JSON-LD author objects ("A, B"); None for a bare string or no name."""
    if isinstance(value, dict):
        name = value.get("name")
        return name.strip() or None if isinstance(name, str) else None
    if isinstance(value, list) and value and isinstance(value[0], dict) and isinstance(value[0].get("name"), str):
        return ", ".join(v["name"].strip() for v in value if isinstance(v, dict) and isinstance(v.get("name"), str))
    return None


def article_ld(items: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The first JSON-LD object whose ``@type`` is an article type.

    >>> article_ld([{"@type": "WebPage"}, {"@type": "NewsArticle", "headline": "x"}])
    {'@type': 'NewsArticle', 'headline': 'x'}
    """
    for item in items:
        kind = item.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if any(isinstance(k, str) and ARTICLE_TYPES.search(k) for k in kinds):
            return item
    return None


def meta_byline(tree: LexborHTMLParser) -> str | None:
    """The author a page's meta tags name (see :data:`META_KEYS`); the last tag of a key wins."""
    values: dict[str, str] = {}
    for node in tree.css("meta[content]"):
        attrs = node.attributes
        content = (attrs.get("content") or "").strip()
        if not content:
            continue
        prop, name = attrs.get("property"), attrs.get("name")
        match = _PROPERTY.search(prop) if prop else None
        if match:
            values[squash(match.group(0)).lower().replace(" ", "")] = content
        elif prop and prop.strip().lower() == "author":
            values["author"] = content
        elif name and _NAME.match(name):
            values[name.lower().replace(" ", "").replace(".", ":")] = content
    for key in META_KEYS:
        value = values.get(key)
        if value and not (key == "article:author" and re.match(r"https?://|www\.", value)):
            return squash(value)
    return None


def _text(node: LexborNode) -> str:
    """Visible text of ``node`` (script and style text left out), whitespace squashed."""
    parts: list[str] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current.tag == "-text":
            parts.append(current.text_content or "")
            continue
        if current.tag in _NO_TEXT:
            continue
        child = current.last_child
        while child is not None:
            stack.append(child)
            child = child.prev
    return squash("".join(parts))


def _hidden_or_chrome(node: LexborNode) -> bool:
    """Whether ``node`` or an ancestor is hidden or page chrome (header, sidebar, comments …)."""
    current: LexborNode | None = node
    first = True
    while current is not None and current.tag not in ("body", "html"):
        attrs = current.attributes
        style = (attrs.get("style") or "").replace(" ", "").lower()
        if "hidden" in attrs or (attrs.get("aria-hidden") or "") == "true" or "display:none" in style \
                or "visibility:hidden" in style:
            return True
        label = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
        # the byline element itself may carry a chrome-sounding class ("author-header")
        if not first and _CHROME.search(label) and not _NOT_CHROME.search(label) and current.tag != "a":
            return True
        if attrs.get("role") in _CHROME_ROLES:
            return True
        first = False
        current = current.parent
    return False


def markup_byline(tree: LexborHTMLParser) -> str | None:
    """The text of the first visible byline element outside page chrome, as written.

    >>> markup_byline(LexborHTMLParser('<div class="sidebar"><p class="author">Staff</p></div>'
    ...                                '<p class="byline" style="display:none">x</p><a rel="author">Ana</a>'))
    'Ana'
    """
    body = tree.body
    if body is None:
        return None
    for node in body.css(BYLINE_SELECTOR):
        attrs = node.attributes
        if not (attrs.get("rel") == "author" or "author" in (attrs.get("itemprop") or "")
                or BYLINE_HINT.search(f"{attrs.get('class') or ''} {attrs.get('id') or ''}")):
            continue  # the selector's substring match is wider than the hint ("authorization")
        text = _text(node)
        if 0 < len(text) < MAX_BYLINE and not _hidden_or_chrome(node):
            # a byline that marks up the name itself ("By <span itemprop=name>Ana</span> · 2 h") gives the name
            for named in node.css('[itemprop~="name"]'):
                name = _text(named)
                if name:
                    return name
            return text
    return None


def page_byline(tree: LexborHTMLParser, ld_items: list[dict[str, Any]]) -> str | None:
    """The page's byline from JSON-LD, meta tags or markup, in that order (module docstring)."""
    article = article_ld(ld_items)
    author = article.get("author") if article else None
    byline = _names(author) or meta_byline(tree) or markup_byline(tree)
    if byline:
        return byline
    return squash(author) or None if isinstance(author, str) else None
