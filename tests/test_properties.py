"""Property-based tests: any Unicode text gives a valid result, independent of
surrounding whitespace and letter case."""

from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from faq.engine import Engine
from faq.model import LANGS
from faq.normalize import fold, words


@cache
def engine() -> Engine:
    """Built when first used, not when the module is collected (every xdist worker does)."""
    return Engine.from_path()


HINTS = st.sampled_from([None, *LANGS])
SPACE = st.text(alphabet=" \t\n\u00a0\u3000", max_size=4)
# Mostly letters the FAQ uses, plus anything else Unicode has.
TEXT = st.one_of(
    st.text(max_size=200),
    st.lists(
        st.sampled_from(
            ["apa", "itu", "bpo", "call", "center", "beza", "jenis", "what", "is", "?"]
        ),
        max_size=8,
    ).map(" ".join),
)


@given(TEXT)
def test_fold_is_lowercase_ascii_words_and_idempotent(text):
    folded = fold(text)
    assert folded == folded.strip()
    assert all(word.isascii() and word == word.lower() for word in folded.split())
    assert fold(folded) == folded
    assert words(text) == folded.split()


@settings(max_examples=150, deadline=None)
@given(TEXT, HINTS)
def test_any_text_gets_a_valid_reply(text, hint):
    reply = engine().ask(text, lang_hint=hint)
    assert reply.status in ("answer", "suggest", "none", "smalltalk")
    assert reply.lang in LANGS
    assert 0.0 <= reply.score <= 1.0
    if reply.status == "answer":
        assert reply.topic_id in engine().faq.topics and not reply.suggestions
    elif reply.status == "suggest":
        assert reply.topic_id is None
        assert 1 <= len(reply.suggestions) <= 3
        assert all(s in engine().faq.topics for s in reply.suggestions)
    else:
        assert reply.topic_id is None and not reply.suggestions


@settings(max_examples=150, deadline=None)
@given(TEXT, SPACE, SPACE, HINTS)
def test_reply_ignores_surrounding_whitespace_and_case(text, before, after, hint):
    reply = engine().ask(text, lang_hint=hint)
    assert engine().ask(before + text + after, lang_hint=hint) == reply
    assert engine().ask(text.upper(), lang_hint=hint) == reply
    assert engine().ask(text.lower(), lang_hint=hint) == reply


@settings(max_examples=150, deadline=None)
@given(TEXT, SPACE, HINTS)
def test_language_ignores_whitespace_and_case(text, space, hint):
    lang = engine().language(text, hint)
    assert lang in LANGS
    assert engine().language(space + text.swapcase() + space, hint) == lang
