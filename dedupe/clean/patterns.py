"""Vocabulary the block classifier consults.

These are *signals*, not the method: a phrase only counts when the block's
shape agrees (short, no sentence punctuation, in a tail section, …); see
:mod:`dedupe.clean.classify` for how they combine.
"""

from __future__ import annotations

import re

import regex

from ..asciiscan import byte_table

_F = regex.IGNORECASE | regex.VERSION1


def _rx(pattern: str) -> regex.Pattern[str]:
    return regex.compile(pattern, _F)


def _re(pattern: str) -> re.Pattern[str]:
    """Plain-ASCII patterns that the standard ``re`` engine runs several times faster."""
    return re.compile(pattern, re.IGNORECASE)


# Bare section headings that start a tail of non-article material. A tail
# marker only counts as a whole (short) block.
RELATED_MARKER = _rx(
    r"^(related|recommended|more|most|also|further|suggested|similar|popular|trending|latest|top|hot|"
    r"editor'?s?|you (?:may|might|will)|what to|don'?t|in case|read|see|keep|other|around)\b.{0,40}$"
)
RELATED_HEADING_WORDS = _rx(
    r"\b(related|recommended|stories|articles?|posts|news|reads?|reading|picks|popular|trending|"
    r"topics?|miss(ed)?|like|next|also|more|headlines|videos?|coverage|for you|latest)\b"
)
STRONG_RELATED = _rx(
    r"\b(related|recommended|stories|articles?|reads|trending|popular|picks|missed|hot|headlines|most read|"
    r"you (may|might) (also )?like)\b"
)
MORE_STORIES = _rx(r"^(more (stories|articles|news) (like this|from|on)|read (the )?(full|more) .{0,40} on)\b")
COMMENTS = _rx(
    r"^(\d+\s+)?(comments?|replies|responses|discussion|discuss)(\s*\(\d+\))?:?$|"
    r"^(no comments yet|be the first to comment|leave a (comment|reply)|post a comment|add a comment|"
    r"write a comment|join the (conversation|discussion)|comments are closed|"
    r"(log|sign) in to (comment|reply|join the (conversation|discussion))|reader comments|show (more )?comments|view comments|load comments)\b"
)
CMS_FOOTER = _re(
    r"(the above is the detailed content of|please follow other related articles|"
    r"all rights reserved|^(copyright|©|\(c\))\s|reproduction (in whole or in part )?(is )?prohibited|"
    r"this (article|story|content) (was|is|has been) (originally |first )?(published|produced|republished)\b|"
    r"a version of this (article|story|review|column) appeared\b|"
    r"this copy is for your personal,? non-?commercial use\b|"
    r"you can follow any responses to this entry\b)"
)
#: Lower-case substrings every CMS_FOOTER match holds, one per alternative (see classify._may_be_footer).
CMS_FOOTER_NEEDLES = (
    "the above is the detailed content of", "please follow other related articles", "all rights reserved",
    "copyright", "©", "(c)", "prohibited", "published", "produced", "appeared", "personal", "responses",
)
DIRECTORY = _rx(r"^(hot |popular |free |top |best |useful )?(ai )?(tools|apps|resources|downloads|software)$")

# Block-level junk classes (checked on short blocks).
NEWSLETTER = _rx(
    r"\b(newsletters?|in ?(your|their) inbox(es)?|to your inbox|your email( address)?|enter your email|subscribe|subscription|sign(ing)?[ -]?up|sign me up|"
    r"opt[ -]?in|unsubscribe|delivered (straight|directly|daily|weekly))\b"
)
APP_PROMO = _rx(
    r"\b(download (the|our) app|(the|our) app today|app[- ]?store|play[- ]?store|google play|get it on|"
    r"try our (\w+ ){0,3}features?|explore what .{1,40} can do|get started now|open in app|"
    r"install (the|our) app|available on (ios|android))\b|^app-?store"
)
AD = _re(
    r"^(advertisement|advertising|sponsored( content| post)?|promoted( content)?|paid (post|content)|"
    r"ads? by .{1,30}|story continues below( advertisement)?|continue reading below|scroll to continue"
    r"( with content)?|ad)$|^advertisement\b\W+\w+( \w+){0,4}$|remove ads|ad-?free experience"
)
SHARE = _rx(
    r"^((share|tweet|pin|email|print|copy( the)? link|save|gift)( (this|the) (article|story|page|link))?"
    r"|facebook|twitter|x|linkedin|whatsapp|reddit|telegram|flipboard|pinterest|messenger|share on \w+)"
    r"([\s,|/·•]+(share|tweet|facebook|twitter|x|linkedin|whatsapp|email|print|reddit|telegram|"
    r"copy link|flipboard|pinterest|messenger|share on \w+))*:?$"
)
COOKIE = _rx(r"\bcookies?\b.*\b(accept|consent|agree|policy|settings|preferences|use)\b|\b(accept|reject) all\b")
CHROME = _rx(
    r"^(logo|menu|main menu|home|search|skip to (main )?content|back to top|close|toggle navigation|"
    r"navigation|hashtags|tags|topics|log ?in|sign ?in|register|my account|subscribe now|"
    r"open menu|close menu|advertise with us|contact us|about us|privacy policy|terms of (use|service))$"
)

