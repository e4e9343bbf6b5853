"""A bounded fuzzing run of the text and HTML cleaners (hypothesis-driven).

Each target gets inputs from hypothesis strategies (arbitrary Unicode,
article-shaped lines with junk phrases, HTML tag soup) plus byte-level
mutations of the seed articles, decoded the way the reader decodes files. An
input *fails* when the cleaner raises, when its result is not idempotent
(cleaning the cleaned text again, told its title, changes it) or when it
takes longer than ``slow_s`` (a hang in the making). The run is bounded by a
number of inputs and a time budget per target, and reports inputs tried,
failures and the first counterexamples.

Run it: ``python -m benchmarks.fuzz_cleaners [--quick]``. The strategies here
are also the ones ``tests/test_properties.py`` uses.
"""

from __future__ import annotations

import random
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

from benchmarks.common import Context, Suite, Table, suite_main
from benchmarks.data import ROOT

WORDS = ["the", "storm", "reached", "coast", "Remove", "Ads", "Sign", "up", "newsletter", "Related", "Articles",
         "Comments", "Share", "on", "Facebook", "Photo:", "Reuters", "2025-07-30", "By", "Jane", "Doe", "“quoted”",
         "—", "said", "Monday.", "Download", "our", "app", "Advertisement", "Read", "more", "\n", "\n\n", "  "]
LINES = [
    "Storm hits coast", "The storm reached the coast at dawn on Monday, officials said, and power failed across the city.",
    "Tired of too many ads? Remove Ads", "Sign up for our newsletter", "Related Articles", "Comments (12)",
    "Photo: Reuters", "By Jane Doe", "date 2025-07-30", "Share on Facebook", "Download our app today",
    "Officials said the repairs would take “weeks, not days” — longer than first hoped.", "Advertisement",
    "Read more: Floods return to the valley", "Harbour terminal delayed again", "",
]
TAGS = ["<p>", "</p>", "<div class='ad'>", "</div>", "<article>", "</article>", "<nav>", "</nav>", "<script>",
        "</script>", "<h1>", "</h1>", "<br>", "<!--", "-->", "&amp;", "&#0;", "<title>", "</title>",
        "<meta name='author' content='X'>", "<![CDATA[", "<a href=x>", "</a>", "<figure><figcaption>",
        "<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"author\": [", "<footer>", "<table><tr><td>"]

#: Text shaped like scraped articles: words, junk lines, any Unicode.
article_text = st.one_of(
    st.text(),
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=8)), max_size=120).map(" ".join),
    st.lists(st.one_of(st.sampled_from(LINES), st.text(max_size=60)), max_size=25).map("\n".join),
)
#: HTML tag soup around article text.
html_text = st.one_of(
    st.text(),
    st.lists(st.one_of(st.sampled_from(TAGS), article_text), max_size=40).map("".join),
)


def mutated_seeds(rng: random.Random, count: int) -> list[str]:
    """Seed articles (and an HTML wrapping of them) with random byte flips, cuts and splices, decoded."""
    from dedupe.readers import decode_bytes

    originals = [p.read_bytes() for p in sorted((ROOT / "seeds").glob("*.txt"))]
    originals += [b"<html><body><article><p>" + o.replace(b"\n", b"</p><p>") + b"</p></article></body></html>"
                  for o in originals]
    out = []
    for _ in range(count):
        data = bytearray(rng.choice(originals))
        for _ in range(rng.randrange(1, 20)):
            op, pos = rng.randrange(4), rng.randrange(max(1, len(data)))
            if op == 0:
                data[pos:pos + 1] = bytes([rng.randrange(256)])
            elif op == 1:
                del data[pos:pos + rng.randrange(1, 200)]
            elif op == 2:
                other = rng.choice(originals)
                start = rng.randrange(len(other))
                data[pos:pos] = other[start:start + rng.randrange(1, 400)]
            else:
                data[pos:pos] = rng.choice([b"\x00", b"\xff\xfe", b"\r", b"\n\n\n", b"<div>" * 50, b"\xe2\x80"])
        try:
            text, _ = decode_bytes(bytes(data))
        except ValueError:  # the reader rejects it as binary; the cleaner never sees it
            continue
        out.append(text)
    return out


