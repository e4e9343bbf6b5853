"""The C-speed fast paths of the cleaner and word counter equal the regexes they stand in for.

Each fast path (:mod:`dedupe.asciiscan`) claims exact equality with a regex
scan on every input; these properties check the claim on random text rich in
the characters where ASCII shortcuts go wrong (accents, typographic marks,
characters whose case folds into ASCII, apostrophes, digits, underscores).
"""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from dedupe.clean import classify as C
from dedupe.clean import linescan
from dedupe.clean import patterns as P
from dedupe.clean.coherence import _HANGUL_WORD, _UNSPACED, STOPWORDS, content_words, has_cjk
from dedupe.clean.coherence import _WORD as CONTENT_WORD
from dedupe.clean.whitespace import squash
from dedupe.normalize import _WORD, word_count

_TRICKY = list("abcXYZ019 _'\n\t.") + ["é", "Ü", "ß", "ﬁ", "İ", "ſ", "K", "\u0307", "²", "٣", "中", "\u2019", "\u201c",
                                         "\u2014", "\u2026", "\xa0", "\u2028", "\x85"]
texts = st.text(alphabet=st.sampled_from(_TRICKY), max_size=60) | st.text(max_size=60)


@settings(max_examples=3000, deadline=None)
@given(texts)
def test_word_count_equals_the_regex(text: str) -> None:
    assert word_count(text) == len(_WORD.findall(text))


@settings(max_examples=3000, deadline=None)
@given(texts)
def test_pattern_tokens_equal_the_regex(text: str) -> None:
    low = text.lower()
    assert P.tokens(low) == P._TOKEN.findall(low)


@settings(max_examples=3000, deadline=None)
@given(texts)
def test_content_words_equal_the_regex(text: str) -> None:
    # Chinese, Japanese and Korean runs are cut into their own units by design (labels branch); the rest
    # of the text must give the regex's words.
    low = _HANGUL_WORD.sub(" ", _UNSPACED.sub(" ", text.lower()))
    assert content_words(text) >= {w for w in CONTENT_WORD.findall(low) if w not in STOPWORDS}
    if low == text.lower():
        assert content_words(text) == {w for w in CONTENT_WORD.findall(low) if w not in STOPWORDS}


# Lines rich in the rules' trigger words, junk phrases and marks, in any case, glued or spaced, with the
# characters whose case folds into ASCII and the odd spaces: what the document scan's gate must never miss.
_PHRASES = [
    "Advertisement", "Remove Ads", "Sponsored content", "Story continues below advertisement", "Comments (3)",
    "Leave a comment", "All rights reserved", "© 2024 The Site", "Hot AI Tools", "Related Articles", "More from",
    "You may also like", "Read more on", "Download the app", "Get it on Google Play", "Sign up for our newsletter",
    "Enter your email", "Accept all", "Share on Facebook", "Tweet | Email | Print", "Accept all cookies", "We use cookies",
    "Log in", "Main menu", "Home | News | Sport | Weather", "2 hours ago", "Updated 5 minutes ago", "By Jane Doe",
    "Words by Ana Silva & Tom Li", "Write to Jane Doe at jane@example.com", "Published: July 4, 2025",
    "Updated on 02/05/2025", "Tue 6 Nov 2012 14:05 GMT", "2025-07-30", "Photo: AP", "(Reuters)", "[Getty Images]",
    "A crane lifts a beam.Workers watch from below.", "Get our daily briefing in your inbox", "Never miss a story",
    "Tired of too many ads? Remove Ads", "ADVERTISEMENT", "Continue reading below", "Story continues below",
]
_PIECES = sorted(set().union(*linescan.ANY_WORD.values(), *linescan.FIRST_WORD.values(), linescan.CHROME_FIRST)) + [
    "the", "story", "you", "our", "Photo:", "©", "@", "|", "/", "·", "•", "»", "(AP)", "[", "2025", "3", "٣",
    "Tools", "APPS", "İ", "K", "ſ", "ﬁ", "中文", "😉", "\ud800", "\u3000", "\xa0", "’", "“", "é", "ß", "À",
] + _PHRASES * 4
_SEPS = [" ", " ", " ", "  ", "", ".", ". ", "!", "?", "’", "”", ".”", "\t", ", ", "-", " | "]
_CASES = [str, str, str.upper, str.title, str.lower]
lines = (
    st.tuples(
        st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(_CASES)), min_size=1, max_size=6),
        st.lists(st.sampled_from(_SEPS), min_size=6, max_size=6),
        st.sampled_from(["", "", "", " ", ".", "?", "ſ", "K"]),
    ).map(lambda drawn: "".join(case(p) + sep for (p, case), sep in zip(*drawn[:2], strict=False)).rstrip() + drawn[2])
    | st.sampled_from(_PHRASES)
    | texts.map(lambda t: t.replace("\n", " "))
)