# Calls to action: the site talking to the reader ("Get …", "your inbox", "our app").
# A short block with this voice *and* a junk noun is a box, whatever its wording.
IMPERATIVE = _rx(
    r"^\W*(get|sign|subscribe|download|join|enter|try|install|follow|read|open|register|create|start|stay|"
    r"want|never miss|don'?t miss|click|tap|grab|claim|unlock|upgrade|listen|watch|manage|accept|reject|"
    r"allow|continue)\b"
)
NEWSLETTER_NOUNS = _rx(
    r"\b(newsletters?|inbox(es)?|e-?mails?|briefing|subscribe|subscription|sign[- ]?up|unsubscribe|spam|digest)\b"
)
APP_NOUNS = _rx(r"\b(apps?|app store|google play|ios|android|push notifications?|breaking news alerts)\b")

# Photo captions and credits: one table of credit labels, in English and in de, fr, es, it, nl, pl, pt, for the
# two rules that read them (a credit line opening with a label here, a caption closing with one in
# dedupe.clean.uilines).
CREDIT_LABELS = (
    "photo", "photos", "image", "images", "picture", "pictures", "pic", "pics", "video", "videos", "illustration",
    "illustrations", "credit", "credits", "photograph", "photographs",
    "foto", "fotos", "bild", "bilder", "titelbild", "beitragsbild", "headerbild", "fot", "zdjęcie", "zdjęcia",
    "zdjecie", "zdjecia", "imagen", "immagine", "afbeelding", "crédit", "crédits", "fotografía", "fotografia",
)
#: The labels as a regex alternation, longest first.
CREDIT_LABEL = "|".join(sorted(map(re.escape, CREDIT_LABELS), key=len, reverse=True))
#: A credit line: a label ("Photo credit", "Crédits photos"), a separator, a short credit ("Titelbild: …", "Fot. …").
CREDIT = _rx(rf"^[(\[]?(?:{CREDIT_LABEL})(?:\s+(?:credits?|photos?))?\s*(?::|/|by\b|\.)\s*\S.{{0,60}}$")
PAREN_CREDIT = regex.compile(r"^[(\[][\p{Lu}][\p{L}.&' /-]{1,30}[)\]]$")

# A navigation row: three or more one-to-three-word items between separators.
NAV_ROW = regex.compile(r"^[^|·•»/]{1,25}(?:\s+[|·•»/]\s+[^|·•»/]{1,25}){2,}$")
NAV_SEPARATOR = regex.compile(r"\s+[|·•»/]\s+")

# Metadata lines.
RELATIVE_TIME = _rx(r"^(time|updated|posted|published)?\s*\d+\s*(seconds?|mins?|minutes?|hours?|hrs?|days?|weeks?|months?)\s+ago$")
BYLINE = regex.compile(
    r"^(?i:by|written by|words by|reporting by|text by)\s+\p{Lu}[\p{L}.'\-]+(\s+\p{Lu}[\p{L}.'\-]+){0,3}"
    r"((\s*,\s*|\s+and\s+|\s*&\s*)\p{Lu}[\p{L}.'\-]+(\s+\p{Lu}[\p{L}.'\-]+){0,3})*"
    r"(\s*[,|]\s*.{0,40})?$",
    regex.VERSION1,
)
WRITE_TO = _rx(r"^(write to|contact|email)\s+(?<names>.+?\s+at\s+\S+@\S+.*)$")
WRITE_TO_NAME = regex.compile(r"(\p{Lu}[\p{L}.'\-]+(?:\s+\p{Lu}[\p{L}.'\-]+){0,3})\s+at\s+\S+@\S+")
DATELINE = _rx(
    r"^(published|updated|posted|last updated|first published|date)(\s+on)?\s*:?\s*"
    r"(?<date>.{4,40})$"
)
#: A line that is only a date (and maybe a weekday and a time): "November 6, 2012", "Tue 6 Nov 2012 14:05 GMT".
_MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
           r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
