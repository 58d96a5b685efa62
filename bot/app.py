"""The python-telegram-bot Application: defaults, rate limiter and every handler."""

from __future__ import annotations

import logging

from telegram import LinkPreviewOptions, Message, Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    PollAnswerHandler,
    filters,
)

from bot.handlers import admin, buttons, group, inline, learn, private, quiz, share
from bot.request import describe_failure
from bot.services import KEY, Services
from bot.settings import Settings
from bot.share import LINKS_PATTERN
from bot.storage import SafeStorage
from bot.wiring import Plumbing
from faq.engine import Engine

log = logging.getLogger(__name__)

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


def add_handlers(application: Application) -> None:
    commands = {
        "start": private.start,
        "help": private.help_command,
        "topics": private.topics,
        "lang": private.choose_language,
        "ask": group.ask,
        "autoanswer": group.autoanswer,
        "stats": admin.stats,
        "reload": admin.reload_faq,
        "learn": learn.learn_command,
        "quiz": quiz.quiz_command,
    }
    for name, callback in commands.items():
        application.add_handler(CommandHandler(name, callback, filters=FRESH))
    text = filters.TEXT & ~filters.COMMAND
    application.add_handlers(
        [
            MessageHandler(FRESH & PRIVATE & text, private.question),
            MessageHandler(FRESH & PRIVATE & filters.COMMAND, private.unknown_command),
            MessageHandler(FRESH & PRIVATE & ~filters.TEXT, private.not_text),
            MessageHandler(FRESH & GROUPS & text, group.message),
            CallbackQueryHandler(share.on_links, pattern=LINKS_PATTERN),
            CallbackQueryHandler(learn.on_review, pattern=learn.REVIEW),
            CallbackQueryHandler(buttons.on_button),
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
            CommandHandler("reload", quiz.reload_quiz, filters=FRESH),
        ],
        group=AFTER_GROUP,
    )
    application.add_error_handler(_log_error)


async def _log_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    known = describe_failure(context.error)
    if known is None:
        log.error("error while handling an update", exc_info=context.error)
    else:
        log.log(*known)


def build_application(
    settings: Settings, engine: Engine, storage: SafeStorage, plumbing: Plumbing
) -> Application:
    """The bot, ready to run; `plumbing` handles and delivers its updates (bot.wiring)."""
    builder = (
        ApplicationBuilder()
        .token(settings.token)
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
    add_handlers(application)
    return application