def _gates(text: str, words: int) -> dict[str, bool]:
    """What each rule of the chain needs besides its pattern and length, computed the slow way: tokens of the
    lower-cased line, its first word, its marks. A rule's scan bit must be set exactly when this holds (at
    least when it holds, for the rules marked ``>=``, whose chain keeps its own exact check after the bit)."""
    low = text.lower()
    first, toks = P.words_of(low)
    return {
        "ad": not toks.isdisjoint(P.AD_KEYS),
        "comments": not toks.isdisjoint(P.COMMENTS_KEYS),
        "cms_footer": not toks.isdisjoint(P.CMS_FOOTER_KEYS) or "©" in text,
        "directory": low.endswith(P.DIRECTORY_LAST),
        "related_heading": first in P.RELATED_MARKER_FIRST,
        "more_stories": first in P.MORE_STORIES_FIRST,
        "app_promo": not toks.isdisjoint(P.APP_PROMO_KEYS),
        "newsletter": not toks.isdisjoint(P.NEWSLETTER_KEYS),
        "share": first in P.SHARE_FIRST,
        "cookie": not toks.isdisjoint(P.COOKIE_KEYS),
        "chrome>=": bool(P.CHROME.search(text)),  # the chain had no other gate for it
        "nav_row>=": bool(P.NAV_ROW.search(text)),  # it had _has_separator, which NAV_ROW implies
        "relative_time": "ago" in toks,
        "byline": first in P.BYLINE_FIRST,
        "write_to": "@" in text,
        "dateline": first in P.DATELINE_FIRST,
        "date_line>=": bool(text) and (text[0].isdigit() or first.rstrip(".,") in P.DATE_ONLY_FIRST),
        "photo_credit": first in P.CREDIT_FIRST,
        "paren_credit": text[:1] in ("(", "["),
        "call_to_action>=": C._call_to_action(text, first, toks) is not None,
        "glued_captions": bool(P.GLUE_HINT.search(text)),
    }


@settings(max_examples=4000, deadline=None)
@given(lines)
def test_line_scan_counts_flags_and_rule_bits(line: str) -> None:
    got = linescan.scan(line, 1)
    assert got.counts == [C._words(line)]
    assert got.cjk == has_cjk(line)
    assert got.squashed == (squash(line) == line)
    assert bool(got.masks[0] & linescan.AD_HINT) == any(hint in line for hint in P.AD_HINTS) == bool(got.hinted)
    # The chain (classify._pattern_label) tries a rule only when its scan bit is set: the bit is the rule's gate.
    for name, gate in _gates(line, got.counts[0]).items():
        bit = bool(got.masks[0] & linescan.RULES[name.removesuffix(">=")])
        assert bit == gate if not name.endswith(">=") else bit >= gate, (line, name, bit, gate)


@settings(max_examples=1000, deadline=None)
@given(st.lists(lines, min_size=1, max_size=8))
def test_document_scan_is_the_scan_of_its_lines(doc: list[str]) -> None:
    whole = linescan.scan("\n".join(doc), len(doc), C.MAX_JUNK_WORDS)
    each = [linescan.scan(line, 1) for line in doc]
    assert whole.counts == [s.counts[0] for s in each]
    assert whole.squashed == all(s.squashed for s in each)
    assert whole.cjk == any(s.cjk for s in each)
    assert whole.hinted == sum(s.hinted for s in each)
    for line, w, got, alone in zip(doc, whole.counts, whole.masks, each, strict=True):
        # a line over the limit is not scanned for words; one over it by its count, not by its spaces, may still
        # hold an interface word
        few = linescan.UI_HINT if line.count(" ") + 1 <= C.MAX_JUNK_WORDS else 0
        assert got == (alone.masks[0] if w <= C.MAX_JUNK_WORDS else alone.masks[0] & linescan.AD_HINT | few)


