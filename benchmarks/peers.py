"""The tools users would pick instead of dedupe, wrapped once for every suite.

Each wrapper takes the same input our code takes and returns the same kind
of output, so a suite can time and score both in one run. The peers come with
the ``bench`` extra; :func:`have` says whether one is installed.

>>> have("datasketch")
True
>>> sets = datasketch_sign(["the quick brown fox jumps over the lazy dog"], shingle_size=3)
>>> len(sets)
1
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from typing import Any

from dedupe.normalize import tokens

_MODULES = {
    "datasketch": "datasketch",
    "trafilatura": "trafilatura",
    "justext": "justext",
    "readability": "readability",
    "resiliparse": "resiliparse",
}


def have(peer: str) -> bool:
    """Whether a peer's package is importable."""
    return importlib.util.find_spec(_MODULES.get(peer, peer)) is not None


def version(package: str) -> str | None:
    """The installed version of a distribution, or None."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as _v

    try:
        return _v(package)
    except PackageNotFoundError:
        return None


def _shingles(text: str, k: int) -> list[bytes]:
    words = tokens(text)
    if len(words) < k:
        return [" ".join(words).encode("utf-8")] if words else []
    return [" ".join(words[i : i + k]).encode("utf-8") for i in range(len(words) - k + 1)]


def datasketch_sign(texts: Sequence[str], *, num_perm: int = 128, shingle_size: int = 5,
                    hashfunc: Any = None) -> list[Any]:
    """datasketch ``MinHash`` of each text's word shingles via ``update_batch`` (its fast path).

    Same tokens and shingles as ours; ``hashfunc`` defaults to datasketch's sha1.
    """
    from datasketch import MinHash

    out = []
    for text in texts:
        m = MinHash(num_perm=num_perm, hashfunc=hashfunc) if hashfunc else MinHash(num_perm=num_perm)
        m.update_batch(_shingles(text, shingle_size))
        out.append(m)
    return out


def datasketch_dedup(ids: Sequence[str], texts: Sequence[str], *, threshold: float = 0.8,
                     num_perm: int = 128, shingle_size: int = 5) -> list[list[str]]:
    """The plain recipe: MinHash of raw-text word shingles, ``MinHashLSH`` at ``threshold``,
    clusters as connected components of LSH hits (no cleaning, no verification)."""
    from datasketch import MinHashLSH

    sigs = datasketch_sign(texts, num_perm=num_perm, shingle_size=shingle_size)
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    for i, m in zip(ids, sigs, strict=True):
        lsh.insert(i, m, check_duplication=False)
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, m in zip(ids, sigs, strict=True):
        for j in lsh.query(m):
            a, b = find(i), find(j)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[str, list[str]] = {}
    for i in ids:
        groups.setdefault(find(i), []).append(i)
    return sorted(sorted(g) for g in groups.values() if len(g) > 1)


def _paragraph_html(text: str) -> str:
    from html import escape

    paras = "".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line.strip())
    return f"<html><body><article>{paras}</article></body></html>"


def trafilatura_text(text: str) -> str:
    """trafilatura on plain text given to it as HTML paragraphs (how a user would feed it text)."""
    return trafilatura_html(_paragraph_html(text))


def trafilatura_html(html: str) -> str:
    """trafilatura's main text of a page, comments excluded (its better setting on news)."""
    import trafilatura

    return trafilatura.extract(html, include_comments=False, include_tables=True) or ""


def justext_text(text: str) -> str:
    """jusText with its English stop list, each line a paragraph."""
    return justext_html(_paragraph_html(text))


def justext_html(html: str) -> str:
    """jusText's good paragraphs of a page (English stop list)."""
    import justext

    paras = justext.justext(html.encode("utf-8", "replace"), justext.get_stoplist("English"))
    return "\n".join(p.text for p in paras if not p.is_boilerplate)


def readability_html(html: str) -> str:
    """readability-lxml's summary, reduced to text one line per block (as gold given as HTML is).

    A page it cannot parse raises (scored as an empty output by the caller); readability also logs each such
    failure with its traceback, which its logger is told not to print.
    """
    import logging

    from readability import Document

    from .data import html_text

    logging.getLogger("readability.readability").setLevel(logging.CRITICAL)
    return html_text(Document(html).summary(html_partial=True))


def resiliparse_html(html: str) -> str:
    """resiliparse's main-content extraction."""
    from resiliparse.extract.html2text import extract_plain_text

    return extract_plain_text(html, main_content=True)
