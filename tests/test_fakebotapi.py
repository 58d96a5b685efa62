"""Tests of the fake Telegram Bot API server, driven by the real python-telegram-bot client."""

from __future__ import annotations

import asyncio
import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
from fakebotapi import EntityParseError, FakeBotApi, parse_html
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest, InvalidToken, NetworkError, RetryAfter
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as server:
        yield server


def with_bot(api: FakeBotApi, action: Callable[[Bot], Awaitable[Any]]) -> Any:
    """Run ``action(bot)`` with an initialised PTB Bot pointed at the fake server."""

    async def main() -> Any:
        async with Bot(api.token, base_url=api.base_url) as bot:
            return await action(bot)

    return asyncio.run(main())


def raw_post(api: FakeBotApi, path: str, body: bytes, content_type: str) -> tuple[int, dict]:
    request = urllib.request.Request(
        api.url + path, data=body, headers={"Content-Type": content_type}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def keyboard(*callback_data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d, callback_data=d)] for d in callback_data])


# -- HTML checker (unit) -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "plain"),
    [
        ("<b>bold <i>italic <u>under</u></i></b>", "bold italic under"),
        (
            "<strong>a</strong><em>b</em><ins>c</ins><s>d</s><strike>e</strike><del>f</del>",
            "abcdef",
        ),
        ('<span class="tg-spoiler">x</span> <tg-spoiler>y</tg-spoiler>', "x y"),
        ('<a href="https://example.com/?a=1&amp;b=2">link</a>', "link"),
        ('<pre><code class="language-python">print(1)</code></pre>', "print(1)"),
        ("<blockquote expandable>q</blockquote><blockquote>r</blockquote>", "qr"),
        ("&lt;tag&gt; &amp; &quot;q&quot; &#65;&#x42;", '<tag> & "q" AB'),
        ("a > b", "a > b"),
        ("<B>case</B>", "case"),
    ],
)
def test_html_accepts_supported_markup(html: str, plain: str) -> None:
    assert parse_html(html)[0] == plain


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("<p>para</p>", 'Unsupported start tag "p" at byte offset 0'),
        ("<br/>", 'Unsupported start tag "br/"'),
        ("<b>never closed", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("<i><b>x</i></b>", "Unmatched end tag"),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("Q&A", 'Character "&" at byte offset 1'),
        ("a &nbsp; b", 'Character "&" at byte offset 2'),
        ('<span class="x">s</span>', 'Tag "span" must have class "tg-spoiler"'),
        ("<b", "Unclosed start tag"),
    ],
)
def test_html_rejects_what_telegram_rejects(html: str, error: str) -> None:
    with pytest.raises(EntityParseError, match=re.escape(error)):
        parse_html(html)


def test_html_entities_use_utf16_offsets() -> None:
    text, entities = parse_html("😀 <b>hi</b>")
    assert text == "😀 hi"
    assert entities == [{"type": "bold", "offset": 3, "length": 2}]


# -- Bot API through PTB ---------------------------------------------------------------------


def test_get_me(api: FakeBotApi) -> None:
    me = with_bot(api, lambda bot: bot.get_me())
    assert me.username == "faq_test_bot"
    assert me.is_bot
    assert me.id == api.bot_user["id"]
    assert me.can_read_all_group_messages is False


def test_send_message_roundtrip_with_inline_keyboard(api: FakeBotApi) -> None:
    ani = api.user("Ani", language_code="id")
    chat = api.private_chat(ani)

    async def scenario(bot: Bot) -> None:
        sent = await bot.send_message(
            chat["id"],
            "<b>Apa itu BPO?</b>\nJawaban &amp; contoh",
            parse_mode="HTML",
            reply_markup=keyboard("topic:bpo-definition", "more"),
        )
        assert sent.from_user.id == bot.id
        assert sent.chat.id == chat["id"]
        assert sent.text == "Apa itu BPO?\nJawaban & contoh"
        assert sent.entities[0].type == "bold"
        assert sent.reply_markup.inline_keyboard[0][0].callback_data == "topic:bpo-definition"

    with_bot(api, scenario)
    (first,) = api.sent_messages(chat)
    assert first.raw_text.startswith("<b>")
    assert first.callback_data == ["topic:bpo-definition", "more"]
    assert api.rejections == []


def test_reply_parameters_are_echoed(api: FakeBotApi) -> None:
    budi = api.user("Budi", language_code="ms")
    group = api.group("Call centre")
    update = api.send_message(group, budi, "/help@faq_test_bot")
    question = update["message"]

    async def scenario(bot: Bot) -> None:
        reply = await bot.send_message(
            group["id"], "Jawapan", reply_to_message_id=question["message_id"]
        )
        assert reply.reply_to_message.text == "/help@faq_test_bot"
        with pytest.raises(BadRequest, match=r"(?i)message to be replied not found"):
            await bot.send_message(group["id"], "Jawapan", reply_to_message_id=9999)

    with_bot(api, scenario)
    assert question["entities"] == [{"type": "bot_command", "offset": 0, "length": 18}]


