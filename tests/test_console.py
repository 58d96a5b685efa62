"""`faqbot chat`, in-process: it explains itself, answers like the bot, numbers open suggestions."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.console import HELP, run_console
from bot.strings import t
from faq.engine import Engine


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_path()


def chat(engine: Engine, *lines: str) -> list[str]:
    """What the console writes for `lines` typed in; EOF after them."""
    typed: Iterator[str] = iter(lines)
    written: list[str] = []

    def read(prompt: str) -> str:
        try:
            return next(typed)
        except StopIteration:
            raise EOFError from None

    assert run_console(engine, read=read, write=written.append) == 0
    return written


def test_the_console_explains_help_and_quit_at_start(engine) -> None:
    first = chat(engine)[0]
    assert "/help" in first and "/quit" in first and "number" in first


def test_help_explains_again_and_quit_leaves(engine) -> None:
    written = chat(engine, "/help", "/quit", "what is bpo")
    assert written[1] == f"{HELP}\n"
    assert len(written) == 2  # nothing after /quit


def test_a_number_opens_that_suggestion(engine) -> None:
    vague = ("outsourcing", "types", "call centre", "bpo", "work")
    question = next(q for q in vague if engine.ask(q).status == "suggest")
    reply = engine.ask(question)
    written = chat(engine, question, str(len(reply.suggestions)), "99")
    assert t(reply.lang, "did_you_mean") in written[1]
    chosen = engine.faq.topics[reply.suggestions[-1]].texts[reply.lang]
    assert written[2].startswith(f"[{reply.lang} · answer · {reply.suggestions[-1]}")
    assert chosen.title in written[2]
    # A number that is no suggestion is a question like any other.
    assert written[3].startswith("[")


def test_small_talk_is_answered_as_the_bot_does(engine) -> None:
    written = chat(engine, "halo kak", "", "   ")
    assert written[1] == f"[id · greeting]\n{t('id', 'greeting')}\n"
    assert len(written) == 3  # blank lines are skipped; EOF ends with a newline
