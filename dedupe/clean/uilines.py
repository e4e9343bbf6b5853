"""Short interface lines of a page's article in other languages: print, pin, share, comment, read-more buttons.

The line rules of :mod:`dedupe.clean.classify` know English site chrome
("Share on Facebook", "Comments"); a German, Polish or French page keeps its
"Drucken Pinnen", "drukuj" or "weiterlesen" lines. Here a kept line is cut
when its **shape** says it is a control and a small multilingual list of
interface verbs and share targets (:data:`UI_WORDS`) agrees:

- it is short (at most :data:`MAX_UI_WORDS` words) and no sentence (no full
  stop or exclamation mark at its end; a "?" or ":" teaser label may be);
- interface words make at least half of it (a row of buttons), or the line
  sits where controls sit: before the article's first paragraph, after its
  last, or beside another short non-sentence line (a teaser's "weiterlesen
  4 Minuten" above "von Bastian Schlange").

A network's name (:data:`SHARE_TARGETS`: Facebook, Instagram, …) is an
interface word only beside another one ("Auf Facebook teilen") or in a row
of names; a line naming one among other words is about it and stays
("Oils: Instagram and graduation", "auf Facebook" in a list).

Two more line kinds: a link line opening with "read also" in another
language (:data:`ALSO_READ`: "Czytaj też: …", mostly link text; HTML only,
as it needs the link density) is ``related``; a caption closing with a
credit ("… Ski-Star. © AFP / MARCO BERTORELLO", "… (Foto: Andina)", any
label of :data:`~dedupe.clean.patterns.CREDIT_LABELS`) is ``caption``,
unless it is the article's only paragraph (a photo post's one caption is
its text). A line *opening* with a credit label ("Titelbild: …") is the
classifier's ``photo_credit`` rule, on the same label table.

A short line between two paragraphs that is not all interface words is a
sub-heading and stays, whatever verb it holds. A site's name inside a
link ("https://twitter.com/…", "youtube/twitter") is no interface word.
Plain text (:func:`dedupe.clean.clean_text`) and HTML
(:func:`dedupe.clean.clean_html`) both run :func:`cut_ui_lines` as the
classifier's ``refine`` step, before its structure rules judge the lines
that stay.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..asciiscan import byte_table, may_hold, without_typography
from ..types import KEEP
from .classify import PARAGRAPH_WORDS, Labelled
from .patterns import CREDIT_LABEL, CREDIT_LABELS, INTERFACE_KEYS, ends_statement

#: Longest line (in words) that can be a control.
MAX_UI_WORDS = 6
#: Lines this short or shorter may be cut with a single interface word among others, where controls sit.
EDGE_UI_WORDS = 4

# "Read also" in de, fr, es, it, pl, nl, pt: the opening of a link to another story.
_ALSO_READ = (
    r"lesen\s+sie\s+(?:auch|mehr)|mehr\s+zum\s+thema|auch\s+interessant|czytaj\s+(?:te[zż]|tak[zż]e|wi[eę]cej)"
    r"|zobacz\s+(?:te[zż]|tak[zż]e|wi[eę]cej)|(?:[aà]\s+)?lire\s+aussi|voir\s+aussi|(?:lee|ver|vea)\s+tambi[eé]n"
    r"|leggi\s+anche|lees\s+ook|zie\s+ook|(?:leia|veja)\s+tamb[eé]m"
)

#: Interface verbs and labels (print, pin/save, share, comment, rate, read more, related) in de, fr, es, it, pl, nl, pt.
UI_WORDS = re.compile(
    r"(?<![\w./@])(?:"
    r"drucken|ausdrucken|drukuj|imprimer|imprimir|stampa|afdrukken"  # print
    r"|pinnen|merken|speichern|zapisz|enregistrer|guardar|salva|opslaan"  # pin / save
    r"|teilen|udost[eę]pnij|partager|compartir|compartilhar|condividi|delen"  # share
    r"|kommentieren|kommentare?|keine\s+kommentare|komentarze?|skomentuj|commenter|commentaires?"
    r"|coment[aá]rios?|comentar|commenti|commenta|reacties|reageer|reageren"  # comment
    r"|bewerten|oce[nń]|noter|valorar|valuta|beoordelen|avaliar"  # rate
    rf"|{_ALSO_READ}"
    r"|(?:weitere|[aä]hnliche|verwandte)\s+(?:beitr[aä]ge|artikel)|schon\s+gelesen|k[oö]nnten?\s+(?:sie|dich|euch)\s+auch"
    r"\s+interessieren|autres\s+articles|articles\s+similaires|art[ií]culos\s+relacionados|noticias\s+relacionadas"
    r"|articoli\s+correlati|powi[aą]zane\s+artyku[lł]y|gerelateerde\s+artikelen|artigos\s+relacionados"  # related
    r"|weiterlesen|mehr\s+lesen|czytaj(?:\s+(?:wi[eę]cej|te[zż]|tak[zż]e))?|wi[eę]cej"
    r"|lire\s+(?:la\s+suite|aussi|plus)|leer\s+m[aá]s|seguir\s+leyendo|leggi(?:\s+(?:anche|tutto))?"
    r"|lees\s+(?:meer|verder|ook)|leia\s+(?:mais|tamb[eé]m)|saiba\s+mais"  # read more
    r"|freischalten"  # unlock an embedded post ("Twitter freischalten")
    r")(?![\w/]|\.\w)",
    re.IGNORECASE,
)
#: Networks a share or follow button names. A network's name is an interface word only beside an interface
#: verb or label ("Teilen auf Facebook") or in a row of network names and their addresses ("Facebook | Twitter",
#: "Twitter: @site"): a line that names one among other words is about it ("Oils: Instagram and graduation",
#: "auf Facebook" in a list).
SHARE_TARGETS = re.compile(
    r"(?<![\w./@])(?:facebook|twitter|instagram|pinterest|whatsapp|linkedin|telegram|xing|youtube)(?![\w/]|\.\w)",
    re.IGNORECASE,
)
#: A web address or handle a follow link names ("www.facebook.com/site", "@site"): no words of the line.
_ADDRESS = re.compile(r"\S*[./@]\S+")
#: A line opening with "read also" and a colon or arrow ("Czytaj też: Wyścig zbrojeń ruszył z kopyta").
ALSO_READ = re.compile(rf"^\W*(?:{_ALSO_READ})\s*[:|»›>–-]", re.IGNORECASE)
#: A caption closing with a © or a credit label (:data:`~dedupe.clean.patterns.CREDIT_LABELS`):
#: "Marco Odermatt, Ski-Star. © AFP / MARCO BERTORELLO", "… Foto: Andina", "Birgit Kelle (Bild: Facebook)".
CREDIT_CLOSES = re.compile(
    rf"(?<![^\s|(])(?:©|(?:{CREDIT_LABEL})\s*[:.])\s*[^\s.!?][^.!?]{{1,60}}$",
    re.IGNORECASE,
)
#: Longest credit label: where a caption's credit may start, before its closing full stop.
_LONGEST_LABEL = max(map(len, CREDIT_LABELS))
#: Lower-case substrings every CREDIT_CLOSES match on ASCII text holds: its ASCII labels, but those holding another.
CREDIT_NEEDLES = tuple(
    label for label in CREDIT_LABELS if label.isascii() and not any(o != label and o in label for o in CREDIT_LABELS)
)
#: Most words of a caption that closes with a credit.
CAPTION_WORDS = 30

#: Most words of a "read also" link line; at least this share of its text is link text.
ALSO_READ_WORDS, ALSO_READ_LINKS = 20, 0.5


def _may_close_with_credit(text: str) -> bool:
    """False when ``text`` cannot match :data:`CREDIT_CLOSES` (an unanchored search, tried at every position):
    a match holds a "©", or a label (:data:`CREDIT_NEEDLES`) and a colon or full stop.

    >>> _may_close_with_credit("Chloe Kim will es wissen. © AFP"), _may_close_with_credit("Die Regierung tagte")
    (True, False)
    >>> _may_close_with_credit("Watch the video"), _may_close_with_credit("Golf im TV (Foto: Getty)")
    (False, True)
    """
    return "©" in text or ((":" in text or "." in text) and may_hold(text, CREDIT_NEEDLES))


#: Bytes kept by the word split of :func:`_may_hold_ui_word`: letters and digits (an apostrophe splits words, as
#: it ends one for the interface regexes).
_WORD_BYTES = byte_table(b"abcdefghijklmnopqrstuvwxyz0123456789")


def _may_hold_ui_word(text: str) -> bool:
    """False when ``text`` holds no match of :data:`UI_WORDS` or :data:`SHARE_TARGETS` (slow unanchored regexes):
    on ASCII text (typographic marks aside) a match's first word is one of the words of
    :data:`~dedupe.clean.patterns.INTERFACE_KEYS`; other text always may.

    >>> _may_hold_ui_word("Facebook's page"), _may_hold_ui_word("Watch the video"), _may_hold_ui_word("Über uns")
    (True, False, True)
    """
    plain = without_typography(text)
    if not plain.isascii():
        return True
    return not INTERFACE_KEYS.isdisjoint(plain.lower().encode("ascii").translate(_WORD_BYTES).decode("ascii").split())


def closes_with_credit(text: str) -> bool:
    """Whether :data:`CREDIT_CLOSES` finds a credit closing ``text``, searched from where one can start: after
    the last sentence mark, or (a label ending in a full stop: "fot.") the longest label before it.

    >>> closes_with_credit("Cafe im Bohnenviertel. Foto: Stuttgart Marketing"), closes_with_credit("Sieg. Fot. PAP")
    (True, True)
    >>> closes_with_credit("Foto: Michael Hudler. Er lacht."), closes_with_credit("Die Regierung: alle neu")
    (False, False)
    """
    mark = max(text.rfind("."), text.rfind("!"), text.rfind("?"))
    start = len(text[:mark].rstrip()) - _LONGEST_LABEL if mark > 0 else 0
    return CREDIT_CLOSES.search(text, max(start, 0)) is not None


def ui_share(text: str) -> float:
    """Share of the words of ``text`` that belong to interface labels (:data:`UI_WORDS`), and to network names
    (:data:`SHARE_TARGETS`) where they are buttons: beside an interface word, or all the line's words.

    >>> ui_share("Zum Rezept Drucken Pinnen"), ui_share("drukuj"), ui_share("Die Kommentare der Leser")
    (0.5, 1.0, 0.25)
    >>> ui_share("Teilen auf Facebook"), ui_share("Facebook | Twitter"), ui_share("Oils: Instagram and graduation")
    (0.6666666666666666, 0.6666666666666666, 0.0)
    >>> ui_share("Twitter: @nuttynomads"), ui_share("Facebook: www.facebook.com/site"), ui_share("auf Facebook")
    (0.5, 0.5, 0.0)
    """
    words = len(text.split())
    if not words or not _may_hold_ui_word(text):
        return 0.0
    ui = sum(len(m.group().split()) for m in UI_WORDS.finditer(text))
    targets = len(SHARE_TARGETS.findall(text))
    if targets and (ui or not any(map(str.isalpha, _ADDRESS.sub("", SHARE_TARGETS.sub("", text))))):
        ui += targets
    return ui / words


def cut_ui_lines(labelled: Labelled, link_density: Sequence[float] = ()) -> None:
    """Label kept interface lines of ``labelled`` (an article's blocks) ``chrome`` by rule ``ui_line``.

    With each block's ``link_density`` (share of its text in links), a short link line that opens with "read
    also" (:data:`ALSO_READ`) becomes ``related`` by rule ``read_also_link``.

    >>> body = "Der Kuchen ist saftig, schnell gebacken und hält sich in einer Dose gut eine ganze Woche frisch."
    >>> doc = Labelled(["Zum Rezept Drucken Pinnen", "Zutaten", body, "Kommentare", body, "drukuj"],
    ...                [KEEP] * 6, [""] * 6)
    >>> cut_ui_lines(doc)
    >>> [(text[:12], label) for text, label in zip(doc.texts, doc.labels)]
    [('Zum Rezept D', 'chrome'), ('Zutaten', 'keep'), ('Der Kuchen i', 'keep'), ('Kommentare', 'chrome'), \
('Der Kuchen i', 'keep'), ('drukuj', 'chrome')]
    """
    texts, labels, rules = labelled.texts, labelled.labels, labelled.rules
    also_read = [
        k for k in [k for k, d in enumerate(link_density) if d >= ALSO_READ_LINKS and labels[k] == KEEP]
        if texts[k].count(" ") < ALSO_READ_WORDS and ALSO_READ.match(texts[k])
    ] if link_density else []
    # What a line's own text says, on the few lines it can say something: short, not ending as a statement (a
    # credit closes without a sentence mark; a control has none). Their place in the article is read after.
    credits, controls = [], []
    scanned = labelled.ui_candidates
    for k in range(len(texts)) if scanned is None else scanned:
        text = texts[k]
        if labels[k] != KEEP or text.endswith((".", "!")) or text.count(" ") >= CAPTION_WORDS:
            continue
        if k in also_read:
            continue
        if text[-1:] != "?" and _may_close_with_credit(text) and closes_with_credit(text):
            credits.append(k)
        elif text.count(" ") < MAX_UI_WORDS and not ends_statement(text):
            share = ui_share(text)
            if share:
                controls.append((k, share))
    for k in also_read:
        labels[k], rules[k] = "related", "read_also_link"
    if not credits and not controls:
        return
    kept = [k for k, label in enumerate(labels) if label == KEEP or k in also_read]  # as before the relabelling
    counts = {k: texts[k].count(" ") + 1 for k in kept}  # blocks come squashed: one space between words
    paragraphs = [k for k in kept if counts[k] >= PARAGRAPH_WORDS]
    for k in credits:
        if any(j != k for j in paragraphs):  # a caption beside the article, not the whole of it
            labels[k], rules[k] = "caption", "credit_line"
    first = paragraphs[0] if paragraphs else len(texts)
    last = paragraphs[-1] if paragraphs else -1
    where = {k: pos for pos, k in enumerate(kept)}
    for k, share in controls:
        pos, words = where[k], counts[k]
        neighbours = [kept[j] for j in (pos - 1, pos + 1) if 0 <= j < len(kept)]
        if share < 1 and len(neighbours) == 2 and all(counts[j] >= PARAGRAPH_WORDS for j in neighbours):
            continue  # a sub-heading between two paragraphs
        if share < 0.5:
            if words > EDGE_UI_WORDS:
                continue
            beside_line = any(counts[j] <= EDGE_UI_WORDS and not ends_statement(texts[j]) for j in neighbours)
            if not (k < first or k > last or beside_line):
                continue
        labels[k], rules[k] = "chrome", "ui_line"
