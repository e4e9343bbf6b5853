"""Junk-injection generator: real article bodies plus realistic page junk, every block labelled.

Real bodies come from the scrapinghub article-extraction benchmark (MIT); a
sample of English articles is copied into ``fixtures/clean/scrapinghub_sample.jsonl``
(see ``fixtures/README.md``) so the test gate needs no shared data. The junk is
written here from slot templates (site names, sections, verbs, counts …), so
two instances of one junk class rarely share their wording. Related stories are
the title and paragraphs of *other* real articles of the same split.

Tune on one split/seed, gate on another: :data:`TUNE` and :data:`GATE` name
disjoint article splits and different generator seeds.

>>> arts = [Article(f"a{i}", "", f"Title number {i} about things",
...                 f"First paragraph {i} of the story goes here.\\n\\nSecond paragraph {i} follows it.")
...         for i in range(4)]
>>> docs = generate(arts, seed=7)
>>> len(docs), all(d.body for d in docs)
(4, True)
>>> docs[0] == generate(arts, seed=7)[0]
True
>>> sorted({b.label for d in docs for b in d.blocks} - set(REASON_LABELS))
['keep']
"""

from __future__ import annotations

import html as html_mod
import json
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from dedupe.types import KEEP, REASONS

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "fixtures" / "clean" / "scrapinghub_sample.jsonl"
REASON_LABELS = tuple(r for r in REASONS if r != "boilerplate")


@dataclass(frozen=True)
class Article:
    """A real article: id, url, title and gold body (paragraphs separated by newlines)."""

    id: str
    url: str
    title: str
    body: str

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.splitlines() if p.strip() and p.strip() != "\u200b"]


@dataclass(frozen=True)
class GenBlock:
    """One line of a generated document and its true label (``keep`` or a reason)."""

    text: str
    label: str
    fragments: tuple[tuple[str, str], ...] = ()
    """(text, reason) of junk glued inside a kept block (inline ads)."""


@dataclass
class GenDoc:
    """A generated document: labelled blocks and the true body text."""

    id: str
    title: str
    blocks: list[GenBlock] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)

    @property
    def body(self) -> str:
        """The real article text: kept blocks with their inline junk cut out."""
        out = []
        for b in self.blocks:
            if b.label != KEEP:
                continue
            text = b.text
            for frag, _ in b.fragments:
                text = text.replace(frag, " ", 1)
            out.append(re.sub(r"\s+", " ", text).strip())
        return "\n".join(out)


# ----------------------------------------------------------------------------- sample


def _og_title(html: str) -> str:
    for pattern in (
        r"<meta[^>]+property=[\"']og:title[\"'][^>]*content=(?P<q>[\"'])(?P<t>[^<>]+?)(?P=q)",
        r"<meta[^>]+content=(?P<q>[\"'])(?P<t>[^<>]+?)(?P=q)[^>]*property=[\"']og:title",
        r"<title[^>]*>(?P<t>[^<]+)</title>",
    ):
        m = re.search(pattern, html, re.I)
        if m:
            title = html_mod.unescape(m.group("t")).strip()
            return max(re.split(r"\s+[|]\s+", title), key=len).strip()
    return ""


_ENGLISH = frozenset("the of and to a in is that for it on was with as by at from are be this have".split())


def build_sample(limit: int = 90, path: Path = SAMPLE) -> int:
    """Copy ``limit`` English scrapinghub articles (id, url, title, body) into the fixture file.

    Needs ../shared/data; run once by a maintainer: ``python -m benchmarks.junk``.
    """
    from . import data

    rows = []
    for page in data.scrapinghub():
        body = page.body
        letters = re.findall(r"[^\W\d_]", body)
        ascii_share = sum(c.isascii() for c in letters) / max(1, len(letters))
        paras = [p for p in body.splitlines() if p.strip()]
        title = _og_title(page.html)
        words = re.findall(r"[a-z]+", body.lower())
        english = sum(w in _ENGLISH for w in words) / max(1, len(words))
        if ascii_share > 0.98 and english > 0.2 and 800 < len(body) < 9000 and len(paras) >= 4 and title:
            rows.append({"id": page.id, "url": page.url or "", "title": title, "body": body})
        if len(rows) >= limit:
            break
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return len(rows)


