"""The python-telegram-bot Application: defaults, rate limiter and every handler."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, TypeAlias

from telegram import LinkPreviewOptions, Message, Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    JobQueue,
    MessageHandler,
    PollAnswerHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import callbacks
from bot.context import CONTEXT_TYPES, BotApplication, BotContext
from bot.errors import on_error
from bot.handlers import admin, buttons, group, inline, learn, private, quiz, share
from bot.services import KEY, Services
from bot.settings import Settings
from bot.share import LINKS_PATTERN
from bot.storage import Database
from bot.wiring import Plumbing
from faq.engine import Engine

log = logging.getLogger(__name__)
Builder: TypeAlias = ApplicationBuilder[Any, Any, Any, Any, Any, Any]

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY, Update.POLL_ANSWER]
AFTER_GROUP = 1
"""Handlers that act on updates the main group has already answered."""


class _FromPerson(filters.MessageFilter):
    """Messages people wrote: not other bots, not inline results sent via a bot. Anonymous
    group admins post as the group through a bot account, and count as people."""

    def filter(self, message: Message) -> bool:
        sender = message.from_user
        if message.via_bot is not None:
            return False
        if message.sender_chat is not None and message.sender_chat.id == message.chat.id:
            return True
        return sender is not None and not sender.is_bot


FRESH = filters.UpdateType.MESSAGE & _FromPerson()
"""New messages from people: edits and channel posts are left alone."""
PRIVATE = filters.ChatType.PRIVATE
GROUPS = filters.ChatType.GROUPS


ADMIN_COMMANDS = ("stats", "reload", "learn")


def add_handlers(application: BotApplication, admin_ids: frozenset[int]) -> None:
    commands = {
        "start": private.start,
        "help": private.help_command,
        "topics": private.topics,
        "lang": private.choose_language,
        "ask": group.ask,
        "autoanswer": group.autoanswer,
        "quiz": quiz.quiz_command,
    }
    for name, callback in commands.items():
        application.add_handler(CommandHandler(name, callback, filters=FRESH))
    # Everyone not in ADMIN_IDS gets no output: not even "unknown command".
    admins = filters.User(user_id=admin_ids)
    # /stats lists users' unanswered questions: in a private chat only, even for an admin.
    application.add_handler(CommandHandler("stats", admin.stats, filters=FRESH & admins & PRIVATE))
    application.add_handler(CommandHandler("reload", admin.reload_faq, filters=FRESH & admins))
    application.add_handler(CommandHandler("learn", learn.learn_command, filters=FRESH & admins))
    unknown = filters.COMMAND & ~filters.Regex(rf"^/({'|'.join(ADMIN_COMMANDS)})(@\w+)?(\s|$)")
    text = filters.TEXT & ~filters.COMMAND
    button = callbacks.PATTERNS
    application.add_handlers(
        [
            MessageHandler(FRESH & PRIVATE & text, private.question),
            MessageHandler(FRESH & PRIVATE & unknown, private.unknown_command),
            MessageHandler(FRESH & PRIVATE & ~filters.TEXT, private.not_text),
            MessageHandler(FRESH & GROUPS & text, group.message),
            CallbackQueryHandler(buttons.open_topic, pattern=button["answer"]),
            CallbackQueryHandler(buttons.vote, pattern=button["vote"]),
            CallbackQueryHandler(buttons.page, pattern=button["page"]),
            CallbackQueryHandler(buttons.choose_language, pattern=button["lang"]),
            CallbackQueryHandler(share.on_links, pattern=LINKS_PATTERN),
            CallbackQueryHandler(learn.on_review, pattern=learn.REVIEW),
            CallbackQueryHandler(buttons.refuse),
            InlineQueryHandler(inline.on_inline_query),
            PollAnswerHandler(quiz.on_poll_answer),
        ]
    )
    # A second group: these see the same updates after the handlers above: the learning loop
    # watches taps the buttons answer, and the quiz is read again after the FAQ's /reload.
    application.add_handlers(
        [
            CallbackQueryHandler(learn.on_topic_tap, pattern=learn.TOPIC_TAP),
            CallbackQueryHandler(learn.on_downvote, pattern=learn.DOWNVOTE),
            CommandHandler("reload", quiz.reload_quiz, filters=FRESH & admins),
        ],
        group=AFTER_GROUP,
    )
    application.add_error_handler(on_error)


def build_application(
    settings: Settings,
    engine: Engine,
    storage: Database,
    plumbing: Plumbing | OfflinePlumbing,
) -> BotApplication:
    """The bot, ready to run; `plumbing` handles and delivers its updates (bot.wiring), or
    answers from memory in tests (`OfflinePlumbing`)."""
    jobs: JobQueue[BotContext] = JobQueue()  # the daily quiz; typed with our context
    builder = (
        ApplicationBuilder()
        .context_types(CONTEXT_TYPES)
        .job_queue(jobs)
        .token(settings.token.get_secret_value())
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .rate_limiter(AIORateLimiter(max_retries=0))  # 429s: retried in bot.request
    )
    builder = plumbing.configure(builder, settings)
    if settings.api_base_url:
        builder = builder.base_url(settings.api_base_url)
    application = builder.build()
    application.bot_data[KEY] = Services.create(engine, storage, settings)
    add_handlers(application, settings.admin_ids)
    return application


@dataclass
class OfflinePlumbing:
    """No network: `request` (tests pass an offline one) answers every Bot API call."""

    request: BaseRequest

    def configure(self, builder: Builder, settings: Settings) -> Builder:
        return builder.updater(None).request(self.request)
