"""Inline-button taps: open a topic, vote, page the topic list, choose a language.

Anyone in a group may tap. Callback data can be forged or stale (a topic removed by a
reload), so it is parsed strictly and checked against the FAQ being served.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot import callbacks, render
from bot.services import services
from bot.strings import t


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is None:
        return
    svc = services(context)
    faq = svc.engine.faq
    pressed = callbacks.parse(query.data)
    message = query.message if query.message and query.message.is_accessible else None
    ui_lang = pressed.lang if pressed else svc.ui_lang(query.from_user)
    stale = (
        pressed is None
        or message is None
        or (pressed.topic_id is not None and pressed.topic_id not in faq.topics)
    )
    if stale:
        await query.answer(t(ui_lang, "stale_button"))
        return
    lang = pressed.lang
    if pressed.kind == "answer":
        topic_id = pressed.topic_id
        await query.answer()
        await message.reply_text(
            render.answer_text(faq, topic_id, lang),
            reply_markup=render.answer_keyboard(faq, topic_id, lang),
            do_quote=False,
        )
    elif pressed.kind == "vote":
        saved = svc.storage.record_feedback(query.from_user.id, pressed.topic_id, pressed.vote)
        await query.answer(t(lang, "feedback_thanks" if saved else "saved_nowhere"))
        if saved and message.chat.type == message.chat.PRIVATE:
            await query.edit_message_reply_markup(render.without_feedback(message.reply_markup))
    elif pressed.kind == "page":
        header, markup = render.topics_page(faq, lang, pressed.page)
        await query.answer()
        await query.edit_message_text(header, reply_markup=markup)
    elif pressed.kind == "lang":
        choice = None if pressed.lang == callbacks.AUTO else pressed.lang
        saved = svc.storage.set_user_lang(query.from_user.id, choice)
        shown = choice or svc.telegram_lang(query.from_user) or svc.settings.default_language
        key = ("lang_set" if choice else "lang_set_auto") if saved else "saved_nowhere"
        await query.answer()
        await query.edit_message_text(t(shown, key))
