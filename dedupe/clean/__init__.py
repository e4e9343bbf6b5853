"""Cleaning: remove page junk from plain text and HTML, every removal with a reason."""

from __future__ import annotations

from ..config import CleanConfig
from ..types import CleanDoc, Document
from .html import clean_html
from .text import clean_text

__all__ = ["clean_document", "clean_html", "clean_text"]


def clean_document(doc: Document, config: CleanConfig) -> CleanDoc:
    """Clean one input record (HTML when it has any, else text).

    With ``config.enabled`` false, text passes through untouched and HTML is
    only reduced to its text (no junk rules).

    Metadata given with the record (JSONL fields) wins over what the cleaner
    finds in the text.
    """
    if doc.html is not None:
        out = clean_html(doc.html, doc_id=doc.id, config=config)
    elif config.enabled:
        out = clean_text(doc.text or "", doc_id=doc.id, config=config, title=doc.title)
    else:
        out = CleanDoc(id=doc.id, text=(doc.text or "").strip())
    out.title = doc.title or out.title
    out.date = doc.date or out.date
    out.author = doc.author or out.author
    out.source = doc.source or out.source
    out.url = doc.url or out.url
    out.warnings.extend(doc.warnings)
    return out