DATE_ONLY = _re(
    r"^(?:(?:mon|tue|tues|wed|wednes|thu|thur|thurs|fri|sat|satur|sun)(?:day)?\.?,?\s+)?"
    rf"(?:{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS},?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{4})"
    r"(?:,?\s+(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[a-z]{2,4})?)?$"
)
#: A numeric date whose day and month order is unknown (02/05/2025): a date line's date, not the date field.
NUMERIC_DATE = _re(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b")
DATE_ONLY_FIRST = frozenset(
    "jan january feb february mar march apr april may jun june jul july aug august sep sept september oct october "
    "nov november dec december mon monday tue tues tuesday wed wednesday thu thur thurs thursday fri friday "
    "sat saturday sun sunday".split()
)
LEADING_DATE = _rx(
    r"^\s*(?:date|published|posted|updated)\s*:?\s*(?<date>\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?)(?!\d)[\s:|,;.–—-]*"
)

# Inline fragments removed from inside a kept paragraph.
INLINE_AD = re.compile(  # no leading \s* or \b: an anchor tried at every position costs 2x
    r"(?i:tired of too many ads\?\s*(?:remove ads|go ad[- ]free)[.!]?|advertisement\s*[-–—:]\s*"
    r"scroll to continue\b|story continues below advertisement\b|continue reading below\b)|ADVERTISEMENT\b|"
    r"(?<=[.!?\"”’] )Advertisement(?= [A-Z\"“‘])"  # a bare label between two sentences
)

#: Lower-case substrings every INLINE_AD match holds, lower-cased (see classify._inline_ad_spans).
INLINE_AD_NEEDLES = ("advertisement", "ads?", "reading below")
# Substrings every INLINE_AD match contains, in their usual cases: only a line holding one is searched.
# (All-capitals "ADS?" and "READING BELOW" are left out.)
AD_HINTS = ("dvert", "DVERT", "ads?", "Ads?", "eading below", "eading Below")

# Two sentences glued without a space, as scraped captions are: "training.Remote".
GLUE = regex.compile(r"(?<=[\p{Ll}\d][.!?][\"'”’)]?)(?=[\"'“‘]?\p{Lu}\p{Ll}|\(\p{Lu}\p{L})")
# Cheap ASCII prefilter for GLUE (a lower-case letter or digit, sentence end, capital or bracket).
GLUE_HINT = re.compile(r"[a-z0-9\u00df-\u00ff][.!?][\"'”’)]?[\"'“‘(]?[A-Z\u00c0-\u00de(]")


# Trigger words: a pattern is only tried on a block whose lower-case word set meets its
# triggers (set lookups are ~50x cheaper than an unanchored alternation over a string).
# Every alternative of the pattern needs one of these words, so the gate changes no result.
_TOKEN = re.compile(r"[a-z0-9']+")


def words_of(text_lower: str) -> tuple[str, frozenset[str]]:
    """First word and word set used to gate the patterns (``text_lower`` is already lower-cased).

    >>> first, words = words_of("sign up, it's free!")
    >>> first, sorted(words)
    ('sign', ['free', "it's", 'sign', 'up'])
    """
    toks = tokens(text_lower)
    return (toks[0] if toks else ""), frozenset(toks)


# Token characters kept by byte translation; every other byte (and every non-ASCII character,
# encoded as "?") becomes a space.
_TO_SPACE = byte_table(b"abcdefghijklmnopqrstuvwxyz0123456789'")


def tokens(text_lower: str) -> list[str]:
    """``_TOKEN.findall(text_lower)`` computed with C string methods (~3x faster than the regex).

    Each non-ASCII character encodes as one ``?``; translation turns every byte outside the
    token class into a space, so splitting on spaces yields exactly the regex's maximal runs.

    >>> tokens("don't — stop!  x1"), _TOKEN.findall("don't — stop!  x1")
    (["don't", 'stop', 'x1'], ["don't", 'stop', 'x1'])
    """
    return text_lower.encode("ascii", "replace").translate(_TO_SPACE).decode("ascii").split()


def _keys(words: str) -> frozenset[str]:
    return frozenset(words.split())


AD_KEYS = _keys("advertisement advertising sponsored promoted paid ad ads story continue scroll remove")
COMMENTS_KEYS = _keys(
    "comment comments replies responses discussion discuss no be leave post add write join log sign show view "
    "load reader"
)
CMS_FOOTER_KEYS = _keys(
    "detailed please reserved copyright c reproduction published produced republished appeared commercial "
    "responses"
)
APP_PROMO_KEYS = _keys("app apps appstore storeplay playstore store play explore started ios android features")
NEWSLETTER_KEYS = _keys(
    "newsletter newsletters inbox inboxes inyourinbox email subscribe subscription sign signing signup opt "
    "optin unsubscribe delivered"
)
COOKIE_KEYS = _keys("cookie cookies accept reject")
VOICE_KEYS = _keys("you your you'll you're yours we we'll we're our us")
NEWSLETTER_NOUN_KEYS = _keys(
    "newsletter newsletters inbox inboxes email emails e mail mails briefing subscribe subscription sign signup "
    "unsubscribe spam digest"
)
APP_NOUN_KEYS = _keys("app apps store google ios android push breaking")
COOKIE_NOUN_KEYS = _keys("cookie cookies consent tracking")
RELATED_KEYS = _keys(
    "related recommended stories articles article reads trending popular picks miss missed hot headlines most you"
)
# First words that anchored patterns need (a block starting otherwise cannot match them).
RELATED_MARKER_FIRST = _keys(
    "related recommended more most also further suggested similar popular trending latest top hot editor editor's "
    "editors you what don't dont don in read see keep other around"
)
MORE_STORIES_FIRST = _keys("more read")
SHARE_FIRST = _keys(
    "share tweet pin email print copy save gift facebook twitter x linkedin whatsapp reddit telegram flipboard "
    "pinterest messenger"
)
BYLINE_FIRST = _keys("by written words reporting text")
DATELINE_FIRST = _keys("published updated posted last first date")
#: First words of a credit line: each label's first token (a non-ASCII letter ends a token: "zdjęcia" -> "zdj").
CREDIT_FIRST = frozenset(tokens(label)[0] for label in CREDIT_LABELS)
#: Words of which every interface label or network name of :mod:`dedupe.clean.uilines` that its regexes find in
#: ASCII text holds one (tests/test_clean_fastpaths.py expands the regexes to check it): each label's first word.
INTERFACE_KEYS = _keys(
    "afdrukken ahnliche articles articoli articulos artigos auch ausdrucken autres avaliar beoordelen bewerten "
    "comentar comentario comentarios commenta commentaire commentaires commenter commenti compartilhar compartir "
    "condividi czytaj delen drucken drukuj enregistrer freischalten gerelateerde guardar imprimer imprimir keine "
    "komentarz komentarze kommentar kommentare kommentieren konnte konnten lee leer lees leggi leia lesen lire mehr "
    "merken noter noticias ocen opslaan partager pinnen powiazane reacties reageer reageren saiba salva schon seguir "
    "skomentuj speichern stampa teilen udostepnij valorar valuta vea veja ver verwandte voir weitere weiterlesen "
    "wiecej zapisz zie zobacz "
    "facebook twitter instagram pinterest whatsapp linkedin telegram xing youtube"
)
#: The words the line scan marks (:data:`dedupe.clean.linescan.UI_HINT`): interface words and ASCII credit labels.
UI_KEYS = INTERFACE_KEYS | frozenset(label for label in CREDIT_LABELS if label.isascii())
IMPERATIVE_FIRST = _keys(
    "get sign subscribe download join enter try install follow read open register create start stay want never "
    "don't dont don click tap grab claim unlock upgrade listen watch manage accept reject allow continue"
)
DIRECTORY_LAST = ("tools", "apps", "resources", "downloads", "software")

# Small words a section heading may carry besides its vocabulary ("More from the Business desk").
HEADING_FILLER = _keys("a an the in on of from for to and at by with you your may might will also this our we")
# A lead paragraph's dateline: "ST. JOSEPH, Mich. (AP) —", "LONDON (Reuters) -".
DATELINE_LEAD = regex.compile(r"^[\p{Lu}][\p{Lu}\p{L}.,' ]{1,40}\((AP|Reuters|AFP|UPI|CNN|Bloomberg|dpa)\)\s*[—–-]")

#: Closing quotes and brackets that may follow a sentence's final mark.
SENTENCE_CLOSERS = "\"'”’)]"
#: Marks that end a sentence (:func:`ends_sentence`); :func:`ends_statement` leaves out the "?".
SENTENCE_MARKS = (".", "!", "?", "…")
_STATEMENT_MARKS = (".", "!", "…")


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends as a sentence: ``. ! ? …``, maybe followed by closing quotes or brackets.

    The one "ends as a sentence" check of the cleaner (a string check, cheaper than a regex).

    >>> ends_sentence('He left."'), ends_sentence("Why (again?)"), ends_sentence("Drucken Pinnen")
    (True, True, False)
    """
    return text.rstrip(SENTENCE_CLOSERS).endswith(SENTENCE_MARKS)


def ends_statement(text: str) -> bool:
    """:func:`ends_sentence` without the question mark: a teaser label ("Schon gelesen?") may end in one.

    >>> ends_statement("Bitte teilen!"), ends_statement("Schon gelesen?"), ends_sentence("Schon gelesen?")
    (True, False, True)
    """
    return text.rstrip(SENTENCE_CLOSERS).endswith(_STATEMENT_MARKS)
