"""`faqbot run`: settings from the environment, then long polling (default) or a webhook.

Every start-up problem (settings, FAQ, token) is one line on stderr and exit code 2.
"""

from __future__ import annotations

import asyncio
import logging
import sys

from telegram.error import InvalidToken, NetworkError

from bot import limits
from bot.app import ALLOWED_UPDATES, build_application
from bot.context import BotApplication
from bot.redact import install_redaction
from bot.settings import Settings, SettingsError
from bot.storage import SafeStorage
from faq.engine import Engine
from faq.loader import FaqError

log = logging.getLogger(__name__)

EXIT_CONFIG = 2
MAX_START_PAUSE = 30.0


class StartupError(Exception):
    """A problem that stops the bot from starting, told in one line."""


def configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
        force=True,
    )
    secret = settings.webhook_secret
    install_redaction(
        [settings.token.get_secret_value(), secret.get_secret_value() if secret else ""]
    )
    # httpx logs every request (a getUpdates line every few seconds) at INFO: noise, and a
    # token in each URL. Kept at DEBUG for troubleshooting; the redaction covers it there.
    if settings.log_level != "DEBUG":
        logging.getLogger("httpx").setLevel(logging.WARNING)


def load_engine(settings: Settings) -> Engine:
    try:
        return limits.load_engine(settings.faq_path, settings.default_language)
    except FaqError as error:
        first, more = error.problems[0], len(error.problems) - 1
        extra = f" (and {more} more; see `faqbot check {settings.faq_path}`)" if more else ""
        raise StartupError(f"invalid FAQ: {first}{extra}") from None


async def connect(application: BotApplication) -> None:
    """Initialise (getMe), waiting out an unreachable or failing API; a rejected token stops."""
    pause = 1.0
    while True:
        try:
            await application.initialize()
            return
        except InvalidToken:
            raise StartupError(
                "Telegram rejected TELEGRAM_BOT_TOKEN (check it with @BotFather)"
            ) from None
        except NetworkError as error:
            log.warning("cannot reach the Bot API yet (%s); retrying in %.0f s", error, pause)
            await asyncio.sleep(pause)
            pause = min(pause * 2, MAX_START_PAUSE)


def run(settings: Settings) -> None:
    configure_logging(settings)
    engine = load_engine(settings)
    storage = SafeStorage(settings.database_path)
    application = build_application(settings, engine, storage)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(connect(application))
    except StartupError:
        storage.close()
        raise
    log.info(
        "bot @%s started (%s)",
        application.bot.username,
        "webhook" if settings.webhook_mode else "polling",
    )
    if settings.webhook_mode:
        from bot.webhook import serve

        loop.run_until_complete(serve(application, settings, ALLOWED_UPDATES))
        loop.close()
    else:
        application.run_polling(
            allowed_updates=ALLOWED_UPDATES, bootstrap_retries=-1, timeout=settings.poll_timeout
        )
    log.info("bot stopped")


def main(webhook: bool = False) -> int:
    """Entry point of `faqbot run`; `webhook` insists on webhook mode. Returns the exit code."""
    try:
        settings = Settings.from_env()
        if webhook and not settings.webhook_mode:
            raise StartupError("--webhook needs WEBHOOK_URL and WEBHOOK_SECRET to be set")
        run(settings)
    except (SettingsError, StartupError) as error:
        print(f"faqbot run: {error}", file=sys.stderr)
        return EXIT_CONFIG
    return 0
