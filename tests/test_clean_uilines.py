"""Interface lines in other languages on the plain-text path, and the rules both paths share (issues #3/#8).

The documents are written for these tests in the shape of lines seen on trafilatura-eval pages
(``python -m benchmarks.html_quality --pages trafeval-tune dedupe-text`` scores the text path on those pages).
"""

from __future__ import annotations

import pytest

from dedupe.clean import clean_html, clean_text
from dedupe.types import CleanDoc

DE = ("Der Stadtrat hat am Dienstag beschlossen, die Straßenbahn bis zum Flughafen zu verlängern, "
      "ein Projekt, das nach Angaben der Verwaltung vier Jahre dauern wird.")
DE2 = ("Die Kosten von rund 80 Millionen Euro tragen Bund und Land zum größten Teil, den Rest zahlt die Stadt "
       "aus ihrem Haushalt der kommenden Jahre.")
PL = ("Rada miasta zdecydowała we wtorek, że linia tramwajowa zostanie przedłużona aż do lotniska, "
      "a prace mają potrwać około czterech lat.")
ES = ("El gobierno regional anunció el martes que la línea de tranvía llegará hasta el aeropuerto "
      "y que las obras durarán unos cuatro años.")
FR = ("Le conseil municipal a décidé mardi de prolonger la ligne de tramway jusqu'à l'aéroport, "
      "un chantier qui devrait durer environ quatre ans.")
EN = ("Chronic pain in the joints often follows what we eat, and a few changes to a daily diet can ease it "
      "within weeks, doctors say.")


def as_text(lines: list[str]) -> CleanDoc:
    return clean_text("\n".join(lines))


def as_html(lines: list[str]) -> CleanDoc:
    body = "".join(f"<p>{line}</p>" for line in lines)
    return clean_html(f"<html><head></head><body><main><article>{body}</article></main></body></html>")


PATHS = pytest.mark.parametrize("clean", [as_text, as_html], ids=["text", "html"])


def cut(doc: CleanDoc) -> dict[str, str]:
    return {r.text: r.rule for r in doc.removed}


# Lines the text path keeps in the base and now drops.
DROPS = [
    (["Mein Rezept", "Zum Rezept Drucken Pinnen", DE, DE2], "Zum Rezept Drucken Pinnen", "ui_line"),
    (["Straßenbahn zum Flughafen", DE, "Zutaten für 4 Personen", "Rezept drucken Bei Pinterest speichern", DE2],
     "Rezept drucken Bei Pinterest speichern", "ui_line"),
    (["Straßenbahn zum Flughafen", DE, "weiterlesen 4 Minuten", "von Bastian Schlange", DE2],
     "weiterlesen 4 Minuten", "ui_line"),
    (["Tramwaj do lotniska", PL, "Drukuj", PL], "Drukuj", "ui_line"),
    (["Tramway jusqu'à l'aéroport", "Partager sur Facebook", FR, FR], "Partager sur Facebook", "ui_line"),
    (["Straßenbahn zum Flughafen", DE, "Tweet der Stadt:", "Twitter freischalten", DE2], "Twitter freischalten",
     "ui_line"),
    (["Straßenbahn zum Flughafen", DE, "Titelbild: Geyres Christophe/ABACA/picture-alliance", DE2],
     "Titelbild: Geyres Christophe/ABACA/picture-alliance", "photo_credit"),
    (["Straßenbahn zum Flughafen", DE, "Marco Odermatt, Ski-Star aus der Schweiz. © AFP / MARCO BERTORELLO", DE2],
     "Marco Odermatt, Ski-Star aus der Schweiz. © AFP / MARCO BERTORELLO", "credit_line"),
    (["Tranvía al aeropuerto", ES, "Son tres los periodos de vacaciones durante el año escolar. Foto: Andina", ES],
     "Son tres los periodos de vacaciones durante el año escolar. Foto: Andina", "credit_line"),
]


@pytest.mark.parametrize(("lines", "line", "rule"), DROPS, ids=[d[1][:24] for d in DROPS])
def test_text_path_cuts_interface_lines_and_credits(lines: list[str], line: str, rule: str) -> None:
    doc = as_text(lines)
    assert cut(doc).get(line) == rule, doc.removed
    assert line not in doc.text.split("\n")


# Lines naming a network that belong to the article: both paths keep them (the HTML path cut the first three).
KEEPS = [
    ["Anti-inflammatory diet", EN, "Sugars: refined, processed, white", "Oils: Instagram and graduation",
     "Grains: enriched, white flours", EN],
    ["Produkttests", DE, "Neue Tests kündigen wir an folgenden Stellen an:", "auf der Startseite",
     "auf Facebook", "im Produkttester-Newsletter", DE2],
    ["Pressekontakt", DE, "Tel.: 0228-999582-5777", "Neu auf Twitter: die Stadtwerke", DE2],
    ["Störung am Abend", "Facebook, Instagram down", DE, DE2],
    ["Straßenbahn zum Flughafen", DE, "Neue Haltestellen speichern Zeit", DE2],
]


@PATHS
@pytest.mark.parametrize("lines", KEEPS, ids=["list-item", "list-item-de", "news", "headline", "sub-heading"])
def test_lines_about_a_network_or_with_a_verb_among_content_stay(clean, lines: list[str]) -> None:
    line = next(x for x in lines if "Instagram" in x or "Facebook" in x or "Twitter" in x or "speichern" in x)
    doc = clean(lines)
    assert line in doc.text.split("\n"), cut(doc)


@PATHS
def test_a_row_of_network_names_or_a_share_verb_with_one_is_a_control(clean) -> None:
    """Where controls sit: above the first paragraph; a row of names (and their addresses) only, anywhere."""
    doc = clean(["Straßenbahn zum Flughafen", "Auf Facebook teilen", "Twitter: @stadt_nord", DE, DE2,
                 "Facebook | Twitter | Xing", DE2])
    assert doc.text.split("\n") == [DE, DE2, DE2]


def test_one_credit_label_table_opens_and_closes_credits() -> None:
    """Every label of patterns.CREDIT_LABELS opens a credit line (the classifier's photo_credit, gated by the scan's
    first-word trie) and closes a caption (uilines' credit_line), in any case."""
    from dedupe.clean.classify import line_verdict
    from dedupe.clean.patterns import CREDIT_LABELS
    from dedupe.clean.uilines import CREDIT_CLOSES, _may_close_with_credit

    for label in CREDIT_LABELS:
        for form in (label, label.title(), label.upper()):
            line = f"{form}: Anna Nowak / AFP"
            assert line_verdict(line, len(line.split())) == ("caption", "photo_credit"), line
            caption = f"Der Bürgermeister eröffnet die Brücke ({form}: Anna Nowak)"
            assert _may_close_with_credit(caption) and CREDIT_CLOSES.search(caption), caption