def load_sample(path: Path = SAMPLE) -> list[Article]:
    """The articles of the committed fixture sample, in file order."""
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing; build it with `python -m benchmarks.junk`")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [Article(r["id"], r["url"], r["title"], r["body"]) for r in rows]


#: (split name, generator seed) used for tuning the classifier, and the held-out gate.
TUNE = ("even", 11)
GATE = ("odd", 2027)


def split(articles: Sequence[Article], name: str) -> list[Article]:
    """``even``/``odd`` positions of the sample: disjoint article sets for tune and gate."""
    start = {"even": 0, "odd": 1}[name]
    return list(articles[start::2])


# ----------------------------------------------------------------------------- vocabulary

SITES = ["The Daily Ledger", "Metro Wire", "Northside Post", "Coastline Herald", "TechBeat", "Valley Courier",
         "Global Dispatch", "Morning Signal", "City Chronicle", "Insight Today", "Harbor Times", "Newsline 24"]
SECTIONS = ["Business", "Tech", "Politics", "World", "Sport", "Culture", "Science", "Markets", "Opinion",
            "Health", "Travel", "Money"]
NAMES = ["Maria Lopez", "James Okafor", "Chen Wei", "Sarah Lindqvist", "Tom Becker", "Aisha Rahman",
         "Daniel Moreau", "Priya Nair", "Lukas Novak", "Emma Clarke", "Hiro Tanaka", "Nora Feld"]
