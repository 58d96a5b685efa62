"""/stats and /reload, for the user ids in ADMIN_IDS.

bot/app.py registers them behind `filters.User(ADMIN_IDS)`: everyone else gets no output at all."""

from __future__ import annotations

import asyncio
import html
import logging

from telegram import Update
from telegram.constants import MessageLimit

from bot.context import BotContext
from bot.limits import load_engine
from bot.report import render_report
from bot.strings import t
from faq.loader import FaqError, summary

log = logging.getLogger(__name__)


def _preformatted(text: str, heading: str = "") -> str:
    """`text` in a <pre> block, cut so that the whole message fits Telegram's limit."""
    room = MessageLimit.MAX_TEXT_LENGTH - len(heading) - len("\n<pre></pre>") - 1
    body = html.escape(text, quote=False)
    if len(body) > room:
        body = body[: body.rfind("\n", 0, room - 1)] + "\n…"
    return f"{heading}\n<pre>{body}</pre>" if heading else f"<pre>{body}</pre>"


async def stats(update: Update, context: BotContext) -> None:
    svc, message = context.services, update.effective_message
    if message is None:
        return
    lang = await svc.ui_lang(update.effective_user)
    figures = await svc.storage.read(lambda storage: storage.stats(), None)
    text = _preformatted(render_report(figures)) if figures else t(lang, "stats_unavailable")
    await message.reply_text(text)


async def reload_faq(update: Update, context: BotContext) -> None:
    """Build a whole new engine off the event loop, then swap it in with one assignment."""
    svc, message = context.services, update.effective_message
    if message is None:
        return
    lang = await svc.ui_lang(update.effective_user)
    path, fallback = svc.settings.faq_path, svc.engine.fallback_lang
    try:
        engine = await asyncio.to_thread(load_engine, path, fallback)
    except FaqError as error:
        log.warning("reload refused, still serving the old FAQ:\n%s", error)
        text = _preformatted(str(error), t(lang, "reload_failed"))
    else:
        svc.engine = engine
        log.info("FAQ reloaded from %s: %s", path, summary(engine.faq))
        text = t(lang, "reload_ok", summary=summary(engine.faq))
    await message.reply_text(text)
