"""Interface lines in other languages (print, pin, comment, read more) cut from a page's article."""

from __future__ import annotations

from dedupe.clean.html import clean_html
from dedupe.clean.uilines import ui_share

BODY = ("Der Stadtrat hat am Dienstag beschlossen, die Straßenbahn bis zum Flughafen zu verlängern, "
        "ein Projekt, das nach Angaben der Verwaltung vier Jahre dauern wird.")


def page(article: str) -> str:
    return f"<html lang='de'><head></head><body><main><article>{article}</article></main></body></html>"


def test_button_rows_and_trailing_controls_are_cut():
    doc = clean_html(page(
        f"<p>{BODY}</p><div>Drucken Teilen Pinnen</div><p>{BODY}</p><div>Drukuj</div>"
    ))
    assert doc.text == "\n".join([BODY] * 2)
    cut = {r.text for r in doc.removed if r.rule == "ui_line"}
    assert cut == {"Drucken Teilen Pinnen"}  # "Drukuj" after the last paragraph is an orphan line already


def test_sub_heading_with_an_interface_word_stays():
    """A short line between paragraphs, mostly other words, is a sub-heading."""
    doc = clean_html(page(f"<p>{BODY}</p><h2>Neue Haltestellen speichern Zeit</h2><p>{BODY}</p>"))
    assert "Neue Haltestellen speichern Zeit" in doc.text.split("\n")


def test_links_to_social_sites_are_no_controls():
    assert ui_share("https://www.instagram.com/p/CMe36CjDPBh/") == 0.0
    assert ui_share("Folgen Sie uns auf Instagram") == 0.0  # a network named among other words: no button


def test_a_sentence_is_never_a_control():
    doc = clean_html(page(f"<p>{BODY}</p><p>Bitte teilen!</p><p>Lesen und teilen Sie.</p>"))
    assert "Lesen und teilen Sie." in doc.text


def test_ui_share_counts_phrases_by_their_words():
    assert ui_share("Czytaj więcej") == 1.0
    assert ui_share("Lire la suite") == 1.0
    assert ui_share("") == 0.0


def test_read_also_link_lines_are_related():
    doc = clean_html(page(
        f"<p>{BODY}</p><p>Czytaj też: <a href='/a'>Wyścig zbrojeń ruszył z kopyta</a></p>"
        f"<p>{BODY}</p><p>Lesen Sie auch: ein Satz ohne Link, der hier stehen bleibt</p><p>{BODY}</p>"
    ))
    assert [(r.reason, r.rule) for r in doc.removed if r.text.startswith("Czytaj")] == [("related", "read_also_link")]
    assert "Lesen Sie auch: ein Satz ohne Link, der hier stehen bleibt" in doc.text


def test_credits_and_captions_closing_with_one_are_captions():
    doc = clean_html(page(
        f"<p>{BODY}</p><p>Marco Odermatt, Ski-Star aus der Schweiz. © AFP / MARCO BERTORELLO</p>"
        f"<p>{BODY}</p><p>Titelbild: Geyres Christophe/ABACA/picture-alliance</p><p>{BODY}</p>"
    ))
    assert doc.text == "\n".join([BODY] * 3)
    assert {r.rule for r in doc.removed} == {"credit_line", "photo_credit"}  # closing with a credit, opening one


def test_a_photo_posts_only_caption_is_its_text():
    caption = ("No matter how long I stare at this, I still can't believe this is a pencil drawing of a koi "
               "in a pond. Artwork and photos © DiegoKoi")
    assert clean_html(page(f"<p>{caption}</p>")).text == caption