AGENCIES = ["Reuters", "AP", "AFP", "Getty Images", "Bloomberg", "EPA", "Shutterstock", "PA"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
CITIES = ["Berlin", "Chicago", "Lagos", "Mumbai", "Toronto", "Madrid", "Seoul", "Denver", "Lyon", "Perth"]
TOOLS = [("Notely", "A tidy note-taking app for teams"), ("PixelForge", "Edit photos in your browser"),
         ("Quillpad", "Distraction-free writing editor"), ("ZipRelay", "Send large files for free"),
         ("Chartwise", "Make charts from spreadsheets in seconds"), ("VoxClip", "Turn speech into text"),
         ("Framekit 2.4", "Lightweight video editor for beginners"), ("CodeNest", "Online IDE with live preview"),
         ("Planova", "Simple project planning boards"), ("MailDrop Pro", "Bulk email without the hassle"),
         ("SnapCrop 3.1", "Batch resize and crop images"), ("TaskTide", "Habit tracker with reminders")]


T = TypeVar("T")


def _pick(rng: random.Random, options: Sequence[T]) -> T:
    return options[rng.randrange(len(options))]


def _date(rng: random.Random) -> tuple[str, str]:
    y, m, d = rng.randint(2015, 2025), rng.randint(1, 12), rng.randint(1, 28)
    iso = f"{y:04d}-{m:02d}-{d:02d}"
    human = _pick(rng, [f"{MONTHS[m - 1]} {d}, {y}", f"{d} {MONTHS[m - 1]} {y}", iso,
                        f"{MONTHS[m - 1][:3]} {d}, {y} {rng.randint(1, 12)}:{rng.randint(0, 59):02d} {_pick(rng, ['AM', 'PM'])}"])
    return iso, human


# ----------------------------------------------------------------------------- junk makers
# Each returns a list of (text, label) lines.


def _ad(rng: random.Random, site: str) -> list[tuple[str, str]]:
    return [(_pick(rng, [
        "Advertisement", "ADVERTISEMENT", "Sponsored content", "Advertisement - scroll to continue",
        "Story continues below advertisement", "Sponsored", "Promoted content", f"Ads by {site}",
        "Continue reading below", "Paid content", "Tired of too many ads? Remove Ads",
        "Scroll to continue with content", f"Enjoy an ad-free experience with {site} Plus",
    ]), "ad")]


INLINE_ADS = ["Tired of too many ads? Remove Ads", "ADVERTISEMENT", "Story continues below advertisement",
              "Advertisement - scroll to continue", "Continue reading below"]


def _newsletter(rng: random.Random, site: str) -> list[tuple[str, str]]:
    section = _pick(rng, SECTIONS)
    head = _pick(rng, [f"{site} in your inbox", f"Get the {section} briefing", f"The {section} newsletter",
                       f"Sign up for {site} {section}", f"Never miss a {section.lower()} story",
                       f"{section} Daily: free newsletter", "Stay in the know", f"Want more {section.lower()}?"])
    when = _pick(rng, ["every morning", "each weekday", "every Friday", "twice a week", "daily", "at lunchtime"])
    what = _pick(rng, ["the day's top stories", "our best analysis", "the headlines that matter",
                       f"essential {section.lower()} news", "hand-picked reads", "the latest news and analyses"])
    body = _pick(rng, [f"Get {what} delivered straight to your inbox {when}.",
                       f"Sign up to receive {what} {when}.",
                       f"Subscribe to our newsletter for {what}, sent {when}.",
                       f"Enter your email address and we'll send you {what} {when}.",
                       f"Join thousands of readers who get {what} in their inbox {when}.",
                       f"Start and end each day with {what} delivered to your inbox."])
    button = _pick(rng, ["Sign Up", "Subscribe", "Sign me up", "Subscribe now", "Sign up", "Join now"])
    lines = [(head, "newsletter"), (body, "newsletter")]
    if rng.random() < 0.4:
        lines.append((_pick(rng, ["Enter your email", "Your email address", "Email address"]), "newsletter"))
    lines.append((button, "newsletter"))
    if rng.random() < 0.3:
        lines.append((_pick(rng, ["You can unsubscribe at any time.", "By signing up you agree to our privacy policy.",
                                  "Unsubscribe anytime. No spam."]), "newsletter"))
    return lines


def _comments(rng: random.Random, site: str) -> list[tuple[str, str]]:
    n = rng.randint(0, 240)
    head = _pick(rng, ["Comments", f"{n} Comments", f"Comments ({n})", "Discussion", "Join the conversation",
                       f"{n} comments", "Reader comments"])
    lines = [(head, "comments")]
    lines.append((_pick(rng, ["No comments yet...", "Be the first to comment", "Log in to leave a comment",
                              "Comments are closed for this story.", "Show comments", "Leave a reply",
                              "Sign in to join the discussion", "Load comments"]), "comments"))
    return lines


def _app(rng: random.Random, site: str) -> list[tuple[str, str]]:
    return [(_pick(rng, [
        f"Download the {site} app", "Get the app", f"Read this story in the {site} app",
        "Get breaking news alerts: download our app from the App Store or Google Play.",
        "Open in app", f"Try the {site} app today, free on iOS and Android.",
        "Available on the App Store and Google Play", f"Install our app to follow {_pick(rng, SECTIONS)} live.",
    ]), "app_promo")]


def _share(rng: random.Random, site: str) -> list[tuple[str, str]]:
    nets = ["Facebook", "Twitter", "LinkedIn", "WhatsApp", "Email", "Reddit", "Pinterest", "Print", "Copy link"]
    rng.shuffle(nets)
    sep = _pick(rng, [" ", " | ", " · ", ", ", " / "])
    row = sep.join(nets[: rng.randint(2, 5)])
    return [(_pick(rng, [row, "Share this article", f"Share{sep}{row}", "Share", "Share this story",
                         f"Share on {nets[0]}"]), "share")]


def _cookie(rng: random.Random, site: str) -> list[tuple[str, str]]:
    text = _pick(rng, [
        "We use cookies to give you the best experience on our site. By continuing you agree to our cookie policy.",
        f"{site} uses cookies to personalise content and ads. Manage your cookie settings or accept all.",
        "This website uses cookies. Read our cookie policy to learn more. Accept",
        "We and our partners use cookies and similar technologies. Click Accept all to consent.",
        "Cookies help us deliver our services. By using our services, you agree to our use of cookies.",
    ])
    lines = [(text, "chrome")]
    if rng.random() < 0.5:
        lines.append((_pick(rng, ["Accept all", "Accept", "Reject all", "Manage preferences"]), "chrome"))
    return lines


def _chrome(rng: random.Random, site: str) -> list[tuple[str, str]]:
    secs = list(SECTIONS)
    rng.shuffle(secs)
    return [(_pick(rng, ["logo", "Menu", "Skip to main content", "Search", "Home",
                         " | ".join(["Home", *secs[: rng.randint(3, 6)]]), "Back to top", "Log in",
                         "Toggle navigation"]), "chrome")]


def _caption(rng: random.Random, site: str) -> list[tuple[str, str]]:
    def one() -> str:
        who = _pick(rng, ["Protesters gather", "Officials speak", "Workers walk", "Visitors queue",
                          "Fans celebrate", "Traders react", "Residents wait", "Engineers inspect equipment"])
        where = _pick(rng, [f"outside the town hall in {_pick(rng, CITIES)}", f"in {_pick(rng, CITIES)}",
                            "near the main entrance", "at a press conference", "at the site"])
        when = _pick(rng, ["", f" on {_pick(rng, WEEKDAYS)}", f" in {_pick(rng, MONTHS)}"])
        return f"{who} {where}{when}."

    credit = _pick(rng, [f"Photo: {_pick(rng, NAMES)}/{_pick(rng, AGENCIES)}", f"({_pick(rng, AGENCIES)})",
                         f"Image: {_pick(rng, AGENCIES)}", f"Credit: {_pick(rng, NAMES)}"])
    form = rng.random()
    if form < 0.4:
        text = one() + one()
    elif form < 0.7:
        text = one() + credit
    else:
        text = credit
    return [(text, "caption")]


def _metadata(rng: random.Random, site: str) -> list[tuple[str, str]]:
    iso, human = _date(rng)
    return [(_pick(rng, [f"Published {human}", f"Updated: {human}", f"By {_pick(rng, NAMES)}",
                         f"By {_pick(rng, NAMES)} and {_pick(rng, NAMES)}", f"{rng.randint(2, 55)} minutes ago",
                         f"Posted on {human}", f"Last updated {human}", f"{rng.randint(1, 23)} hours ago"]),
             "metadata")]


def _cms_footer(rng: random.Random, site: str, title: str) -> list[tuple[str, str]]:
    year = rng.randint(2015, 2025)
    return [(_pick(rng, [
        f"The above is the detailed content of {title}. For more information, please follow other related "
        f"articles on the {site} website!",
        f"© {year} {site}. All rights reserved.",
        f"Copyright {year} {site}. All rights reserved. This material may not be published, broadcast, "
        "rewritten or redistributed.",
        f"This article was originally published on {site}.",
        "This story has been published from a wire agency feed without modifications to the text.",
    ]), "cms_footer")]


def _directory(rng: random.Random, site: str) -> list[tuple[str, str]]:
    head = _pick(rng, ["Hot Tools", "Popular Apps", "Free Downloads", "Useful Resources", "Top AI Tools",
                       "Best Software"])
    tools = list(TOOLS)
    rng.shuffle(tools)
    lines = [(head, "directory")]
    for name, desc in tools[: rng.randint(3, 6)]:
        lines += [(name, "directory"), (desc, "directory")]
    return lines


RELATED_HEADS = ["Related Articles", "Related stories", "More from {section}", "You may also like",
                 "Recommended for you", "Read next", "More stories", "Most read", "Trending now",
                 "Editor's picks", "Don't miss", "Latest news", "Popular in {section}", "More on this topic",
                 "Other stories you might like", "Top stories", "Further reading", "In case you missed it"]


def _related(rng: random.Random, site: str, donors: Sequence[Article]) -> list[tuple[str, str]]:
    head = _pick(rng, RELATED_HEADS).format(section=_pick(rng, SECTIONS))
    lines = [(head, "related")]
    for donor in rng.sample(list(donors), k=min(len(donors), rng.randint(1, 3))):
        style = rng.random()
        lines.append((donor.title, "related"))
        if style < 0.5:
            lines.append((_pick(rng, SITES), "related"))
            lines.append((f"{rng.randint(2, 59)} minutes ago", "related"))
        paras = donor.paragraphs
        for p in paras[: rng.randint(1, 2)]:
            lines.append((p, "related"))
    return lines


def _glued_story(rng: random.Random, donors: Sequence[Article]) -> list[tuple[str, str]]:
    """An unrelated story glued after the article with no heading announcing it."""
    donor = _pick(rng, donors)
    lines = [(donor.title, "related")]
    lines += [(p, "related") for p in donor.paragraphs[: rng.randint(2, 4)]]
    return lines


def _inline_ad(rng: random.Random, para: str) -> GenBlock | None:
    """A kept paragraph with an ad fragment spliced in at a sentence boundary."""
    cuts = [m.end() for m in re.finditer(r"[.!?][\"”’]?\s", para)]
    if not cuts:
        return None
    cut = _pick(rng, cuts)
    frag = _pick(rng, INLINE_ADS)
    return GenBlock(para[:cut] + frag + " " + para[cut:], KEEP, ((frag, "ad"),))


# ----------------------------------------------------------------------------- documents

HEAD_JUNK = (_chrome, _cookie, _share, _metadata)
MID_JUNK = (_ad, _newsletter, _caption, _share, _app, _ad)
TAIL_JUNK = (_share, _newsletter, _app, _comments, _directory, _ad)


def make_doc(article: Article, donors: Sequence[Article], rng: random.Random) -> GenDoc:
    """One article with junk injected around and inside its real paragraphs."""
    site = _pick(rng, SITES)
    doc = GenDoc(id=article.id, title=article.title)
    add = doc.blocks.append

    def put(lines: list[tuple[str, str]]) -> None:
        for text, label in lines:
            add(GenBlock(text, label))

    # A text that opens with "date YYYY-MM-DD" glued onto its first paragraph has no head above it.
    leading_date = rng.random() < 0.15
    if not leading_date:
        for maker in rng.sample(HEAD_JUNK, k=rng.randint(0, 2)):
            put(maker(rng, site))
        add(GenBlock(article.title, "metadata"))  # the title line becomes the title field
        if rng.random() < 0.35:
            put(_metadata(rng, site))
        if rng.random() < 0.2:
            title = article.title
            add(GenBlock(_pick(rng, [title, f"{title} | {site}", title.upper()]), "dup_title"))
    paras = article.paragraphs
    slots = sorted(rng.sample(range(1, len(paras)), k=min(len(paras) - 1, rng.randint(1, 4))))
    for k, para in enumerate(paras):
        if k in slots:
            put(_pick(rng, MID_JUNK)(rng, site))
        block = GenBlock(para, KEEP)
        if k > 0 and len(para.split()) > 25 and rng.random() < 0.12:
            block = _inline_ad(rng, para) or block
        if k == 0 and leading_date:
            iso, _ = _date(rng)
            frag = f"date {iso}"
            block = GenBlock(f"{frag} {block.text}", KEEP, ((frag, "metadata"),))
        add(block)
    if rng.random() < 0.3:
        put(_cms_footer(rng, site, article.title))
    for maker in rng.sample(TAIL_JUNK, k=rng.randint(1, 3)):
        put(maker(rng, site))
    if rng.random() < 0.7:
        put(_related(rng, site, donors))
    elif rng.random() < 0.6:
        put(_glued_story(rng, donors))
    if rng.random() < 0.3:
        put(_app(rng, site))
    return doc


def generate(articles: Sequence[Article], seed: int) -> list[GenDoc]:
    """One junk-injected document per article; related stories come from the other articles."""
    rng = random.Random(seed)
    docs = []
    for i, art in enumerate(articles):
        donors = [a for j, a in enumerate(articles) if j != i] or [art]
        docs.append(make_doc(art, donors, rng))
    return docs


def generated_set(which: tuple[str, int] = GATE) -> list[GenDoc]:
    """The generated documents of a named (split, seed): :data:`TUNE` or :data:`GATE`."""
    name, seed = which
    return generate(split(load_sample(), name), seed)


if __name__ == "__main__":  # pragma: no cover - maintainer command
    import argparse

    argparse.ArgumentParser(prog="python -m benchmarks.junk", description=build_sample.__doc__).parse_args()
    print(f"wrote {build_sample()} articles to {SAMPLE}")
