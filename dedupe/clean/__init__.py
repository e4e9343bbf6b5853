"""Cleaning: remove page junk from plain text and HTML, every removal with a reason."""

from __future__ import annotations

from ..config import CleanConfig
from ..types import CleanDoc, Document
from .explain import Explanation, why
from .html import clean_html
from .recurring import find_template_lines
from .text import clean_text

__all__ = ["Explanation", "clean_document", "clean_html", "clean_text", "find_template_lines", "why"]


def clean_document(doc: Document, config: CleanConfig, *, templates: frozenset[str] = frozenset()) -> CleanDoc:
    """Clean one input record (HTML when it has any, else text).

    With ``config.enabled`` false, text passes through untouched and HTML is
    only reduced to its text (no junk rules). ``templates`` are the corpus'
    site-template lines (:func:`find_template_lines`, run over all texts
    first); they apply to text records when ``config.recurring_lines`` is on.

    Metadata given with the record (JSONL fields) wins over what the cleaner
    finds in the text.
    """
    if doc.html is not None:
        out = clean_html(doc.html, doc_id=doc.id, config=config)
    elif config.enabled:
        out = clean_text(doc.text or "", doc_id=doc.id, config=config, title=doc.title, templates=templates)
    else:
        out = CleanDoc(id=doc.id, text=(doc.text or "").strip())
    out.title = doc.title or out.title
    out.date = doc.date or out.date
    out.author = doc.author or out.author
    out.source = doc.source or out.source
    out.url = doc.url or out.url
    out.warnings.extend(doc.warnings)
    return out
