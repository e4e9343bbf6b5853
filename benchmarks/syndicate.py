"""A labelled syndication generator: real article bodies turned into copies the
way syndication makes them, plus the hard negatives that fool dedup.

Sources: scrapinghub gold bodies (MIT) and dragnet gold articles (AGPL, read
from ``../shared/data`` at run time, never copied); without the data, the
scrapinghub sample in ``fixtures/syndication/bodies.jsonl`` (MIT). Bodies
that overlap an earlier body are dropped first, so distinct sources are
distinct stories.

A **story** is one body; its **copies** are pages of other sites carrying it:
a new headline, a date line, another quote style, an agency tag, the body
cut to 40–95 % of its words, paragraphs joined or split, short sub-headings
merged into the next paragraph, light word edits, and the site's own
template lines around it. Every page (the original too) is a different
site's page. **Hard negatives**, each labelled apart from the stories they
touch:

- ``template``: pages of one site share its header and footer lines;
  site templates are given to several different stories;
- ``glued``: a copy of story X with a related-article story Y glued after it,
  while a copy of Y is elsewhere in the corpus (the page belongs with X);
- ``brief``: a very short document, the first 15-35 words of a story;
- ``quote``: a follow-up story (another body, 180+ words) that quotes one paragraph of a
  story (at most 60 words and a third of the story);
- ``topic``: a same-topic article: the story's paragraphs with half their
  words swapped, so it shares vocabulary and subject but no passages.

``junk`` may be a function ``(lines, rng) -> lines`` applied to every page
(a hook for general page-junk injection); the generator itself adds only the
syndication pieces above.

>>> bodies = [(f"b{i}", "\\n".join(f"Paragraph {p} of story {i} says that item {i * 7 + p} went up by {p} points on the day it was reported." for p in range(8))) for i in range(6)]
>>> recs = generate(bodies, seed=3, stories=4)
>>> len({r.cluster for r in recs if r.kind in ("original", "copy")})
4
>>> recs == generate(bodies, seed=3, stories=4)
True
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

import numpy as np
import regex

from . import data

FIXTURE_BODIES = data.ROOT / "fixtures" / "syndication" / "bodies.jsonl"
Junk = Callable[[list[str], np.random.Generator], list[str]]

_SENTENCE_END = regex.compile(r"(?<=[.!?][\"”’']?)\s+(?=[\"“‘']?\p{Lu})")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
_CITIES = ("WASHINGTON", "LONDON", "NEW YORK", "BEIJING", "PARIS", "TOKYO", "BERLIN", "SYDNEY")
_AGENCIES = ("AP", "Reuters", "AFP", "Bloomberg", "dpa")
_SITE_WORDS = ("Daily", "Herald", "Tribune", "Courier", "Gazette", "Post", "Times", "Observer", "Ledger",
               "Chronicle", "Dispatch", "Sentinel", "Star", "Globe", "Record", "Journal", "Review", "Monitor")
_PLACES = ("Springfield", "Riverside", "Fairview", "Kingston", "Ashford", "Milton", "Lakewood", "Bristol",
           "Oakdale", "Easton", "Franklin", "Clayton", "Georgetown", "Salem", "Dover", "Hudson")
_RELATED = ("Related Articles", "More from {site}", "You may also like", "Read more", "Recommended for you")


@dataclass(frozen=True)
class Record:
    """One generated page: ``cluster`` is its gold label, ``kind`` how it was made."""

    id: str
    text: str
    cluster: str
    kind: str


# -- sources -------------------------------------------------------------------------


def paragraphs(body: str) -> list[str]:
    """The non-empty lines of a body, whitespace collapsed."""
    return [" ".join(p.split()) for p in body.splitlines() if p.strip()]


def _distinct(bodies: Iterable[tuple[str, str]], *, shingle: int = 8, max_overlap: float = 0.05) -> list[tuple[str, str]]:
    """Drop bodies sharing more than ``max_overlap`` of their word 8-grams with an earlier body."""
    owner: dict[int, int] = {}
    kept: list[tuple[str, str]] = []
    for key, body in bodies:
        words = body.lower().split()
        grams = {hash(tuple(words[i : i + shingle])) for i in range(max(1, len(words) - shingle + 1))}
        hits = Counter(owner[g] for g in grams if g in owner)
        if hits and hits.most_common(1)[0][1] > max_overlap * len(grams):
            continue
        for g in grams:
            owner.setdefault(g, len(kept))
        kept.append((key, body))
    return kept


def fixture_bodies() -> tuple[tuple[str, str], ...]:
    """The scrapinghub sample copied into ``fixtures/`` (MIT; see fixtures/README.md)."""
    rows = [json.loads(line) for line in FIXTURE_BODIES.read_text("utf-8").splitlines() if line]
    return tuple((r["id"], r["body"]) for r in rows)


@cache
def source_bodies() -> tuple[tuple[str, str], ...]:
    """(id, body) of distinct real articles of at least 120 words and 3 paragraphs."""
    if data.available():
        raw = [(f"sh-{p.id}", p.body) for p in data.scrapinghub()]
        raw += [(f"dn-{k}", b) for k, b in data.dragnet_articles()]
    else:
        raw = list(fixture_bodies())
    usable = [(k, b) for k, b in raw if len(b.split()) >= 120 and len(paragraphs(b)) >= 3]
    return tuple(_distinct(usable))


# -- syndication transforms ------------------------------------------------------------


def _sentences(paragraph: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(paragraph) if s]


def make_site(rng: np.random.Generator) -> dict[str, list[str] | str]:
    """A site: its name and the header and footer lines every one of its pages carries."""
    name = f"The {rng.choice(_PLACES)} {rng.choice(_SITE_WORDS)}"
    short = name.split()[1]
    header = [f"{name} | Local news, sport and weather", "Home News Sport Business Opinion Lifestyle",
              f"Subscribe to {name} from just $1 a week"]
    footer = [f"Sign up for the {short} newsletter to get the day's top stories delivered to your inbox.",
              f"Follow {name} on Facebook, Twitter and Instagram for breaking news and updates.",
              f"© {int(rng.integers(2019, 2026))} {name} Media Group. All rights reserved. Terms of use. "
              "Privacy policy. Cookie settings.",
              "About us Contact us Advertise with us Careers Help"]
    return {"name": name, "header": header, "footer": footer}


def _headline(paras: list[str], rng: np.random.Generator, site: str) -> str:
    """A new headline: 5-9 words of the lead paragraph, in order but not contiguous (a rewording,
    never a verbatim line of the body)."""
    words = [w.strip(",.;:\"“”()") for w in (paras[0].split() if paras else ["News"])]
    words = [w for w in words if w] or ["News"]
    n = min(len(words), int(rng.integers(5, 10)))
    picked = sorted(rng.choice(len(words), size=n, replace=False))
    title = " ".join(words[i] for i in picked)
    title = title[:1].upper() + title[1:]
    return title + str(rng.choice(["", f" | {site}", f" - {site}", ""]))


def _date_line(rng: np.random.Generator) -> str:
    y, m, d = int(rng.integers(2019, 2026)), int(rng.integers(1, 13)), int(rng.integers(1, 29))
    hh, mm = int(rng.integers(0, 24)), int(rng.integers(0, 60))
    return str(rng.choice([
        f"date {y}-{m:02d}-{d:02d}",
        f"Published {_MONTHS[m - 1]} {d}, {y} {hh % 12 + 1}:{mm:02d} {'AM' if hh < 12 else 'PM'}",
        f"Updated: {d:02d}/{m:02d}/{y} {hh:02d}:{mm:02d}",
        f"{_MONTHS[m - 1]} {d}, {y}",
    ]))


def _quote_style(text: str, rng: np.random.Generator) -> str:
    if rng.random() < 0.5:  # to straight
        return text.translate(str.maketrans("“”‘’", "\"\"''"))
    out = regex.sub(r"(?<=\w)'(?=\w)", "’", text)  # to curly
    out = regex.sub(r'"(?=\w)', "“", out)
    return regex.sub(r'(?<=\S)"', "”", out)


def _truncate(paras: list[str], rng: np.random.Generator) -> list[str]:
    """Keep 40–95 % of the words, cut at a sentence end."""
    total = sum(len(p.split()) for p in paras)
    budget = int(total * rng.uniform(0.4, 0.95))
    out: list[str] = []
    used = 0
    for p in paras:
        n = len(p.split())
        if used + n <= budget:
            out.append(p)
            used += n
            continue
        kept = []
        for s in _sentences(p):
            if used + len(s.split()) > budget:
                break
            kept.append(s)
            used += len(s.split())
        if kept:
            out.append(" ".join(kept))
        break
    return out or paras[:1]


def _reparagraph(paras: list[str], rng: np.random.Generator) -> list[str]:
    """Merge short sub-headings into the next paragraph; join or split some paragraphs."""
    out: list[str] = []
    carry = ""
    for p in paras:
        if len(p.split()) < 8 and not p.rstrip().endswith((".", "!", "?", "”", '"')):
            carry = f"{carry} {p}".strip()  # a sub-heading: merged into the text that follows
            continue
        p = f"{carry} {p}".strip() if carry else p
        carry = ""
        r = rng.random()
        sents = _sentences(p)
        if r < 0.15 and out:
            out[-1] = f"{out[-1]} {p}"
        elif r < 0.3 and len(sents) > 2:
            cut = int(rng.integers(1, len(sents)))
            out += [" ".join(sents[:cut]), " ".join(sents[cut:])]
        else:
            out.append(p)
    if carry:
        out.append(carry)
    return out


def _light_edits(paras: list[str], rng: np.random.Generator, rate: float = 0.01) -> list[str]:
    swaps = {"said": "says", "says": "said", "percent": "per cent", "per cent": "percent",
             "Mr.": "Mr", "U.S.": "US", "however": "but", "about": "around"}
    out = []
    for p in paras:
        words = p.split()
        for i in np.flatnonzero(rng.random(len(words)) < rate):
            w = words[i]
            if w in swaps:
                words[i] = swaps[w]
            elif rng.random() < 0.5 and len(words) > 1:
                words[i] = ""  # a dropped word
        out.append(" ".join(w for w in words if w))
    return out


def _agency(paras: list[str], rng: np.random.Generator) -> list[str]:
    agency = str(rng.choice(_AGENCIES))
    r = rng.random()
    if r < 0.4:
        return [f"{rng.choice(_CITIES)} ({agency}) — {paras[0]}", *paras[1:]]
    if r < 0.7:
        return [*paras, f"Reporting by {rng.choice(_PLACES)} staff; editing by the {agency} desk"]
    return [*paras, f"© {int(rng.integers(2019, 2026))} {agency}. All rights reserved."]


def syndicate_copy(paras: list[str], rng: np.random.Generator) -> list[str]:
    """The body of a syndicated copy (before headline, date line and site template)."""
    out = _reparagraph(paras, rng)
    if rng.random() < 0.8:
        out = _truncate(out, rng)
    out = _light_edits(out, rng)
    if rng.random() < 0.7:
        out = _agency(out, rng)
    return [_quote_style(p, rng) for p in out] if rng.random() < 0.7 else out


def headline(paras: list[str], rng: np.random.Generator, site: dict) -> str:
    """The headline :func:`page` would give ``paras`` on ``site`` (draw it first to know it)."""
    return _headline(paras, rng, str(site["name"]))


def page(body: list[str], rng: np.random.Generator, site: dict, *, related: list[str] | None = None,
         junk: Junk | None = None, title: str | None = None) -> str:
    """A page of ``site`` carrying ``body``: header, new headline (``title`` if given), maybe a date
    line, the body, an optional related-articles section, footer; then ``junk`` if given."""
    lines = [*site["header"], title if title is not None else headline(body, rng, site)]  # type: ignore[arg-type]
    if rng.random() < 0.8:
        lines.append(_date_line(rng))
    lines += body
    if related:
        lines += [str(rng.choice(_RELATED)).format(site=site["name"]), *related]
    lines += site["footer"]  # type: ignore[arg-type]
    if junk is not None:
        lines = junk(lines, rng)
    return "\n".join(lines)


def mutate(paras: list[str], rng: np.random.Generator, rate: float, vocab: np.ndarray) -> list[str]:
    """``paras`` with a share ``rate`` of their words swapped for draws from ``vocab``: new text with
    the same length, paragraphing and word statistics (a same-topic article, or a fresh original)."""
    out = []
    for p in paras:
        words = np.array(p.split(), dtype=object)
        mask = rng.random(len(words)) < rate
        words[mask] = vocab[rng.integers(0, len(vocab), int(mask.sum()))]
        out.append(" ".join(words))
    return out


# -- the labelled set ------------------------------------------------------------------


def generate(
    bodies: Sequence[tuple[str, str]],
    *,
    seed: int = 0,
    stories: int | None = None,
    max_copies: int = 4,
    negatives: bool = True,
    junk: Junk | None = None,
) -> list[Record]:
    """A labelled syndication set from ``bodies`` (``(id, text)`` pairs), deterministic in ``seed``.

    ``stories`` bodies become stories with 1..``max_copies`` copies each; the
    remaining bodies feed the negatives (follow-ups, glued related stories).
    """
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(bodies))
    n_stories = min(stories or len(bodies) // 2, len(bodies))
    story_paras = [paragraphs(bodies[i][1]) for i in order[:n_stories]]
    # follow-ups are built on spare bodies at least three times as long as the 60-word quote
    spare = [ps for ps in (paragraphs(bodies[i][1]) for i in order[n_stories:])
             if sum(len(p.split()) for p in ps) >= 180]
    vocab = np.array([w for ps in story_paras for p in ps for w in p.split() if w.isalpha()] or ["word"],
                     dtype=object)
    sites = [make_site(rng) for _ in range(max(4, n_stories // 3))]
    out: list[Record] = []

    def add(text: str, cluster: str, kind: str) -> None:
        out.append(Record(f"p{len(out):06d}", text, cluster, kind))

    for s, paras in enumerate(story_paras):
        cluster = f"story{s:05d}"
        used = rng.choice(len(sites), size=min(len(sites), max_copies + 1), replace=False)
        add(page(paras, rng, sites[used[0]], junk=junk), cluster, "original")
        for c in range(int(rng.integers(1, max_copies + 1))):
            site = sites[used[(c + 1) % len(used)]]
            related = None
            if negatives and rng.random() < 0.15:  # glued: another story rides along as "related"
                other = story_paras[int(rng.integers(0, n_stories))]
                if other is not paras:
                    related = [_headline(other, rng, ""), *other[: int(rng.integers(3, 7))]]
            add(page(syndicate_copy(paras, rng), rng, site, related=related, junk=junk), cluster,
                "glued" if related else "copy")
        if not negatives:
            continue
        r = rng.random()
        if r < 0.15:  # a brief: the first 15-35 words of the story's text
            lead = " ".join(" ".join(paras).split()[: int(rng.integers(15, 36))])
            add(page([lead], rng, sites[int(rng.integers(0, len(sites)))], junk=junk),
                f"brief{s:05d}", "brief")
        elif r < 0.35 and spare:  # a follow-up (another body, used once) quoting one paragraph
            other = spare.pop()
            cap = min(60, sum(len(p.split()) for p in paras) // 3)  # a paragraph, not most of the story
            quote = " ".join(max(paras, key=lambda p: len(p.split())).split()[:cap])
            body = [*other[:2], f"As reported earlier: {quote}", *other[2:]]
            add(page(body, rng, sites[int(rng.integers(0, len(sites)))], junk=junk), f"quote{s:05d}", "quote")
        elif r < 0.5:  # same topic, different article
            add(page(mutate(paras, rng, 0.5, vocab), rng, sites[int(rng.integers(0, len(sites)))], junk=junk),
                f"topic{s:05d}", "topic")
    order_out = rng.permutation(len(out))
    return [out[i] for i in order_out]


def gold_clusters(records: Sequence[Record]) -> list[list[str]]:
    """The gold clustering: record ids grouped by ``cluster``."""
    groups: dict[str, list[str]] = {}
    for r in records:
        groups.setdefault(r.cluster, []).append(r.id)
    return sorted(sorted(g) for g in groups.values())


def generate_corpus(n_docs: int, *, seed: int = 0, templates: bool = True,
                    junk: Junk | None = None) -> list[Record]:
    """``n_docs`` pages for scale runs: originals are real bodies with 30 % of their words
    swapped (so originals never share passages), each with 0–4 syndicated copies, on 200 sites.

    ``templates=False`` leaves out the sites' header and footer lines (articles as a cleaner
    hands them on: headline, date line, body, agency tag)."""
    rng = np.random.default_rng(seed)
    bodies = [paragraphs(b) for _, b in source_bodies()]
    vocab = np.array([w for ps in bodies for p in ps for w in p.split() if w.isalpha()], dtype=object)
    sites = [make_site(rng) for _ in range(200)]
    if not templates:
        sites = [{**site, "header": [], "footer": []} for site in sites]
    out: list[Record] = []
    while len(out) < n_docs:
        paras = mutate(bodies[int(rng.integers(0, len(bodies)))], rng, 0.3, vocab)
        cluster = f"story{len(out):07d}"
        out.append(Record(f"d{len(out):07d}", page(paras, rng, sites[int(rng.integers(0, 200))], junk=junk),
                          cluster, "original"))
        for _ in range(int(rng.integers(0, 5))):
            if len(out) >= n_docs:
                break
            out.append(Record(f"d{len(out):07d}", page(syndicate_copy(paras, rng), rng,
                                                        sites[int(rng.integers(0, 200))], junk=junk),
                              cluster, "copy"))
    return out


def write_jsonl(path: Path, records: Iterable[Record]) -> dict[str, int]:
    """Write records as JSONL (``id``, ``text``, ``cluster``, ``kind``); returns counts and text bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    n = text_bytes = 0
    with path.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(asdict(r), ensure_ascii=False) + "\n")
            n += 1
            text_bytes += len(r.text.encode("utf-8"))
    return {"docs": n, "text_bytes": text_bytes}
