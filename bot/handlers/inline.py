"""Inline mode: "@bot words" in any chat lists matching answers; choosing one sends it."""

from __future__ import annotations

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update

from bot import render
from bot.context import BotContext
from bot.share import shared_topic
from faq.engine import Engine

MAX_RESULTS = 10
CACHE_SECONDS = 60


def matching_topics(engine: Engine, query: str) -> list[str]:
    """Topics for the query, best first; the common topics for an empty one. A topic's
    title or id (what the share button types) puts that topic first."""
    faq = engine.faq
    if not query.strip():
        return [topic_id for topic_id in faq.common if topic_id in faq.topics][:MAX_RESULTS]
    floor = engine.config.inline_min_score
    ranked = [s.topic_id for s in engine.rank(query) if s.score >= floor]
    shared = shared_topic(faq, query)
    if shared is not None:
        ranked = [shared[0], *(topic_id for topic_id in ranked if topic_id != shared[0])]
    return ranked[:MAX_RESULTS]


async def on_inline_query(update: Update, context: BotContext) -> None:
    query = update.inline_query
    if query is None:
        return
    svc = context.services
    engine = svc.engine
    hint = await svc.saved_lang(query.from_user) or svc.telegram_lang(query.from_user)
    faq = engine.faq
    shared = shared_topic(faq, query.query)
    if shared is not None and shared[1]:
        # A shared title is in the language of the answer it came from.
        lang = hint if hint in shared[1] else shared[1][0]
    elif query.query.strip():
        lang = engine.language(query.query, hint)
    else:
        lang = await svc.ui_lang(query.from_user)
    results = [
        InlineQueryResultArticle(
            id=f"{topic_id}:{lang}",
            title=faq.topics[topic_id].texts[lang].title,
            description=render.snippet(faq, topic_id, lang),
            input_message_content=InputTextMessageContent(render.answer_text(faq, topic_id, lang)),
        )
        for topic_id in matching_topics(engine, query.query)
    ]
    await query.answer(results, cache_time=CACHE_SECONDS, is_personal=True)
