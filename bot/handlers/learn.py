"""The learning loop in Telegram: taps that tell which topic a question meant, and /learn.

A question's reply is remembered with the question. When the asker then taps one of the
"did you mean" topics, or votes 👎 on an answer and picks another topic from the ones
offered, the question becomes a candidate phrasing of that topic. Admins review candidates
with /learn in a private chat; accepting one writes it into the FAQ file, /reload serves it.
"""

from __future__ import annotations

import asyncio
import html
import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot import callbacks, render
from bot.context import BotContext
from bot.delivery import deliver
from bot.learning import LearnError, add_phrasings
from bot.learnstore import Candidate, Kind, LearnStore
from bot.sidedb import off_loop
from bot.strings import t

STORE_KEY = "learn_store"
MAX_LISTED = 8
"""Candidates one /learn message lists, with their buttons."""
MAX_ALTERNATIVES = 3
TOPIC_TAP = r"^a:"
DOWNVOTE = r"^v:.*:down$"
REVIEW_PREFIX = "learn:"
REVIEW = rf"^{REVIEW_PREFIX}(accept|reject):(\d{{1,12}})$"


def store(context: BotContext) -> LearnStore:
    found = context.application.bot_data.get(STORE_KEY)
    if not isinstance(found, LearnStore):
        found = LearnStore(context.services.settings.database_path)
        context.application.bot_data[STORE_KEY] = found
    return found


async def remember_reply(
    context: BotContext,
    sent: Message,
    user_id: int,
    kind: Kind,
    topic_id: str | None,
    lang: str,
    question: str,
) -> None:
    """Keep the question behind a bot reply, for a tap on that reply to refer to."""
    learn = store(context)
    chat_id, message_id = sent.chat_id, sent.message_id
    await off_loop(
        "remember a question",
        None,
        lambda: learn.remember(chat_id, message_id, user_id, kind, topic_id, lang, question),
    )


def _tapped(update: Update) -> tuple[Message, callbacks.Callback, int] | None:
    query = update.callback_query
    if query is None or not isinstance(query.message, Message):
        return None
    pressed = callbacks.parse(query.data)
    if pressed is None or pressed.topic_id is None:
        return None
    return query.message, pressed, query.from_user.id


async def on_topic_tap(update: Update, context: BotContext) -> None:
    """A topic button: on a "did you mean" reply, tapped by the asker, it is a candidate."""
    tapped = _tapped(update)
    if tapped is None:
        return
    message, pressed, user_id = tapped
    topic_id = pressed.topic_id
    learn = store(context)
    pending = await off_loop(
        "read a question", None, lambda: learn.pending(message.chat_id, message.message_id)
    )
    if (
        pending is None
        or pending.kind != "suggest"
        or pending.user_id != user_id
        or topic_id is None
        or topic_id not in context.services.engine.faq.topics
    ):
        return
    await off_loop(
        "save a candidate phrasing",
        None,
        lambda: learn.add_candidate(pending.question, topic_id, pending.lang),
    )


async def on_downvote(update: Update, context: BotContext) -> None:
    """👎 on an answer, by the asker: offer the next best topics for the same question."""
    tapped = _tapped(update)
    if tapped is None:
        return
    message, pressed, user_id = tapped
    learn = store(context)
    pending = await off_loop(
        "read a question", None, lambda: learn.pending(message.chat_id, message.message_id)
    )
    if pending is None or pending.kind != "answer" or pending.user_id != user_id:
        return
    engine = context.services.engine
    others = [s.topic_id for s in engine.rank(pending.question) if s.topic_id != pressed.topic_id]
    others = [topic_id for topic_id in others if topic_id in engine.faq.topics][:MAX_ALTERNATIVES]
    if not others:
        return
    lang = pending.lang
    sent = await deliver(
        "other topics",
        lambda: message.reply_text(
            t(lang, "learn_which_topic"),
            reply_markup=render.topics_keyboard(engine.faq, others, lang),
            do_quote=False,
        ),
    )
    if sent is not None:
        await remember_reply(context, sent, user_id, "suggest", None, lang, pending.question)


