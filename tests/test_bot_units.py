"""Callback data, rendering, UI strings and small talk: the bot's pure parts."""

from __future__ import annotations

import re
import string

import pytest
from fakebotapi import parse_html

from bot import callbacks, render
from bot.strings import keys, t
from faq.loader import load_faq
from faq.model import LANGS


@pytest.fixture(scope="module")
def faq():
    return load_faq()


def test_callback_data_round_trips_and_fits_in_64_bytes(faq) -> None:
    for topic_id in faq.topics:
        for lang in LANGS:
            for data, kind in (
                (callbacks.answer(lang, topic_id), "answer"),
                (callbacks.vote(lang, topic_id, up=False), "vote"),
            ):
                assert len(data.encode()) <= 64
                parsed = callbacks.parse(data)
                assert parsed is not None
                assert (parsed.kind, parsed.lang, parsed.topic_id) == (kind, lang, topic_id)
    assert callbacks.parse(callbacks.page("ms", 3)) == callbacks.Callback("page", "ms", page=3)
    assert callbacks.parse(callbacks.language("auto")).lang == "auto"


@pytest.mark.parametrize(
    "forged",
    [
        "",
        "a:",
        "a:xx:bpo-definition",
        "a:en:BPO",
        "v:en:bpo-definition:maybe",
        "p:en:-1",
        "l:fr",
        "a:en:bpo definition",
        "x" * 65,
        "a:en:" + "b" * 70,
        "a:en:bpo\n",
        "<b>",
    ],
)
def test_forged_callback_data_is_refused(forged: str) -> None:
    assert callbacks.parse(forged) is None


def test_overlong_callback_data_cannot_be_built() -> None:
    with pytest.raises(ValueError):
        callbacks.answer("en", "x" * 60)


def test_answers_are_escaped_valid_html_within_limits(faq) -> None:
    for topic_id, topic in faq.topics.items():
        for lang in LANGS:
            html_text = render.answer_text(faq, topic_id, lang)
            assert len(html_text) <= render.MAX_MESSAGE_CHARS
            parse_html(html_text)  # raises on what Telegram would refuse
            assert html_text.startswith(f"<b>{topic.texts[lang].title}")


def test_topic_pages_list_every_topic_once(faq) -> None:
    seen = []
    for number in range(render.page_count(faq)):
        _, markup = render.topics_page(faq, "id", number)
        seen += [
            b.callback_data
            for row in markup.inline_keyboard
            for b in row
            if b.callback_data.startswith("a:")
        ]
    assert seen == [callbacks.answer("id", topic_id) for topic_id in faq.topics]


def test_fit_cuts_long_text_to_the_limit() -> None:
    text = ("word " * 2000).strip()
    assert len(render.fit(text)) <= render.MAX_MESSAGE_CHARS
    assert render.fit("short") == "short"


def test_every_ui_string_exists_in_every_language_with_the_same_placeholders() -> None:
    names = keys("en")
    for lang in LANGS:
        assert keys(lang) == names, lang
        for key in names:
            ours = {f[1] for f in string.Formatter().parse(t(lang, key)) if f[1]}
            english = {f[1] for f in string.Formatter().parse(t("en", key)) if f[1]}
            assert ours == english, (lang, key)


PLACEHOLDERS = {"name": "<b>&", "state": "x", "page": 1, "pages": 2, "summary": "s", "id": 7}
PLACEHOLDERS |= {"topic": "<i>", "time": "09:00", "zone": "UTC+07:00", "score": 3, "answered": 4}


def test_ui_strings_are_valid_telegram_html_and_values_are_escaped() -> None:
    for lang in LANGS:
        for key in keys(lang):
            parse_html(t(lang, key, **PLACEHOLDERS))
    assert "&lt;b&gt;" in t("en", "start", name="<b>")


def test_command_menu_texts_fit_telegram_limits() -> None:
    for lang in LANGS:
        assert len(t(lang, "description")) <= 512
        assert len(t(lang, "short_description")) <= 120
        for key in keys(lang):
            if key.startswith("command_"):
                assert 1 <= len(t(lang, key)) <= 256


def test_snippets_are_one_short_line(faq) -> None:
    for topic_id in faq.topics:
        for lang in LANGS:
            line = render.snippet(faq, topic_id, lang)
            assert line and "\n" not in line and len(line) <= render.SNIPPET_CHARS
            assert not re.search(r"<[a-z/]", line)