def test_only_two_characters_lower_case_into_ascii() -> None:
    # The scan lower-cases ASCII itself and knows these two; any other would change its words.
    into_ascii = [c for c in range(128, 0x110000) if not 0xD800 <= c < 0xE000 and any(ch.isascii() for ch in chr(c).lower())]
    assert into_ascii == [0x130, 0x212A]
    assert chr(0x130).lower() == "i\u0307" and chr(0x212A).lower() == "k"


@settings(max_examples=500, deadline=None)
@given(st.from_regex(re.compile(P.CHROME.pattern, re.IGNORECASE), fullmatch=True))
def test_every_chrome_line_passes_the_scan_gate(line: str) -> None:
    # linescan.CHROME_FIRST is written out from P.CHROME's alternatives: a new alternative whose first word
    # is missing there would skip the rule chain for that line, so every line CHROME matches must pass.
    if P.CHROME.search(line):
        assert linescan.scan(line, 1).masks[0] & linescan.RULES["chrome"], line


def _mixes(pieces: list[str], sep: str = " ") -> st.SearchStrategy[str]:
    """Up to 8 of ``pieces`` joined by ``sep`` in any order, or any text."""
    return st.lists(st.sampled_from(pieces), max_size=8).map(sep.join) | texts


_FOOTERISH = _mixes(["the above is the detailed content of", "please follow other related articles", "All Rights",
                     "reserved", "Copyright", "(C)", "reproduction", "in whole or in part", "is", "prohibited", "This",
                     "story", "has been", "first", "published", "Republished", "produced", "’", "“", "—", "rain"])


@settings(max_examples=3000, deadline=None)
@given(_FOOTERISH)
def test_footer_prefilter_never_hides_a_match(text: str) -> None:
    if P.CMS_FOOTER.search(text):
        assert C._may_be_footer(text)


_ADDISH = _mixes(["Tired of too many ads?", "Remove Ads", "go ad-free", "Advertisement", "ADVERTISEMENT", "advertising",
                  "AdVeRtIsEmEnT", "- Scroll to continue", ":", "Story continues below advertisement", "Continue",
                  "reading below", "READING BELOW", "The", "city.", "“", "’", "ſ", "K", "ads", "?", "advertiſement"])


@settings(max_examples=3000, deadline=None)
@given(_ADDISH)
def test_inline_ad_prefilter_never_hides_a_match(text: str) -> None:
    # INLINE_AD_NEEDLES is written out from P.INLINE_AD's alternatives: one missing there would hide an inline ad.
    if P.INLINE_AD.search(text):
        assert C._may_hold_inline_ad(text), text


@settings(max_examples=1000, deadline=None)
@given(st.from_regex(P.INLINE_AD, fullmatch=False))
def test_every_inline_ad_match_passes_the_prefilter(text: str) -> None:
    for m in P.INLINE_AD.finditer(text):
        assert C._may_hold_inline_ad(m.group(0)), m.group(0)


@settings(max_examples=3000, deadline=None)
@given(_mixes(["Updated", "May", "mAy", "SEPT", "ſep", "3", "2025", "1999", "20", "19", "/", "-", ".", "/2024/05/06/",
               "٣", ",", " ", "K"], sep=""))
@example("ſep ٣ 2025")  # found in CI: the long s matched "sep" regardless of case but was no key of the month table
def test_iso_date_prefilters_change_no_date(text: str) -> None:
    from dedupe.clean import metadata

    def reference(value: str) -> str | None:  # every pattern in order, no prefilter
        for pattern in metadata._DATE_PATTERNS:
            for match in pattern.finditer(value):
                groups = match.groupdict()
                month = groups.get("m")
                number = int(month) if month else metadata._MONTHS[groups["month"].casefold().rstrip(".")]
                try:
                    return metadata._dt.date(int(groups["y"]), number, int(groups["d"])).isoformat()
                except ValueError:
                    continue
        return None

    assert metadata.iso_date(text) == (reference(text) if text else None)


@settings(max_examples=3000, deadline=None)
@given(texts)
def test_initial_folds_like_the_whole_line(text: str) -> None:
    assert C._initial(text) == text.lstrip(" \"'‘’“”([«»¿¡-–—").casefold()[:1]