def _review_markup(candidates: list[Candidate], lang: str) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                t(lang, "learn_button_accept", id=c.id),
                callback_data=f"{REVIEW_PREFIX}accept:{c.id}",
            ),
            InlineKeyboardButton(
                t(lang, "learn_button_reject", id=c.id),
                callback_data=f"{REVIEW_PREFIX}reject:{c.id}",
            ),
        ]
        for c in candidates
    ]
    return InlineKeyboardMarkup(rows)


def _review_text(candidates: list[Candidate], lang: str) -> str:
    lines = [t(lang, "learn_header")]
    for c in candidates:
        question = html.escape(c.question, quote=False)
        lines.append(f"<b>#{c.id}</b> {c.topic_id} [{c.lang}] ×{c.times}: <i>{question}</i>")
    return "\n".join(lines)


async def learn_command(update: Update, context: BotContext) -> None:
    """/learn, for admins in a private chat: the most frequent candidates to accept or reject.

    Candidates quote users' questions, so they are never shown in a group. bot/app.py
    registers it behind `filters.User(ADMIN_IDS)`."""
    svc, message, chat = context.services, update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    lang = await svc.ui_lang(update.effective_user)
    if chat.type != chat.PRIVATE:
        await deliver("learn", lambda: message.reply_text(t(lang, "learn_private_only")))
        return
    learn = store(context)
    found = await off_loop("read candidates", None, learn.candidates)
    if found is None:
        await deliver("learn", lambda: message.reply_text(t(lang, "stats_unavailable")))
        return
    listed = sorted(found, key=lambda c: (-c.times, c.id))[:MAX_LISTED]
    if not listed:
        await deliver("learn", lambda: message.reply_text(t(lang, "learn_none")))
        return
    await deliver(
        "learn",
        lambda: message.reply_text(
            _review_text(listed, lang), reply_markup=_review_markup(listed, lang)
        ),
    )


async def on_review(update: Update, context: BotContext) -> None:
    """✅ writes the candidate into the FAQ file (validated first); ❌ sets it aside."""
    query, svc = update.callback_query, context.services
    if query is None or query.data is None or query.from_user.id not in svc.settings.admin_ids:
        return
    match = re.fullmatch(REVIEW, query.data)
    message = query.message if isinstance(query.message, Message) else None
    lang = await svc.ui_lang(query.from_user)
    if match is None or message is None:
        return
    verdict, candidate_id = match[1], int(match[2])
    learn = store(context)
    found: list[Candidate] = await off_loop(
        "read a candidate", [], lambda: learn.candidates(ids=[candidate_id])
    )
    if not found or found[0].status != "new":
        await deliver("learn", lambda: query.answer(t(lang, "stale_button")))
        return
    candidate = found[0]
    if verdict == "reject":
        await off_loop("reject", None, lambda: learn.set_status([candidate_id], "rejected"))
        text = t(lang, "learn_rejected", id=candidate_id)
    else:
        try:
            await asyncio.to_thread(add_phrasings, svc.settings.faq_path, [candidate])
        except (LearnError, OSError) as error:
            text = render.fit(
                t(lang, "learn_failed", id=candidate_id)
                + f"\n<pre>{html.escape(str(error), quote=False)}</pre>"
            )
        else:
            await off_loop("accept", None, lambda: learn.set_status([candidate_id], "accepted"))
            text = t(lang, "learn_accepted", id=candidate_id, topic=candidate.topic_id)
    await deliver("learn", query.answer)
    await deliver("learn", lambda: message.reply_text(text, do_quote=False))
    await deliver(
        "learn",
        lambda: query.edit_message_reply_markup(_without_candidate(message, candidate_id)),
    )


def _without_candidate(message: Message, candidate_id: int) -> InlineKeyboardMarkup:
    markup = message.reply_markup
    rows = [
        row
        for row in (markup.inline_keyboard if markup else ())
        if not any(
            (button.callback_data or "") == f"{REVIEW_PREFIX}accept:{candidate_id}"
            for button in row
        )
    ]
    return InlineKeyboardMarkup(rows)
