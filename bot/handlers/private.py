"""Commands and messages that work in any chat, and the private-chat conversation."""

from __future__ import annotations

from telegram import Update

from bot import render
from bot.context import BotContext
from bot.handlers.replies import answer
from bot.strings import t

START_TOPICS = 5
"""Common topics offered as buttons under the /start greeting."""


async def start(update: Update, context: BotContext) -> None:
    """/start, or /start <topic-id> from a t.me/<bot>?start=<topic-id> deep link."""
    svc, message = context.services, update.effective_message
    if message is None:
        return
    engine, lang = svc.engine, await svc.ui_lang(update.effective_user)
    faq = engine.faq
    topic_id = context.args[0].lower() if context.args else None
    if topic_id in faq.topics:
        await message.reply_text(
            render.answer_text(faq, topic_id, lang),
            reply_markup=render.answer_keyboard(faq, topic_id, lang),
        )
        return
    user = update.effective_user
    name = user.first_name if user else ""
    common = [topic_id for topic_id in faq.common if topic_id in faq.topics][:START_TOPICS]
    await message.reply_text(
        t(lang, "start", name=name), reply_markup=render.topics_keyboard(faq, common, lang)
    )


async def _say(update: Update, context: BotContext, key: str) -> None:
    """Reply with the UI string `key` in the user's language."""
    message = update.effective_message
    if message is None:
        return
    lang = await context.services.ui_lang(update.effective_user)
    await message.reply_text(t(lang, key))


async def help_command(update: Update, context: BotContext) -> None:
    await _say(update, context, "help")


async def topics(update: Update, context: BotContext) -> None:
    svc, message = context.services, update.effective_message
    if message is None:
        return
    lang = await svc.ui_lang(update.effective_user)
    header, markup = render.topics_page(svc.engine.faq, lang, 0)
    await message.reply_text(header, reply_markup=markup)


async def choose_language(update: Update, context: BotContext) -> None:
    svc, message = context.services, update.effective_message
    if message is None:
        return
    lang = await svc.ui_lang(update.effective_user)
    await message.reply_text(t(lang, "lang_prompt"), reply_markup=render.language_keyboard(lang))


async def question(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message and message.text:
        await answer(update, context, message.text)


async def not_text(update: Update, context: BotContext) -> None:
    """Stickers, photos, voice and the like: the bot reads text only."""
    message = update.effective_message
    if message is None:
        return
    if message.caption:  # a photo with a question as caption is still a question
        await answer(update, context, message.caption)
        return
    await _say(update, context, "non_text")


async def unknown_command(update: Update, context: BotContext) -> None:
    await _say(update, context, "unknown_command")