def test_bad_html_is_rejected_and_recorded(api: FakeBotApi) -> None:
    chat = api.private_chat(api.user())

    async def scenario(bot: Bot) -> None:
        with pytest.raises(BadRequest, match=r"(?i)can't parse entities: Unsupported start tag"):
            await bot.send_message(chat["id"], "Gaji < 5 juta?", parse_mode="HTML")
        with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
            await bot.send_message(chat["id"], "Q&A", parse_mode="HTML")
        await bot.send_message(chat["id"], "Q&A < plain text is fine")

    with_bot(api, scenario)
    assert [method for method, _ in api.rejections] == ["sendMessage", "sendMessage"]
    assert api.sent_messages(chat)[0].text == "Q&A < plain text is fine"


def test_text_length_limit_counts_characters_after_parsing(api: FakeBotApi) -> None:
    chat = api.private_chat(api.user())

    async def scenario(bot: Bot) -> None:
        await bot.send_message(chat["id"], "é" * 4096)
        await bot.send_message(chat["id"], "<b>" + "&amp;" * 4096 + "</b>", parse_mode="HTML")
        with pytest.raises(BadRequest, match=r"(?i)Message is too long"):
            await bot.send_message(chat["id"], "a" * 4097)
        with pytest.raises(BadRequest, match=r"(?i)Message text is empty"):
            await bot.send_message(chat["id"], "<b> </b>", parse_mode="HTML")

    with_bot(api, scenario)
    assert len(api.sent_messages(chat)) == 2
    assert len(api.rejections) == 2


def test_callback_data_limit_and_button_actions(api: FakeBotApi) -> None:
    chat = api.private_chat(api.user())

    async def scenario(bot: Bot) -> None:
        await bot.send_message(chat["id"], "ok", reply_markup=keyboard("x" * 64))
        with pytest.raises(BadRequest, match=r"(?i)Button_data_invalid"):
            await bot.send_message(chat["id"], "too long", reply_markup=keyboard("x" * 65))
        with pytest.raises(BadRequest, match=r"(?i)Button_data_invalid"):
            await bot.send_message(chat["id"], "multibyte", reply_markup=keyboard("é" * 33))
        no_action = InlineKeyboardMarkup([[InlineKeyboardButton("bare")]])
        with pytest.raises(BadRequest, match=r"(?i)Text buttons are unallowed"):
            await bot.send_message(chat["id"], "no action", reply_markup=no_action)

    with_bot(api, scenario)
    assert len(api.rejections) == 3


def test_long_poll_returns_update_queued_while_waiting(api: FakeBotApi) -> None:
    user = api.user()
    chat = api.private_chat(user)

    async def scenario(bot: Bot) -> float:
        poll = asyncio.create_task(bot.get_updates(timeout=5))
        await asyncio.sleep(0.2)
        started = time.monotonic()
        api.send_message(chat, user, "halo")
        updates = await poll
        assert [u.message.text for u in updates] == ["halo"]
        return time.monotonic() - started

    assert with_bot(api, scenario) < 1.0


def test_long_poll_times_out_empty(api: FakeBotApi) -> None:
    started = time.monotonic()
    assert with_bot(api, lambda bot: bot.get_updates(timeout=1)) == ()
    assert 0.9 < time.monotonic() - started < 3


def test_updates_stay_until_confirmed_by_offset(api: FakeBotApi) -> None:
    user = api.user()
    chat = api.private_chat(user)
    first = api.send_message(chat, user, "one")
    second = api.send_message(chat, user, "two")
    assert second["update_id"] == first["update_id"] + 1
    assert second["message"]["message_id"] == first["message"]["message_id"] + 1

    async def scenario(bot: Bot) -> None:
        assert len(await bot.get_updates()) == 2
        assert len(await bot.get_updates()) == 2  # delivered but not confirmed: sent again
        (only,) = await bot.get_updates(offset=first["update_id"] + 1)
        assert only.update_id == second["update_id"]
        assert len(await bot.get_updates(limit=1)) == 1
        assert await bot.get_updates(offset=second["update_id"] + 1) == ()

    with_bot(api, scenario)
    assert api.pending_updates == []


