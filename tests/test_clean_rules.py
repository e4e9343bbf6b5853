"""Unit tests of the cleaner's signals: shape, voice, position, coherence, site templates, why()."""

from __future__ import annotations

import pytest

from dedupe.clean import clean_document, clean_text, find_template_lines, why
from dedupe.config import CleanConfig
from dedupe.types import Document

LEAD = (
    "The city council approved a new budget for public transport on Tuesday, adding twelve bus lines "
    "and extending night service across the northern districts."
)
BODY = [
    LEAD,
    "Council members said the bus network had not kept pace with the districts' growth, and that night "
    "workers in the north had no way home after midnight.",
    "The budget adds forty buses and two depots. Transport officials expect the first new lines to run "
    "in March, with night service following in the summer.",
    "Opposition members questioned the cost of the depots but voted for the bus plan as a whole.",
]


def _doc(*extra_after: str, before: tuple[str, ...] = ()) -> str:
    return "\n".join(["Council backs bigger bus network", *before, *BODY, *extra_after])


def _removed(doc, reason):
    return [r.text for r in doc.removed if r.reason == reason]


def test_inline_ad_is_cut_from_inside_a_paragraph_only():
    para = (
        "The budget adds forty buses and two depots. Tired of too many ads? Remove Ads Transport officials "
        "expect the first new lines to run in March."
    )
    doc = clean_text(_doc(para))
    assert "Remove Ads" not in doc.text
    assert "Transport officials expect the first new lines to run in March." in doc.text
    assert _removed(doc, "ad") == ["Tired of too many ads? Remove Ads"]


def test_bare_ad_label_between_sentences_is_cut():
    para = "The depots open in March. Advertisement The first lines follow in the summer, officials said."
    doc = clean_text(_doc(para))
    assert "The depots open in March. The first lines follow in the summer, officials said." in doc.text
    assert _removed(doc, "ad") == ["Advertisement"]


def test_an_ad_label_left_at_a_sentence_boundary_by_a_cut_is_cut_too():
    para = "The depots open in March. Tired of too many ads? Remove Ads Advertisement The first lines follow soon."
    doc = clean_text(_doc(para))
    assert "The depots open in March. The first lines follow soon." in doc.text
    assert _removed(doc, "ad") == ["Tired of too many ads? Remove Ads", "Advertisement"]
    assert clean_text(doc.text, title=doc.title).text == doc.text


def test_the_word_advertisement_in_prose_is_content():
    para = "The advertisement for the new lines ran in every newspaper of the city for a whole week in May."
    doc = clean_text(_doc(para))
    assert para in doc.text


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Get the Transit briefing in your inbox every Monday.", "newsletter"),
        ("Enter your email and we'll send you the best stories each weekday.", "newsletter"),
        ("Read this story in the Metro Wire app", "app_promo"),
        ("Home | News | Transport | Opinion | Sport", "chrome"),
        ("Photo: Ana Ruiz/Reuters", "caption"),
        ("Buses wait at the depot on Monday.Night service starts in the summer.", "caption"),
        ("Facebook · Twitter · Email", "share"),
        ("12 Comments", "comments"),
        ("© 2024 Metro Wire. All rights reserved.", "cms_footer"),
        ("A version of this article appeared in print on 11/08/2024, on page B9 of the New York edition.", "cms_footer"),
        ("Reprints: This copy is for your personal, non-commercial use only. To order copies, use the Reprints tool.",
         "cms_footer"),
        ("You can follow any responses to this entry through the RSS 2.0 feed. You can leave a response.", "cms_footer"),
    ],
)
def test_junk_worded_many_ways(line, reason):
    doc = clean_text(_doc(line))
    assert (line, reason) in {(r.text, r.reason) for r in doc.removed}, [b for b in doc.blocks if b.label != "keep"]
    assert doc.text == "\n".join(BODY)


def test_box_lines_without_junk_words_join_their_box():
    doc = clean_text(_doc(before=()) + "\nStay in the know\nSign up for our newsletter\nJoin now")
    assert doc.text == "\n".join(BODY)
    assert set(_removed(doc, "newsletter")) == {"Stay in the know", "Sign up for our newsletter", "Join now"}


def test_subheadings_are_content():
    sub = "Night service arrives in summer"
    text = _doc(before=()).replace(BODY[2], f"{sub}\n{BODY[2]}")
    doc = clean_text(text)
    assert sub in doc.text.splitlines()


STORY = [
    "Orchestra names a new principal conductor",
    "The symphony orchestra named a young violinist from Vienna as its principal conductor, ending a "
    "search that lasted almost three seasons and several guest concerts.",
    "She will lead twelve concerts next season, including a cycle of Mahler symphonies and two premieres.",
]


