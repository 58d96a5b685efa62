"""The /topics button that lists a deep link per topic, for trainers."""

from __future__ import annotations

import re

from telegram import Message, Update

from bot import render
from bot.context import BotContext
from bot.delivery import deliver
from bot.share import LINKS_PATTERN, links_text


async def on_links(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None or query.data is None:
        return
    match = re.fullmatch(LINKS_PATTERN, query.data)
    message = query.message if isinstance(query.message, Message) else None
    await deliver("links", query.answer)
    if match is None or message is None:
        return
    text = render.fit(links_text(context.services.engine.faq, match[1], context.bot.username))
    await deliver("links", lambda: message.reply_text(text, do_quote=False))