# PTB itself warns while building RetryAfter unless PTB_TIMEDELTA is set.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
def test_rate_limit_fault_is_retry_after(api: FakeBotApi) -> None:
    chat = api.private_chat(api.user())
    api.fail("sendMessage", 429, retry_after=3)

    async def scenario(bot: Bot) -> None:
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(chat["id"], "first")
        assert "Retry in 3 seconds" in str(caught.value)
        await bot.send_message(chat["id"], "second")  # the fault was for one call only

    with_bot(api, scenario)
    assert [m.text for m in api.sent_messages(chat)] == ["second"]
    assert [c.method for c in api.calls].count("sendMessage") == 2
    assert api.rejections == []


def test_network_faults(api: FakeBotApi) -> None:
    async def scenario(bot: Bot) -> None:
        api.reset("getMe")
        with pytest.raises(NetworkError):
            await bot.get_me()
        api.fail("getWebhookInfo", 502)
        with pytest.raises(NetworkError, match=r"(?i)Bad Gateway"):
            await bot.get_webhook_info()
        api.stop_listening()
        with pytest.raises(NetworkError):
            await bot.get_me()
        api.start_listening()
        assert (await bot.get_me()).username == "faq_test_bot"

    with_bot(api, scenario)


def test_errors_for_token_method_and_chat(api: FakeBotApi) -> None:
    async def scenario(bot: Bot) -> None:
        with pytest.raises(BadRequest, match=r"(?i)Chat not found"):
            await bot.send_message(424242, "hi")

    with_bot(api, scenario)
    with pytest.raises(InvalidToken):
        asyncio.run(Bot("1:wrong", base_url=api.base_url).get_me())
    status, body = raw_post(api, f"/bot{api.token}/sendTelepathy", b"", "application/json")
    assert (status, body["description"]) == (404, "Not Found: method not found")
    assert [r.description for r in api.rejections] == [
        "Bad Request: chat not found",
        "Unauthorized",
        "Not Found: method not found",
    ]


def test_json_and_form_bodies_decode_alike(api: FakeBotApi) -> None:
    chat = api.private_chat(api.user())
    markup = {"inline_keyboard": [[{"text": "a", "callback_data": "a"}]]}
    path = f"/bot{api.token}/sendMessage"
    as_json = json.dumps({"chat_id": chat["id"], "text": "123", "reply_markup": markup})
    status, body = raw_post(api, path, as_json.encode(), "application/json")
    assert status == 200 and body["result"]["text"] == "123"
    form = f"chat_id={chat['id']}&text=456&reply_markup={json.dumps(markup)}"
    status, body = raw_post(api, path, form.encode(), "application/x-www-form-urlencoded")
    assert status == 200 and body["result"]["reply_markup"] == markup
    assert [c.params["chat_id"] for c in api.calls] == [chat["id"], chat["id"]]


def test_commands_and_descriptions(api: FakeBotApi) -> None:
    group = api.group("Trainees")

    async def scenario(bot: Bot) -> None:
        await bot.set_my_commands([BotCommand("start", "Mulai")], language_code="id")
        await bot.set_my_commands(
            [BotCommand("reset", "Reset")], scope=BotCommandScopeChat(group["id"])
        )
        with pytest.raises(BadRequest, match=r"(?i)Bot_command_invalid"):
            await bot.set_my_commands([BotCommand("Start", "x")])
        await bot.set_my_description("Tanya jawab BPO", language_code="id")
        await bot.set_my_short_description("FAQ BPO", language_code="ms")

    with_bot(api, scenario)
    assert len(api.rejections) == 1


def test_privacy_mode_filters_group_chatter(api: FakeBotApi) -> None:
    user = api.user()
    group = api.group()
    chatter = api.send_message(group, user, "anyone here?")
    command = api.send_message(group, user, "/start")
    other_bot = api.send_message(group, user, "/start@other_bot")
    mention = api.send_message(group, user, "hey @faq_test_bot what is BPO?")
    assert [u["update_id"] for u in api.filtered_updates] == [
        chatter["update_id"],
        other_bot["update_id"],
    ]
    assert [u["update_id"] for u in api.pending_updates] == [
        command["update_id"],
        mention["update_id"],
    ]


def test_application_polling_end_to_end(api: FakeBotApi) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.message.reply_text("Halo!", reply_markup=keyboard("more"))

    user = api.user("Sari", language_code="id")
    chat = api.private_chat(user)

    async def main() -> None:
        app = ApplicationBuilder().token(api.token).base_url(api.base_url).build()
        app.add_handler(CommandHandler("start", start))
        async with app:
            await app.start()
            await app.updater.start_polling(timeout=5)
            update = api.send_message(chat, user, "/start")
            reply = await api.wait_for_reply_async(update, timeout=5)
            assert reply.text == "Halo!" and reply.callback_data == ["more"]
            await app.updater.stop()
            await app.stop()

    asyncio.run(main())
    assert api.pending_updates == []  # PTB confirmed everything on shutdown
    assert api.rejections == [] and api.conflicts == []
    assert api.calls[0].method == "getMe"