def test_glued_story_without_a_heading_is_related():
    doc = clean_text(_doc("Share this article", *STORY))
    assert doc.text == "\n".join(BODY)
    assert _removed(doc, "related") == STORY


def test_an_off_topic_section_with_no_mark_before_it_stays():
    # Drift alone does not tell a glued story from the article's own later section: a story is glued on where
    # a removed block (here a share row) marks the article's end. Cleaned text holds no such mark, so a second
    # cleaning keeps what the first kept (the text clean_html gives keeps such a section: the DOM bounded it).
    doc = clean_text(_doc(*STORY))
    assert doc.text == "\n".join([*BODY, *STORY])
    assert clean_text(doc.text, title=doc.title).text == doc.text


def test_a_headless_story_longer_than_the_article_before_it_stays():
    # Without a related heading, a "story" with more words than the article before it is the article's own
    # section drifting from the lead (cleaning the page again must not cut it either).
    section = [
        "Orchestra names a new principal conductor",
        "The symphony orchestra named a young violinist from Vienna as its principal conductor, ending a "
        "search that lasted almost three seasons and several guest concerts.",
        "She will lead twelve concerts next season, including a cycle of Mahler symphonies and two premieres.",
        "Her first season opens in September with a festival of chamber music in the restored concert hall.",
    ]
    doc = clean_text("\n".join(["Council backs bigger bus network", *BODY[:2], *section]))
    assert doc.text == "\n".join([*BODY[:2], *section])
    assert clean_text(doc.text, title=doc.title).text == doc.text


def test_on_topic_paragraph_after_a_weak_heading_is_kept():
    extra = [
        "More buses for the north",
        "The northern districts get most of the forty new buses, and both depots are built there, the budget "
        "shows, so night service starts in the north.",
    ]
    doc = clean_text(_doc(*extra))
    assert extra[1] in doc.text


def test_related_marker_opens_a_tail():
    doc = clean_text(_doc("Related Articles", "Stocks slide as oil rebounds", "Markets fell on Friday."))
    assert doc.text == "\n".join(BODY)


def test_related_marker_after_a_one_paragraph_article_takes_an_off_topic_story():
    # Under 40 body words a related heading is not a tail by position alone (it may be a menu item above
    # the article); a story after it sharing nothing with the article makes it one.
    story = [
        "Orchestra names a new principal conductor",
        "By Ann Lee | November 9, 2012",
        "The symphony orchestra named a young violinist from Vienna as its principal conductor, ending a "
        "search that lasted almost three seasons and several guest concerts.",
        "She will lead twelve concerts next season, including a cycle of Mahler symphonies and two premieres.",
    ]
    doc = clean_text("\n".join(["Council backs bigger bus network", LEAD, "Related Articles", *story]))
    assert doc.text == LEAD
    headlines = ["Orchestra names a new principal conductor", "By Ann Lee | November 9, 2012", "Comments (0)"]
    doc = clean_text("\n".join(["Council backs bigger bus network", LEAD, "More from The Daily Ledger", *headlines]))
    assert doc.text == LEAD
    on_topic = "The budget adds forty buses and two depots, and night service on the new bus lines starts in March."
    doc = clean_text("\n".join(["Council backs bigger bus network", LEAD, "Related Articles", on_topic]))
    assert doc.text == f"{LEAD}\n{on_topic}"


STORY = [
    "Orchestra names a new principal conductor",
    "The symphony orchestra named a young violinist from Vienna as its principal conductor, ending a "
    "search that lasted almost three seasons and several guest concerts.",
]


@pytest.mark.parametrize(
    "section",
    [
        ["Comments", "Be the first to comment"],
        ["Hot Tools", "Notely", "A tidy note-taking app for teams", "PixelForge", "Edit photos in your browser"],
        ["Copyright 2024 The Daily Ledger. All rights reserved."],
    ],
)
def test_story_after_another_tail_section_is_related(section):
    doc = clean_text(_doc(*section, *STORY))
    assert doc.text == "\n".join(BODY)
    assert _removed(doc, "related") == STORY
    rules = {b.text: b.rule for b in doc.blocks}
    assert rules[STORY[0]] == "story_after_section"


def test_listed_story_after_a_tail_section_is_related_even_on_topic():
    listed = ["Night buses to start in March", "6 minutes ago", BODY[2].replace("forty", "sixty")]
    doc = clean_text(_doc("Comments", "Be the first to comment", *listed))
    assert doc.text == "\n".join(BODY)
    assert _removed(doc, "related") == listed


