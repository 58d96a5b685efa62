"""`faqbot run`: settings from the environment, then long polling (default) or a webhook.

Every start-up problem (settings, FAQ, token) is one line on stderr and exit code 2.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections.abc import Awaitable, Callable
from contextlib import suppress
from functools import partial

from telegram.error import InvalidToken, NetworkError, TelegramError
from tornado.httpserver import HTTPServer
from tornado.web import Application as TornadoApp

from bot import limits
from bot.app import ALLOWED_UPDATES, build_application
from bot.handlers import quiz
from bot.health import AnyApplication, health_route
from bot.menu import publish_menus
from bot.polling import poll
from bot.redact import install_redaction
from bot.settings import Settings, SettingsError
from bot.storage import Database
from bot.wiring import Plumbing
from faq.engine import Engine
from faq.loader import FaqError

log = logging.getLogger(__name__)

EXIT_CONFIG = 2
MAX_START_PAUSE = 30.0
STOP_GRACE = 5.0
"""Seconds SIGTERM waits for the handlers running; well inside `docker stop`'s 10."""


class StartupError(Exception):
    """A problem that stops the bot from starting, told in one line."""


def configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
        force=True,
    )
    install_redaction(settings.secret_texts)
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


async def connect(application: AnyApplication, pause: float) -> None:
    """Initialise (getMe), waiting out an unreachable or failing API; a rejected token stops."""
    await retry_startup("getMe", application.initialize, pause)


async def retry_startup(what: str, call: Callable[[], Awaitable[object]], pause: float) -> None:
    """`call` until it succeeds, waiting out network faults (`pause` seconds, then twice as
    long each time); a rejected token stops."""
    while True:
        try:
            await call()
            return
        except InvalidToken:
            raise StartupError(
                "Telegram rejected TELEGRAM_BOT_TOKEN (check it with @BotFather)"
            ) from None
        except NetworkError as error:
            log.warning(
                "%s: cannot reach the Bot API yet (%s); trying again in %.0f s",
                what,
                error.message,
                pause,
            )
            await asyncio.sleep(pause)
            pause = min(pause * 2, MAX_START_PAUSE)
        except TelegramError as error:
            log.warning("%s failed (%s); trying again in %.0f s", what, error.message, pause)
            await asyncio.sleep(pause)
            pause = min(pause * 2, MAX_START_PAUSE)


def listen(server: HTTPServer, port: int, address: str, what: str) -> None:
    """Bind `server`; a port in use is a start-up problem, told in one line."""
    try:
        server.listen(port, address)
    except OSError as error:
        raise StartupError(
            f"cannot listen on {address}:{port} for {what}: {error.strerror}"
        ) from None


async def serve(settings: Settings, engine: Engine) -> None:
    """Run until SIGTERM or SIGINT, which are honoured at any moment, connecting included."""
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopping.set)
    database = Database(settings.database_path)
    plumbing = Plumbing(database, settings.concurrent_updates)
    application = build_application(settings, engine, database, plumbing)
    servers: list[HTTPServer] = []
    background: list[asyncio.Task[None]] = []
    started = False
    try:
        if settings.webhook_mode:
            from bot.webhook import make_server

            server = make_server(application, settings, plumbing)
            listen(server, settings.webhook_port, settings.webhook_listen, "the webhook")
            servers.append(server)
        elif settings.health_port:
            server = HTTPServer(TornadoApp([health_route(application, plumbing.polling)]))
            listen(server, settings.health_port, "127.0.0.1", "/healthz")
            servers.append(server)
        if not await until_stopped(connect(application, settings.retry_pause), stopping):
            return
        await application.start()
        started = True
        await quiz.restore_schedules(application)
        # Updates stored but not handled when the process last stopped come first.
        for update in await plumbing.inbox.unfinished(application.bot):
            await application.update_queue.put(update)
        if settings.webhook_mode:
            set_webhook = partial(
                application.bot.set_webhook,
                settings.webhook_url or "",
                secret_token=settings.webhook_secret_text,
                allowed_updates=ALLOWED_UPDATES,
            )
            if not await until_stopped(
                retry_startup("setWebhook", set_webhook, settings.retry_pause), stopping
            ):
                return
        else:
            delete = application.bot.delete_webhook
            if not await until_stopped(
                retry_startup("deleteWebhook", delete, settings.retry_pause), stopping
            ):
                return
            background.append(
                asyncio.create_task(
                    poll(
                        application,
                        plumbing.inbox,
                        timeout=settings.poll_timeout,
                        allowed_updates=ALLOWED_UPDATES,
                        first_pause=settings.retry_pause,
                    )
                )
            )
        log.info(
            "bot @%s started (%s)",
            application.bot.username,
            "webhook" if settings.webhook_mode else "polling",
        )
        background.append(asyncio.create_task(publish_menus(application)))
        await stopping.wait()
        log.info("stopping: finishing the updates in hand")
    finally:
        for server in servers:
            server.stop()
        for task in background:
            task.cancel()
        await asyncio.gather(*background, return_exceptions=True)
        plumbing.processor.stopping = True
        if started:
            try:
                await asyncio.wait_for(application.stop(), STOP_GRACE)
            except TimeoutError:
                # A handler held up (a group's send limit, a hung request): its update is
                # left as it is in the inbox, pending or not done, for the next start.
                log.warning("stopped without waiting for handlers still running")
        if application._initialized:
            await application.shutdown()
        database.close()
        if started:
            log.info("database closed")


async def until_stopped(work: Awaitable[None], stopping: asyncio.Event) -> bool:
    """Run `work` unless `stopping` is set first (then cancel it); whether it finished."""
    task = asyncio.ensure_future(work)
    waiter = asyncio.ensure_future(stopping.wait())
    done, _ = await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
    waiter.cancel()
    if task in done:
        task.result()
        return True
    task.cancel()
    with suppress(asyncio.CancelledError):
        await task
    log.info("stopped while starting")
    return False


def run(settings: Settings) -> None:
    configure_logging(settings)
    engine = load_engine(settings)
    asyncio.run(serve(settings, engine))
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