@settings(max_examples=1000, deadline=None)
@given(st.from_regex(P.CMS_FOOTER, fullmatch=False))
def test_every_cms_footer_match_passes_the_prefilter(text: str) -> None:
    # CMS_FOOTER_NEEDLES is written out from P.CMS_FOOTER's alternatives: one missing there would hide a footer.
    if P.CMS_FOOTER.search(text):
        assert C._may_be_footer(text), text


def _expand(items: list) -> list[str]:  # type: ignore[type-arg]
    """Every string a finite parsed regex matches (``\\s+`` as one space; look-arounds and anchors skipped)."""
    from re import _constants as sc  # type: ignore[attr-defined]
    outs = [""]
    for op, av in items:
        if op is sc.LITERAL:
            opts = [chr(av)]
        elif op is sc.IN:
            opts = []
            for o, a in av:
                if o is sc.LITERAL:
                    opts.append(chr(a))
                elif o is sc.CATEGORY:  # \s
                    opts.append(" ")
                else:
                    raise AssertionError(f"unexpected class item {o}")
        elif op is sc.BRANCH:
            opts = [x for branch in av[1] for x in _expand(branch)]
        elif op is sc.SUBPATTERN:
            opts = _expand(av[-1])
        elif op is sc.MAX_REPEAT:
            low, high, sub = av
            opts = _expand(sub) if high == sc.MAXREPEAT else [""] * (low == 0) + _expand(sub)
            assert high in (1, sc.MAXREPEAT), av
        elif op in (sc.ASSERT, sc.ASSERT_NOT, sc.AT):
            continue
        else:
            raise AssertionError(f"unexpected regex item {op}")
        outs = [a + b for a in outs for b in opts]
    return outs


def test_every_ascii_interface_word_holds_a_scanned_key() -> None:
    """The line scan marks UI_HINT by P.UI_KEYS, written out from uilines' regexes: every form they match in ASCII
    holds one (forms with other letters are marked by their letters)."""
    from re import _parser  # type: ignore[attr-defined]

    from dedupe.clean.uilines import SHARE_TARGETS, UI_WORDS

    forms = [f for rx in (UI_WORDS, SHARE_TARGETS) for f in _expand(_parser.parse(rx.pattern))]
    assert len(forms) > 100
    for form in forms:
        if form.isascii():
            assert not P.INTERFACE_KEYS.isdisjoint(P.tokens(form.lower())), form
            assert linescan.scan(f"'{form.title()}'s", 1).masks[0] & linescan.UI_HINT, form


_UI_PIECES = sorted(P.UI_KEYS) + [
    "Drucken", "Lesen Sie auch", "Czytaj więcej", "Udostępnij", "oceń", "Ähnliche Artikel", "Crédit photo", "Bıld",
    "ſalva", "Kommentare", "©", ":", ".", "(", "'", "’", "_", "x", "the", "a", "2", "/", "@", "é",
]
_UI_LINES = st.lists(st.tuples(st.sampled_from(_UI_PIECES), st.sampled_from([str, str.upper, str.title])),
                     min_size=1, max_size=7).map(
    lambda parts: "".join(case(p) + sep for (p, case), sep in zip(parts, [" ", "", ": ", " ", "'", " ", ""] * 2,
                                                                   strict=False)).strip()
) | texts.map(lambda t: t.replace("\n", " "))


@settings(max_examples=3000, deadline=None)
@given(_UI_LINES)
def test_every_interface_line_or_credit_caption_passes_the_scan_gate(line: str) -> None:
    from dedupe.clean.uilines import (
        CREDIT_CLOSES,
        SHARE_TARGETS,
        UI_WORDS,
        _may_close_with_credit,
        _may_hold_ui_word,
        closes_with_credit,
    )

    if UI_WORDS.search(line) or SHARE_TARGETS.search(line):
        assert _may_hold_ui_word(line), line
        assert linescan.scan(line, 1).masks[0] & linescan.UI_HINT, line
    closing = re.search(  # uilines.CREDIT_CLOSES as first written: searched from the start, "^" for the lookbehind
        rf"(?:^|[\s|(])(?:©|(?:{P.CREDIT_LABEL})\s*[:.])\s*[^\s.!?][^.!?]{{1,60}}$", line, re.IGNORECASE)
    assert closes_with_credit(line) == bool(CREDIT_CLOSES.search(line)) == bool(closing), line
    if closing:
        assert _may_close_with_credit(line), line
        assert linescan.scan(line, 1).masks[0] & linescan.UI_HINT, line
