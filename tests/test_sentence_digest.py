"""The compiled line and sentence digests of the template pass against their plain references
(:func:`~dedupe.clean.sentencedigest.copy_keys` and :func:`~dedupe.clean.sentencedigest.digest`)."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from dedupe.clean.recurring import line_key
from dedupe.clean.sentencedigest import copy_keys, digest, line_digests

# the characters that cut sentences and words: sentence ends, quote marks, punctuation, spaces of all
# kinds, NUL, word characters of several scripts and the marks \w leaves out
_ALPHABET = st.sampled_from(
    list("ab Z9_ w x y z .!?。！？'\"`“”‘’«»„,;:—-()\t\n") + ["é", "e\u0301", "東", "ا", "\u00a0", "\u3000", "\x00",
                                                           "\x1c", "²", "\ud800", "😀"]
)
LINE = st.lists(_ALPHABET, max_size=120).map("".join) | st.text(max_size=80)
# ten words or more, so that most lines hold a copy sentence
WORDY = st.lists(st.sampled_from(["alpha", "beta", "gamma", "said", "the", "news", "ünï", "東京"]) | _ALPHABET,
                 min_size=20, max_size=60).map(" ".join)


def _reference(keys: list[str]) -> tuple[list[int], list[list[int]]]:
    return [digest(k.replace("\x00", "\x01")) for k in keys], [list(map(digest, copy_keys(k))) for k in keys]


def _compiled(keys: list[str]) -> tuple[list[int], list[list[int]]]:
    whole, sentences, starts = line_digests(keys)
    return whole, [sentences[starts[i] : starts[i + 1]] for i in range(len(keys))]


@settings(max_examples=300, deadline=None)
@given(st.lists(LINE | WORDY, max_size=8))
@example(['he said: "we will win." then he left the room, and the crowd went home at last.'])
@example(["one two three four five six seven eight nine ten. eleven twelve thirteen fourteen fifteen sixteen "
          "seventeen eighteen nineteen twenty"])
@example(["a b c d e f g h i j\x00k l m n o p q r s t"])  # a NUL inside a line is punctuation, not a line end
@example(["a b c d e f g h i j.\u00a0k l m n o p q r s t", "a b c d e f g h i j.\u3000\u3000k l m n o p q r s t"])
def test_compiled_digests_equal_the_reference(keys):
    assert _compiled(keys) == _reference(keys)


@settings(max_examples=100, deadline=None)
@given(st.lists(WORDY, max_size=6))
def test_line_keys_as_the_template_pass_makes_them(lines):
    keys = [line_key(line) for line in lines]
    assert _compiled(keys) == _reference(keys)


def test_empty_batch():
    assert line_digests([]) == ([], [], [0])
