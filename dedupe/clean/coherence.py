"""Topical coherence: how much of a block's vocabulary the rest of its document shares.

An article's paragraphs keep returning to the same names and topic words; a
story glued on after it (related-article spam) talks about something else.
The measure is deliberately cheap (no tf-idf, no corpus statistics): the
*content words* of a block are its lower-cased words of four or more letters
that are not common function words, and coherence is the share of them that
also occur in a reference profile (the title and the body before the block).

>>> a = content_words("Huawei is helping China build its own AI chips.")
>>> sorted(a)
['build', 'china', 'chips', 'helping', 'huawei']
>>> round(share(content_words("Oil prices fell on Thursday as traders worried."), a), 2)
0.0
>>> round(share(content_words("Huawei chips now power China's AI clusters."), a), 2)
0.6
"""

from __future__ import annotations

import re
from itertools import product

from ..asciiscan import byte_table, without_typography

# Lower-case words of 4+ letters (apostrophes dropped first, so "China's" -> "chinas" is not
# produced: we cut at the apostrophe and keep "china").
_WORD = re.compile(r"[^\W\d_]{4,}")
# The same on ASCII text (\w is [a-zA-Z0-9_] there; the text is lower-cased): maximal runs of a-z
# (bytes.translate turns every other byte into a space) less every run of one to three letters.
_LETTERS = byte_table(b"abcdefghijklmnopqrstuvwxyz")

STOPWORDS = frozenset(
    """
    about above after again against also although among another anyone anything around because been
    before being below between both but came cannot could does doing done down during each either else
    even ever every few first from further have having here hers herself himself into itself just last
    least less like made make many more most much must near need never next none once only other others
    otherwise ours ourselves over own same says said shall should since some still such than that their
    theirs them themselves then there these they this those though through thus till together too under
    until upon very what when where whether which while whom whose will with within without would year
    years your yours yourself also back well just told says according week today time new first last
    people like going want wants make made take took came come comes know knows think thinks thing things
    says told tell tells want good great high long little most much part place right same seem small
    that than the this were what when will with year
    """.split()
)

#: Stop words and every string of one to three letters a-z: what a run of letters must not be to be a content word.
_SHORT_OR_STOP = STOPWORDS | frozenset(
    "".join(letters) for k in (1, 2, 3) for letters in product("abcdefghijklmnopqrstuvwxyz", repeat=k)
)

# Scripts written without spaces between words: Han ideographs and Japanese kana.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Character pairs that carry grammar, not topic: any pair with hiragana (Japanese particles and
# endings) or with one of the most frequent Chinese function characters (the Chinese stop words).
_GRAMMAR_PAIR = re.compile(
    "[\u3040-\u309f"
    "的了是在我们有和也都就不这那一个他她它会对以而及与或但因所其之为于把被从到很还又再已要能可自己没些"
    "]"
)
# Korean separates words by spaces, but most of its words are two or three syllables long.
_HANGUL_WORD = re.compile(r"[\uac00-\ud7a3]{2,}")
# UTF-8 lead bytes of U+3000-U+9FFF (kana, ideographs) and U+A000-U+FFFF (Hangul, compatibility
# ideographs), as 1 in a byte table: a text without any of them has none of those scripts. Encoding,
# translating and one substring check run at C speed, faster than a regex or max() over the characters.
_CJK_LEADS = bytes(1 if 0xE3 <= b <= 0xEF else 0 for b in range(256))


def has_cjk(text: str) -> bool:
    """Whether ``text`` may hold Chinese, Japanese or Korean letters (no false negatives).

    >>> has_cjk("Zürich’s banks"), has_cjk("谷歌"), has_cjk("한국어"), has_cjk("ascii")
    (False, True, True, False)
    """
    if text.isascii():
        return False
    return b"\x01" in text.encode("utf-8", "surrogatepass").translate(_CJK_LEADS)


def content_words(text: str, *, cjk: bool = True) -> set[str]:
    """The block's distinct content words (lower-case, 4+ letters, not a stop word).

    A word is cut at an apostrophe ("China's" gives "china"). Chinese and
    Japanese have no spaces to cut words at: their "words" are the character
    pairs of each run (two characters are a typical word there), except pairs
    that hold grammar (hiragana, the commonest Chinese function characters);
    Korean words count from two syllables.

    >>> sorted(content_words("Zürich’s banks—and Geneva's—raised rates"))
    ['banks', 'geneva', 'raised', 'rates', 'zürich']
    >>> sorted(content_words("谷歌开发电脑"))
    ['发电', '开发', '歌开', '电脑', '谷歌']
    >>> sorted(content_words("フリーWi-Fiを使うために"))
    ['フリ', 'リー']
    >>> round(share(content_words("人工智能公司开发电脑"), content_words("谷歌的人工智能")), 2)
    0.29

    ``cjk=False`` says the caller already knows the text holds none of those
    scripts (one :func:`has_cjk` of a whole document spares one per block);
    lower-casing never produces them, so the result is the same.
    """
    plain = without_typography(text)  # typographic quotes and dashes separate words as a space does
    if plain.isascii():  # the words of _WORD, by C string methods (~1.6x faster); ASCII lower-cases fast
        return set(plain.lower().encode("ascii").translate(_LETTERS).decode("ascii").split()) - _SHORT_OR_STOP
    low = without_typography(text.lower())  # (lower-casing first: a mark may be what makes a sigma final)
    if not (cjk and has_cjk(low)):
        return set(_WORD.findall(low)) - STOPWORDS
    out: set[str] = set()
    if _UNSPACED.search(low):
        for run in _UNSPACED.findall(low):
            out.update(p for p in (run[k : k + 2] for k in range(len(run) - 1)) if not _GRAMMAR_PAIR.search(p))
        low = _UNSPACED.sub(" ", low)
    if _HANGUL_WORD.search(low):
        out.update(_HANGUL_WORD.findall(low))
        low = _HANGUL_WORD.sub(" ", low)
    out.update(w for w in _WORD.findall(low) if w not in STOPWORDS)
    return out


def share(words: set[str] | frozenset[str], profile: set[str] | frozenset[str]) -> float:
    """Share of ``words`` found in ``profile`` (1.0 for an empty block: nothing speaks against it)."""
    if not words:
        return 1.0
    return len(words & profile) / len(words)