def test_article_goes_on_after_a_short_credit_or_resource_heading():
    credit = _doc().replace(BODY[3], f"\u00a9 Reuters\n{BODY[3]}")
    doc = clean_text(credit)
    assert BODY[3] in doc.text.splitlines()
    assert _removed(doc, "cms_footer") == ["\u00a9 Reuters"]
    heading = _doc().replace(BODY[3], f"Useful Resources\n{BODY[3]}")
    assert clean_text(heading).text.splitlines()[-2:] == ["Useful Resources", BODY[3]]


@pytest.mark.parametrize("heading", ["Most read", "Don't miss"])
def test_more_related_headings(heading):
    doc = clean_text(_doc(heading, *STORY))
    assert _removed(doc, "related") == [heading, *STORY]


def test_a_line_that_was_only_a_date_is_metadata():
    doc = clean_text(_doc(before=("Updated: 2020-07-21",)))
    assert doc.date == "2020-07-21"
    assert [b.label for b in doc.blocks if b.text == ""] == ["metadata"]


def test_a_button_between_two_boxes_closes_the_first():
    box = ["We use cookies to improve our site. Accept all or manage settings.", "Accept", "Share this story"]
    doc = clean_text(_doc(*box))
    assert [(r.text, r.reason) for r in doc.removed if r.reason != "metadata"] == [
        (box[0], "chrome"), ("Accept", "chrome"), (box[2], "share")
    ]


def test_short_line_before_a_closing_list_is_not_an_orphan():
    tail = ["Tour dates", "Advertisement", "3 May Berlin", "5 May Prague", "9 May Vienna"]
    doc = clean_text(_doc(*tail))
    assert doc.text.splitlines()[-4:] == ["Tour dates", *tail[2:]]


def test_keep_reason_option_keeps_captions():
    text = _doc("Buses wait at the depot on Monday.Night service starts in the summer.")
    doc = clean_text(text, config=CleanConfig(keep_reasons=frozenset({"caption"})))
    assert "Buses wait at the depot" in doc.text


SITE = ["Follow Metro Wire on Mastodon and Bluesky", "Metro Wire is reader funded. Become a member"]
STORIES = [
    ["Council backs bigger bus network", *BODY],
    ["Harbour reopens after storm", "The harbour reopened on Friday after a week of storm damage repairs, "
     "the port authority said, and ferries resumed their normal timetable."],
    ["School meals get more vegetables", "Schools in the district will serve more vegetables and less "
     "sugar from September under new rules agreed by the education board."],
    ["Museum extends opening hours", "The city museum will stay open until ten on Thursdays from next "
     "month, its director said, after visitor numbers rose for a third year."],
]


def _site_docs():
    return ["\n".join([*story, *SITE]) for story in STORIES]


def test_template_lines_recur_across_unrelated_documents():
    templates = find_template_lines(_site_docs(), min_docs=3)
    assert templates == {" ".join(s.lower().split()) for s in SITE}
    doc = clean_text(_site_docs()[1], templates=templates)
    assert _removed(doc, "boilerplate") == SITE
    assert "ferries resumed" in doc.text


def test_copies_and_glued_passages_are_not_templates():
    copies = [_site_docs()[0]] * 5  # one story five times: nothing is a template
    assert find_template_lines(copies, min_docs=3) == frozenset()
    # A story glued as "related" spam into three others: its headline travels with its lead.
    donor = STORIES[1]
    texts = ["\n".join(STORIES[0]), "\n".join(donor)] + [
        "\n".join([*story, *donor]) for story in (STORIES[2], STORIES[3], STORIES[0])
    ]
    assert donor[0].lower() not in find_template_lines(texts, min_docs=3)


def test_short_copies_on_sites_with_their_own_footers_keep_the_story():
    # Each site's footer sentences differ, and on a short copy they outnumber the story's sentences: the
    # copies are still copies once each page's own template lines are set aside, so the lead is no template.
    lead = "Calling all fans of the city orchestra: the new season brings twelve concerts and two premieres to town."
    second = "Tickets for the whole season go on sale on Monday morning at the box office and online."

    def page(site: str, body: list[str]) -> str:
        return "\n".join([
            f"The {site} Ledger | Local news", *body,
            f"Sign up for the {site} newsletter to get the day's top stories delivered to your inbox.",
            f"Follow The {site} Ledger on Facebook, Twitter and Instagram for breaking news and updates.",
            f"Copyright 2021 The {site} Ledger Media Group, all rights reserved, terms of use and privacy.",
        ])

    sites = ["Salem", "Bristol", "Oakdale", "Fairview"]
    words = "harbour school museum tram library market bridge stadium park river clinic theatre".split()
    texts = [
        page(site, [f"{words[k]} news of {site}", " ".join(
            f"The {words[k]} of {site} opened wing number {n} on day {k + 1}, and visitors from the {words[-n]} "
            f"district came to see what had been built there." for n in range(1, 5))])
        for site in sites for k in range(3)
    ]
    texts += [page(site, [lead, second]) for site in sites]
    templates = find_template_lines(texts, min_docs=3)
    assert "sign up for the salem newsletter to get the day's top stories delivered to your inbox." in templates
    assert lead.lower() not in templates and second.lower() not in templates


