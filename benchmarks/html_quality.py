"""HTML article extraction: dedupe against trafilatura, readability-lxml, resiliparse and jusText.

Every tool runs on the same pages in the same run (interleaved, so machine
noise hits them alike); one table per evaluation set:

- scrapinghub (181 news/blog pages, MIT): word-4-gram P/R/F1 as the set's
  SOURCE.md describes (:func:`benchmarks.metrics.corpus_prf`), pages/s;
- dragnet test split (415 pages, AGPLv3, read in place): the same F1 against
  the gold article (comments excluded);
- Mozilla Readability test pages (130, Apache-2.0): title and byline exact
  match (whitespace squashed), content F1 against the expected article;
- CleanEval 2007 (739 pages with gold, general web pages): F1;
- trafilatura-eval (990 pages, mostly German, Apache-2.0): "with"/"without"
  snippet precision/recall/F1, at most 6 snippets a side per page, as its
  SOURCE.md describes;
- where dedupe's HTML time goes (parse, metadata, DOM pass, classifier).

trafilatura runs with ``include_comments=False`` (comments are not article
text in any of the golds). jusText gets the English stoplist everywhere.

Run ``python -m benchmarks.html_quality [--quick]`` to print the report, or
``python -m benchmarks.html_quality --pages dragnet-train [TOOL]`` for one tool's
per-page P/R/F1 on one set, worst first (:func:`per_page`), or ``--pages
trafeval-tune [TOOL]`` (``trafeval-hold``, ``trafeval``) for the snippets each page
misses and keeps (:func:`snippet_pages`). TOOL ``dedupe-text`` is dedupe's plain-text path on each page's
article lines (:func:`dedupe_plain_text`). trafilatura-eval is split in two fixed
halves (:func:`trafeval_half`): rules are tuned on one and checked on the other.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from dedupe.clean import clean_text
from dedupe.clean.dom import main_content, page_blocks
from dedupe.clean.html import clean_html, read_metadata
from dedupe.clean.metadata import author_name, squash

from . import data, metrics, peers
from .common import Context, Suite, Table, interleaved

Extractor = Callable[[str], str]
QUICK_PAGES = 20
MAX_SNIPPETS = 6


def dedupe_text(html: str) -> str:
    return clean_html(html).text


def article_lines(html: str) -> str:
    """The lines of a page's article as the DOM pass bounds it, before any line rule: a page's text as a
    scraper that found the article would hand it over (headings, buttons, credits and teasers included)."""
    tree = LexborHTMLParser(html)
    if tree.body is None:
        return ""
    page = page_blocks(tree.body)
    main = main_content(page, read_metadata(tree)["title"])
    return "\n".join(page.blocks[i].text for i, why in main.decisions if why is None)


def dedupe_plain_text(html: str) -> str:
    """:func:`article_lines` cleaned as plain text (:func:`dedupe.clean.clean_text`): the text path on real pages."""
    return clean_text(article_lines(html)).text


TOOLS: dict[str, Extractor] = {
    "dedupe": dedupe_text,
    "trafilatura": peers.trafilatura_html,
    "readability-lxml": peers.readability_html,
    "resiliparse": peers.resiliparse_html,
    "jusText": peers.justext_html,
}
#: Tools ``--pages`` also takes that the report does not run: dedupe's text path on each page's article lines.
EXTRA_TOOLS: dict[str, Extractor] = {"dedupe-text": dedupe_plain_text}


def _safe(fn: Extractor) -> Extractor:
    def run(html: str) -> str:
        try:
            return fn(html)
        except Exception:  # a peer failing on a page scores that page as empty
            return ""

    return run


#: Pages per interleaved round: tools take turns on each chunk, so load spikes on the shared
#: machine hit every tool alike instead of whichever full pass they fall in.
CHUNK = 10


def extract_all(htmls: Sequence[str], tools: dict[str, Extractor] | None = None,
                repeats: int = 1) -> tuple[dict[str, list[str]], dict[str, float]]:
    """Outputs of every tool on every page, and each tool's pages/s.

    The pages go in chunks of :data:`CHUNK`; on each chunk the tools run in
    turn ``repeats`` times (:func:`benchmarks.common.interleaved`) and the
    median time counts. pages/s = pages / sum of the chunk medians.
    """
    tools = tools or TOOLS
    outputs: dict[str, list[str]] = {name: [] for name in tools}
    seconds = dict.fromkeys(tools, 0.0)
    for start in range(0, len(htmls), CHUNK):
        chunk = htmls[start : start + CHUNK]
        results: dict[str, list[str]] = {}

        def job(name: str, fn: Extractor, chunk: Sequence[str] = chunk,
                results: dict[str, list[str]] = results) -> Callable[[], None]:
            safe = _safe(fn)

            def go() -> None:
                results[name] = [safe(h) for h in chunk]

            return go

        timings = interleaved({name: job(name, fn) for name, fn in tools.items()}, repeats=repeats)
        for name, m in timings.items():
            seconds[name] += m.median
            outputs[name].extend(results[name])
    return outputs, {name: len(htmls) / t if t > 0 else float("inf") for name, t in seconds.items()}


def _prf_table(title: str, golds: Sequence[str], outputs: dict[str, list[str]],
               rates: dict[str, float], note: str, bag: bool = False) -> tuple[Table, dict[str, Any]]:
    """One row per tool: word-4-gram P/R/F1, pages/s; with ``bag`` also the token-set F1 (dragnet's protocol)."""
    rows, figures = [], {}
    ours = rates.get("dedupe", 0.0)
    for name, outs in outputs.items():
        p, r, f = metrics.corpus_prf(zip(outs, golds, strict=True))
        speedup = ours / rates[name] if rates[name] else float("inf")
        row: list[Any] = [name, p, r, f]
        figures[name] = {"precision": p, "recall": r, "f1": f, "pages_per_s": rates[name]}
        if bag:
            bp, br, bf = metrics.corpus_prf(zip(outs, golds, strict=True), bag=True)
            row.append(bf)
            figures[name].update(bag_precision=bp, bag_recall=br, bag_f1=bf)
        rows.append([*row, round(rates[name], 1), round(speedup, 2)])
    rows.sort(key=lambda row: -row[3])
    header = ["tool", "precision", "recall", "F1", *(["token-set F1"] if bag else []), "pages/s", "dedupe speed ÷ tool"]
    return Table(title, header, rows, note), figures


def _pages(pages: Sequence[Any], ctx: Context) -> Sequence[Any]:
    return pages[:QUICK_PAGES] if ctx.quick else pages


def scrapinghub_table(ctx: Context) -> tuple[Table, dict[str, Any]]:
    pages = _pages(data.scrapinghub(), ctx)
    outputs, rates = extract_all([p.html for p in pages], repeats=1 if ctx.quick else ctx.repeats)
    return _prf_table(
        f"scrapinghub article extraction ({len(pages)} pages)", [p.body for p in pages], outputs, rates,
        "Word-4-gram P and R averaged over pages, F1 of the averages (benchmarks.metrics.corpus_prf). "
        "pages/s: tools take turns on each 10-page chunk, 3 rounds, median per chunk, summed.",
    )


def dragnet_table(ctx: Context) -> tuple[Table, dict[str, Any]]:
    pages = _pages(data.dragnet("test"), ctx)
    outputs, rates = extract_all([p.html for p in pages])
    return _prf_table(
        f"dragnet test split ({len(pages)} pages, held out)", [p.body for p in pages], outputs, rates,
        "Gold = the article part, above dragnet's separator line (comments excluded; benchmarks.data.dragnet_gold "
        "decodes the golds stored as UTF-16 and splits the ones the derived file left whole: page 49 here). "
        "The gold includes each page's headline and byline, which dedupe moves to metadata fields. "
        "F1 is the word-4-gram score of the other tables; token-set F1 is dragnet's own protocol (sets of "
        "\\w+ tokens per page, benchmarks.metrics.bag_prf), both for every tool alike.",
        bag=True,
    )


def cleaneval_table(ctx: Context) -> tuple[Table, dict[str, Any]]:
    pages = _pages(data.cleaneval(), ctx)
    outputs, rates = extract_all([p.html for p in pages])
    return _prf_table(
        f"CleanEval 2007 ({len(pages)} pages with gold)", [p.body for p in pages], outputs, rates,
        "General 2007 web pages, not news; the gold keeps headings and list items.",
    )


def _snippet_form(text: str) -> str:
    """Text as snippets are matched: whitespace squashed, Unicode NFC (:func:`benchmarks.metrics.canonical`)."""
    return metrics.canonical(squash(text))


def snippet_prf(outputs: Sequence[str], pages: Sequence[data.SnippetPage]) -> tuple[float, float, float]:
    """Corpus precision, recall and F1 of 'with'/'without' snippets (at most 6 a side per page).

    >>> page = data.SnippetPage("x", "", "u", ("good text",), ("menu",))
    >>> snippet_prf(["some good  text here"], [page])
    (1.0, 1.0, 1.0)
    """
    tp = fp = fn = 0
    for out, page in zip(outputs, pages, strict=True):
        text = _snippet_form(out)
        for snippet in page.with_[:MAX_SNIPPETS]:
            if _snippet_form(snippet) in text:
                tp += 1
            else:
                fn += 1
        for snippet in page.without[:MAX_SNIPPETS]:
            if _snippet_form(snippet) in text:
                fp += 1
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def trafilatura_eval_table(ctx: Context) -> tuple[Table, dict[str, Any]]:
    pages = _pages(data.trafilatura_eval(), ctx)
    outputs, rates = extract_all([p.html for p in pages])
    rows: list[list[Any]] = []
    figures: dict[str, Any] = {}
    for name, outs in outputs.items():
        p, r, f = snippet_prf(outs, pages)
        rows.append([name, p, r, f, round(rates[name], 1), round(rates["dedupe"] / rates[name], 2)])
        figures[name] = {"precision": p, "recall": r, "f1": f, "pages_per_s": rates[name]}
    rows.sort(key=lambda row: -row[3])
    return Table(
        f"trafilatura-eval snippets ({len(pages)} pages, mostly German)",
        ["tool", "precision", "recall", "F1", "pages/s", "dedupe speed ÷ tool"], rows,
        "A 'with' snippet found is a TP, missing an FN; a 'without' snippet found is an FP "
        "(whitespace squashed, at most 6 per side per page).",
    ), figures


def _same(a: str | None, b: str | None) -> bool:
    return squash(a or "") == squash(b or "")


def readability_table(ctx: Context) -> tuple[Table, dict[str, Any]]:
    cases = _pages(data.mozilla_readability(), ctx)
    htmls = [c.html for c in cases]
    outputs, rates = extract_all(htmls)
    metas: dict[str, list[tuple[str | None, str | None]]] = {
        "dedupe": [(d.title, d.author) for d in (_safe_doc(h) for h in htmls)],
    }
    try:
        import trafilatura

        tm = [_safe_call(partial(trafilatura.extract_metadata, h)) for h in htmls]
        metas["trafilatura"] = [(m.title, m.author) if m is not None else (None, None) for m in tm]
    except ImportError:
        pass
    try:
        from readability import Document

        metas["readability-lxml"] = [(_safe_call(partial(_short_title, Document, h)), None) for h in htmls]
    except ImportError:
        pass
    with_byline = [i for i, c in enumerate(cases) if c.byline]
    rows, figures = [], {}
    for name, outs in outputs.items():
        _, _, f = metrics.corpus_prf(zip(outs, [c.body for c in cases], strict=True))
        title = byline = None
        if name in metas:
            title = sum(_same(m[0], c.title) for m, c in zip(metas[name], cases, strict=True)) / len(cases)
            if name != "readability-lxml" and with_byline:
                byline = sum(author_name(metas[name][i][1]) == author_name(cases[i].byline)
                             for i in with_byline) / len(with_byline)
        rows.append([name, "—" if title is None else round(title, 3), "—" if byline is None else round(byline, 3),
                     f, round(rates[name], 1)])
        figures[name] = {"title_match": title, "byline_match": byline, "content_f1": f, "pages_per_s": rates[name]}
    return Table(
        f"Mozilla Readability test pages ({len(cases)} pages; {len(with_byline)} with a byline)",
        ["tool", "title match", "byline match", "content F1", "pages/s"], rows,
        "Exact match after squashing whitespace; bylines compare their names (metadata.author_name on both "
        "sides for every tool: no 'By', 'and' as a comma). readability-lxml's title is Document.short_title(); "
        "it has no byline. resiliparse and jusText give no metadata. Content F1 is against Readability.js's own "
        "expected output, not a human gold.",
    ), figures


def _safe_doc(html: str) -> Any:
    try:
        return clean_html(html)
    except Exception:
        from dedupe.types import CleanDoc

        return CleanDoc(id="", text="")


def _short_title(document: Callable[[str], Any], html: str) -> Any:
    return document(html).short_title()


def _safe_call(fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except Exception:
        return None


def time_split_table(ctx: Context) -> tuple[Table, dict[str, Any]]:
    """ms per page of each stage of dedupe's HTML path on the scrapinghub pages."""
    from selectolax.lexbor import LexborHTMLParser

    from dedupe.clean.classify import classify

    pages = _pages(data.scrapinghub(), ctx)
    stages: dict[str, list[float]] = {"parse": [], "metadata": [], "DOM pass (walk + container)": [],
                                      "classifier": [], "whole clean_html": []}
    for p in pages:
        t0 = time.perf_counter()
        tree = LexborHTMLParser(p.html)
        t1 = time.perf_counter()
        meta = read_metadata(tree)
        t2 = time.perf_counter()
        page = page_blocks(tree.body) if tree.body is not None else None
        main = main_content(page, meta["title"]) if page is not None else None
        t3 = time.perf_counter()
        kept = [page.blocks[i].text for i, why in main.decisions if why is None] if page and main else []
        classify(kept, title_hint=meta["title"], glued_stories=False)
        t4 = time.perf_counter()
        clean_html(p.html)
        t5 = time.perf_counter()
        for name, dt in zip(stages, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4), strict=True):
            stages[name].append(dt * 1000)
    total = sum(statistics.fmean(v) for k, v in stages.items() if k != "whole clean_html")
    rows = [[k, round(statistics.fmean(v), 3), round(statistics.median(v), 3),
             "" if k == "whole clean_html" else f"{statistics.fmean(v) / total:.0%}"] for k, v in stages.items()]
    mb = sum(len(p.html.encode("utf-8")) for p in pages) / 1e6
    whole_s = sum(stages["whole clean_html"]) / 1000
    return Table(
        f"where dedupe's HTML time goes ({len(pages)} scrapinghub pages, {mb:.1f} MB)",
        ["stage", "mean ms/page", "median ms/page", "share"], rows,
        f"Whole path: {mb / whole_s:.1f} MB/s of HTML. The classifier is the one plain text uses.",
    ), {k: statistics.fmean(v) for k, v in stages.items()}


def run(ctx: Context) -> Suite:
    """All HTML tables (``ctx.quick``: the first 20 pages of each set, one timing pass)."""
    suite = Suite("html_quality")
    for name, builder in (
        ("scrapinghub", scrapinghub_table),
        ("dragnet_test", dragnet_table),
        ("mozilla_readability", readability_table),
        ("cleaneval", cleaneval_table),
        ("trafilatura_eval", trafilatura_eval_table),
        ("time_split", time_split_table),
    ):
        table, figures = builder(ctx)
        suite.tables.append(table)
        suite.figures[name] = figures
    return suite


#: Sets :func:`per_page` scores: name -> (pages, gold text of a page).
PAGE_SETS: dict[str, Callable[[], Sequence[Any]]] = {
    "dragnet-train": lambda: data.dragnet("train"),
    "dragnet-test": lambda: data.dragnet("test"),
    "scrapinghub": data.scrapinghub,
    "cleaneval": data.cleaneval,
}


def per_page(pages: Sequence[Any], extract: Extractor) -> list[tuple[str, float, float, float, int, int]]:
    """(page id, precision, recall, F1, gold words, output words) per page, lowest F1 first.

    The loss analysis view: the corpus F1 moves with the pages in the 0.7-0.9 band as much as
    with the pages at 0.

    >>> page = data.GoldPage("p1", "<p>one two three four five</p>", "one two three four five", None, "")
    >>> per_page([page], lambda html: "one two three four six")
    [('p1', 0.5, 0.5, 0.5, 5, 5)]
    """
    rows = []
    for page in pages:
        gold = page.body
        out = _safe(extract)(page.html)
        p, r, f = metrics.ngram_prf(out, gold)
        rows.append((page.id, p, r, f, len(gold.split()), len(out.split())))
    rows.sort(key=lambda row: (row[3], row[0]))
    return rows


def trafeval_half(half: str) -> tuple[data.SnippetPage, ...]:
    """One fixed half of trafilatura-eval: ``"tune"`` (even positions in file order), ``"hold"`` (odd)."""
    if half not in ("tune", "hold"):
        raise ValueError(f"trafilatura-eval half {half!r}: pick 'tune' or 'hold'")
    return data.trafilatura_eval()[half == "hold" :: 2]


#: Snippet sets :func:`snippet_pages` scores.
SNIPPET_SETS: dict[str, Callable[[], Sequence[data.SnippetPage]]] = {
    "trafeval-tune": lambda: trafeval_half("tune"),
    "trafeval-hold": lambda: trafeval_half("hold"),
    "trafeval": data.trafilatura_eval,
}


def snippet_pages(pages: Sequence[data.SnippetPage],
                  extract: Extractor) -> list[tuple[str, list[str], list[str], int, int]]:
    """Per page: (id, 'with' snippets missed, 'without' snippets kept, 'with' found, 'without' checked).

    Pages in input order; at most :data:`MAX_SNIPPETS` a side count, as in :func:`snippet_prf`.

    >>> page = data.SnippetPage("p1", "", "u", ("good text", "lost"), ("menu",))
    >>> snippet_pages([page], lambda html: "good text menu")
    [('p1', ['lost'], ['menu'], 1, 1)]
    """
    rows = []
    for page in pages:
        text = _snippet_form(_safe(extract)(page.html))
        withs, withouts = page.with_[:MAX_SNIPPETS], page.without[:MAX_SNIPPETS]
        missed = [s for s in withs if _snippet_form(s) not in text]
        kept = [s for s in withouts if _snippet_form(s) in text]
        rows.append((page.id, missed, kept, len(withs) - len(missed), len(withouts)))
    return rows


def print_snippet_pages(set_name: str, tool: str = "dedupe") -> None:
    """Print the snippets ``tool`` misses and keeps per page of ``set_name`` (:data:`SNIPPET_SETS`), and P/R/F1."""
    pages = SNIPPET_SETS[set_name]()
    rows = snippet_pages(pages, {**TOOLS, **EXTRA_TOOLS}[tool])
    tp = fn = fp = 0
    for pid, missed, kept, found, _ in rows:
        tp, fn, fp = tp + found, fn + len(missed), fp + len(kept)
        if missed or kept:
            print(pid)
            for s in missed:
                print(f"\tmissed\t{s[:100]!r}")
            for s in kept:
                print(f"\tkept\t{s[:100]!r}")
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    print(f"# {tool} on {set_name} ({len(rows)} pages): P {prec:.4f} R {rec:.4f} F1 {f1:.4f} "
          f"(with found {tp}, missed {fn}; without kept {fp})")


def print_per_page(set_name: str, tool: str = "dedupe") -> None:
    """Print :func:`per_page` of ``tool`` on ``set_name`` (a key of :data:`PAGE_SETS`) and the corpus P/R/F1."""
    if set_name not in PAGE_SETS and set_name not in SNIPPET_SETS:
        raise SystemExit(f"unknown set {set_name!r}: pick one of {', '.join([*PAGE_SETS, *SNIPPET_SETS])}")
    tools = {**TOOLS, **EXTRA_TOOLS}
    if tool not in tools:
        raise SystemExit(f"unknown tool {tool!r}: pick one of {', '.join(tools)}")
    if set_name in SNIPPET_SETS:
        print_snippet_pages(set_name, tool)
        return
    rows = per_page(PAGE_SETS[set_name](), tools[tool])
    print("id\tP\tR\tF1\tgold_words\tout_words")
    for pid, p, r, f, gw, ow in rows:
        print(f"{pid}\t{p:.3f}\t{r:.3f}\t{f:.3f}\t{gw}\t{ow}")
    prec = statistics.fmean(row[1] for row in rows)
    rec = statistics.fmean(row[2] for row in rows)
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    print(f"# {tool} on {set_name} ({len(rows)} pages): P {prec:.4f} R {rec:.4f} F1 {f1:.4f}")


def main(argv: Sequence[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m benchmarks.html_quality", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_PAGES} pages per set (what the tests run)")
    parser.add_argument("--pages", nargs="+", metavar=("SET", "TOOL"),
                        help=f"per-page P/R/F1 of TOOL (default dedupe) on SET: one of {', '.join([*PAGE_SETS, *SNIPPET_SETS])}")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.pages:
        if len(args.pages) > 2:
            parser.error("--pages takes a set and at most one tool")
        print_per_page(*args.pages)
        return
    ctx = Context(quick=args.quick)
    suite = run(ctx)
    print("\n".join(t.markdown() for t in suite.tables))


if __name__ == "__main__":
    main()
