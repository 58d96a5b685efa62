"""Answering a question: small talk, the FAQ's answer, suggestions or "I don't know"."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from telegram import InlineKeyboardMarkup, Message, Update

from bot import render
from bot.context import BotContext
from bot.handlers.learn import remember_reply
from bot.handling import CURRENT
from bot.learnstore import Kind
from bot.services import Services
from bot.storage import Question
from bot.strings import smalltalk, t
from faq.engine import SMALLTALK, Engine, Reply


@dataclass(frozen=True)
class Outgoing:
    text: str
    markup: InlineKeyboardMarkup | None
    lang: str
    outcome: str
    """What is logged: "answer", "suggest", "none" or the small-talk kind ("greeting"...)."""
    reply: Reply | None = None


def compose(engine: Engine, reply: Reply) -> Outgoing:
    faq, lang = engine.faq, reply.lang
    if reply.status == "answer" and reply.topic_id:
        return Outgoing(
            render.answer_text(faq, reply.topic_id, lang),
            render.answer_keyboard(faq, reply.topic_id, lang),
            lang,
            "answer",
            reply,
        )
    if reply.status == "suggest":
        markup = render.topics_keyboard(faq, reply.suggestions, lang)
        return Outgoing(t(lang, "did_you_mean"), markup, lang, "suggest", reply)
    return Outgoing(t(lang, "dont_know"), None, lang, "none", reply)


async def decide(
    svc: Services, engine: Engine, update: Update, text: str, *, private: bool
) -> Outgoing:
    """What to say to `text`. In private chats a /lang choice fixes the language; otherwise
    the message's own language wins, then the user's last message that showed one, then the
    user's Telegram language."""
    user, chat = update.effective_user, update.effective_chat
    chosen = await svc.saved_lang(user) if private else None
    hint = chosen or svc.telegram_lang(user)
    key = (chat.id if chat else None, user.id if user else None)
    reply = engine.ask(text, lang_hint=hint, conversation=svc.conversations.get(key))
    if chosen and chosen != reply.lang:
        reply = replace(reply, lang=chosen)
    if reply.status == SMALLTALK:
        return Outgoing(smalltalk(reply.lang, reply.kind), None, reply.lang, reply.kind)
    return compose(engine, reply)


async def allowed(svc: Services, update: Update, lang: str) -> bool:
    """Throttle per user, then (in groups) per chat; the first refusal gets one short notice.

    A refused user's messages do not use up the chat's quota, so one flooding user cannot
    silence a group for everyone else."""
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    sent_at = message.date if message else None  # counted at arrival, not when handled
    verdict = await svc.user_throttle.check(user.id, sent_at) if user else None
    if (verdict is None or verdict.allowed) and chat and chat.type != chat.PRIVATE:
        verdict = await svc.chat_throttle.check(chat.id, sent_at)
    if verdict is None or verdict.allowed:
        return True
    if message and verdict.notify:
        await message.reply_text(t(lang, "throttled"))
    return False


async def answer(
    update: Update,
    context: BotContext,
    text: str,
    *,
    quiet: bool = False,
) -> None:
    """Reply to `text` in the chat of `update`. `quiet` (group auto-answer): only confident
    answers are sent; anything else is silence and is not logged."""
    svc = context.services
    engine = svc.engine
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    private = chat.type == chat.PRIVATE
    outgoing = await decide(svc, engine, update, text, private=private)
    if quiet and outgoing.outcome != "answer":
        return
    if not await allowed(svc, update, outgoing.lang):
        return
    # Logged before sending: every answer the user may have received has its record, even
    # when the process dies or the send times out right after.
    await log_question(svc, chat.type, text, outgoing)
    sent = await send(message, outgoing, quote=not private)
    reply, user = outgoing.reply, update.effective_user
    if (
        sent is not None
        and reply is not None
        and user is not None
        and outgoing.outcome
        in (
            "answer",
            "suggest",
        )
    ):
        kind: Kind = "answer" if outgoing.outcome == "answer" else "suggest"
        await remember_reply(context, sent, user.id, kind, reply.topic_id, outgoing.lang, text)


async def send(message: Message, outgoing: Outgoing, *, quote: bool) -> Message | None:
    return await message.reply_text(outgoing.text, reply_markup=outgoing.markup, do_quote=quote)


async def log_question(svc: Services, chat_type: str, text: str, outgoing: Outgoing) -> None:
    """With an update being handled (bot.processor), the question is logged when the update is
    marked done in the inbox, in the same transaction; else at once."""
    reply = outgoing.reply
    question = Question(
        chat_type=chat_type,
        lang=outgoing.lang,
        outcome=outgoing.outcome,
        topic_id=reply.topic_id if reply else None,
        score=reply.score if reply else 0.0,
        text=text,
    )
    handling = CURRENT.get()
    if handling is not None:
        handling.questions.append(question)
        return
    await svc.storage.write(
        f"a {chat_type} question ({question.lang}, {question.outcome}, {question.topic_id or '-'})",
        lambda storage: storage.log_question(**asdict(question)),
    )