def test_clean_document_takes_templates_and_honours_the_switch():
    templates = find_template_lines(_site_docs(), min_docs=3)
    record = Document(id="a", text=_site_docs()[2])
    assert _removed(clean_document(record, CleanConfig(), templates=templates), "boilerplate") == SITE
    off = CleanConfig(recurring_lines=False)
    assert not _removed(clean_document(record, off, templates=templates), "boilerplate")


def test_find_template_lines_rejects_one_document():
    with pytest.raises(ValueError, match="min_docs must be at least 2"):
        find_template_lines(["a"], min_docs=1)


def test_why_names_the_rule_and_line():
    text = _doc("Related Articles", "Stocks slide as oil rebounds")
    [stocks] = why(text, "stocks slide")
    assert (stocks.line, stocks.label, stocks.rule, stocks.kept) == (7, "related", "after_related_heading", False)
    assert "related" in str(stocks)
    [kept] = why(text, "opposition members")
    assert kept.kept and kept.label == "keep"
    assert why(text, "not in the text") == []
    with pytest.raises(ValueError, match="substring is empty"):
        why(text, "  ")


def test_why_reports_kept_reasons_as_kept():
    text = _doc("Buses wait at the depot on Monday.Night service starts in the summer.")
    [e] = why(text, "buses wait", config=CleanConfig(keep_reasons=frozenset({"caption"})))
    assert e.kept and e.label == "caption" and "--keep caption" in e.summary()


def test_shared_menus_and_site_footers_are_templates_but_glued_headlines_are_not():
    """A menu every site shows sits beside each site's own subscribe line; a site's footer is two
    sentences that always travel together. Both are templates; a glued story's headline is not."""
    topics = ["the bus network", "the harbour", "school meals", "the museum", "the library", "the river path",
              "the market hall", "the cycle lanes", "the town hall roof"]
    texts = []
    for k, topic in enumerate(topics):
        site = ["Metro Wire", "Harbour Post", "Valley Times"][k % 3]
        texts.append("\n".join([
            "Home News Sport Business Opinion Lifestyle",
            f"Subscribe to The {site} from just $1 a week and read every story we publish",
            f"Council vote on {topic}",
            f"The council voted on Tuesday on plans for {topic}, which {k + 2} members backed after a long debate.",
            f"A final decision on {topic} is expected in {k + 3} weeks, when officials publish their report.",
            f"Residents near {topic} told the meeting that they had waited {k + 4} years for any change at all.",
            f"Opponents of the plan for {topic} said its cost had doubled since it was first put to voters.",
            f"Sign up for the {site} newsletter to get the day's top stories delivered to your inbox.",
            f"Follow The {site} on Facebook, Twitter and Instagram for breaking news and updates.",
        ]))
    # A short page of each site shares half its sentences (the site's own lines) with every sibling:
    # it must not tie the site's unrelated pages together as copies of one another.
    for site in ("Metro Wire", "Harbour Post", "Valley Times"):
        texts.append("\n".join([
            f"Subscribe to The {site} from just $1 a week and read every story we publish",
            "Roadworks close the bridge for a weekend while engineers replace its worn bearings.",
            f"Sign up for the {site} newsletter to get the day's top stories delivered to your inbox.",
            f"Follow The {site} on Facebook, Twitter and Instagram for breaking news and updates.",
        ]))
    templates = find_template_lines(texts, min_docs=3)
    assert "home news sport business opinion lifestyle" in templates
    assert "follow the metro wire on facebook, twitter and instagram for breaking news and updates." in templates
    donor = STORIES[1]
    glued = ["\n".join(STORIES[0]), "\n".join(donor)] + [
        "\n".join([*story, *donor]) for story in (STORIES[2], STORIES[3], STORIES[0])
    ]
    assert donor[0].lower() not in find_template_lines(glued, min_docs=3)