@dataclass
class FuzzReport:
    """Inputs tried and failures of one target."""

    target: str
    tried: int = 0
    failures: int = 0
    slowest_s: float = 0.0
    seconds: float = 0.0
    examples: list[dict[str, Any]] = field(default_factory=list)

    def row(self) -> list[Any]:
        return [self.target, self.tried, self.failures, round(self.slowest_s, 4), round(self.seconds, 1)]


def _check(kind: str, text: str, report: FuzzReport, slow_s: float) -> None:
    from dedupe import clean_html, clean_text

    report.tried += 1
    t0 = time.perf_counter()
    problem = None
    try:
        doc = clean_html(text) if kind == "html" else clean_text(text)
        again = clean_text(doc.text, title=doc.title)
        if again.text != doc.text:
            problem = "not idempotent"
    except Exception as exc:  # noqa: BLE001 - counting every failure is the point
        problem = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    took = time.perf_counter() - t0
    report.slowest_s = max(report.slowest_s, took)
    if problem is None and took > slow_s:
        problem = f"slow: {took:.2f} s"
    if problem is not None:
        report.failures += 1
        if len(report.examples) < 5:
            report.examples.append({"input": text[:300], "length": len(text), "problem": problem})


def fuzz_target(
    name: str, kind: str, strategy: Any, *, max_inputs: int, budget_s: float, slow_s: float, seed: int
) -> FuzzReport:
    """Feed ``max_inputs`` hypothesis inputs (or ``budget_s`` seconds' worth) to one cleaner."""
    report = FuzzReport(name)
    start = time.perf_counter()

    @settings(max_examples=max_inputs, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @hypothesis_seed(seed)
    @given(strategy)
    def body(text: str) -> None:
        if time.perf_counter() - start < budget_s:
            _check(kind, text, report, slow_s)

    body()
    report.seconds = time.perf_counter() - start
    return report


def fuzz_mutations(*, count: int, budget_s: float, slow_s: float, seed: int) -> FuzzReport:
    """Byte-mutated seed articles through the text and HTML cleaners."""
    report = FuzzReport("mutated seeds (text + HTML)")
    start = time.perf_counter()
    for text in mutated_seeds(random.Random(seed), count):
        if time.perf_counter() - start > budget_s:
            break
        _check("html" if text.lstrip().startswith("<html") else "text", text, report, slow_s)
    report.seconds = time.perf_counter() - start
    return report


def run(ctx: Context) -> Suite:
    """The bounded fuzz run: inputs tried and failures per target."""
    n = int(ctx.options.get("fuzz_inputs", 40 if ctx.quick else 3000))
    budget = float(ctx.options.get("fuzz_budget_s", 4 if ctx.quick else 300))
    slow = float(ctx.options.get("fuzz_slow_s", 2.0))
    targets: list[tuple[str, Callable[[], FuzzReport]]] = [
        ("clean_text", lambda: fuzz_target("clean_text: article-shaped and arbitrary Unicode", "text",
                                           article_text, max_inputs=n, budget_s=budget, slow_s=slow, seed=ctx.seed)),
        ("clean_html", lambda: fuzz_target("clean_html: tag soup", "html", html_text, max_inputs=n,
                                           budget_s=budget, slow_s=slow, seed=ctx.seed)),
        ("mutations", lambda: fuzz_mutations(count=n, budget_s=budget, slow_s=slow, seed=ctx.seed)),
    ]
    reports = [fn() for _, fn in targets]
    table = Table(
        "Fuzzing the cleaners (bounded run)",
        ["target", "inputs tried", "failures", "slowest input (s)", "run (s)"],
        [r.row() for r in reports],
        note=(f"A failure is an exception, a non-idempotent result, or an input slower than {slow} s. "
              f"Bounds: {n} inputs and {budget:.0f} s per target."),
    )
    return Suite("fuzz_cleaners", tables=[table],
                 figures={r.target: {"tried": r.tried, "failures": r.failures, "slowest_s": r.slowest_s,
                                     "seconds": r.seconds, "examples": r.examples} for r in reports})


if __name__ == "__main__":
    suite_main(run, __doc__, figures=True)
