"""The bot's settings, read from environment variables.

`VARIABLES` is the single table of settings (name, default, parser, help): `Settings.from_env`
reads the environment with it and `describe()` documents it, so a setting is named only once.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from urllib.parse import urlsplit

from bot.ports import DEFAULT_HEALTH_PORT, DEFAULT_WEBHOOK_PORT
from faq.model import DEFAULT_FAQ_PATH, LANGS

_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
_SECRET_RULE = "1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule)"
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


DEFAULT_DATABASE_PATH = Path("data/faqbot.sqlite3")


class SettingsError(Exception):
    """Invalid settings; the message has one line per problem and never shows a secret."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = tuple(problems)


def _token(value: str) -> str:
    if not _TOKEN.fullmatch(value):
        # Never echo the value: a nearly right token is still a secret.
        raise ValueError(
            "does not look like a bot token from @BotFather "
            "(digits, a colon, then 30 or more letters, digits, _ or -)"
        )
    return value


def _url(value: str, schemes: tuple[str, ...], example: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in schemes or not parts.hostname:
        raise ValueError(
            f"must be a URL starting with {' or '.join(s + '://' for s in schemes)}, e.g. {example}"
        )
    return value


def _api_base_url(value: str) -> str:
    return _url(value, ("http", "https"), "http://127.0.0.1:8081/bot")


def _webhook_url(value: str) -> str:
    return _url(value, ("https",), "https://bot.example.com/telegram")


def _path(value: str) -> Path:
    return Path(value).expanduser()


def _admin_ids(value: str) -> frozenset[int]:
    items = [item for item in re.split(r"[,\s]+", value) if item]
    bad = [item for item in items if not (item.isascii() and item.isdigit()) or int(item) == 0]
    if bad:
        raise ValueError(
            f"not Telegram user ids: {', '.join(repr(item) for item in bad)} "
            "(use positive whole numbers separated by commas or spaces)"
        )
    return frozenset(int(item) for item in items)


def _language(value: str) -> str:
    if value.lower() not in LANGS:
        raise ValueError(f"must be one of {', '.join(LANGS)}, got {value!r}")
    return value.lower()


def _log_level(value: str) -> str:
    if value.upper() not in _LOG_LEVELS:
        raise ValueError(f"must be one of {', '.join(_LOG_LEVELS)}, got {value!r}")
    return value.upper()


def _int_between(low: int, high: int | None = None) -> Callable[[str], int]:
    def parse(value: str) -> int:
        number = int(value) if re.fullmatch(r"[+-]?\d+", value) else None
        if number is None or number < low or (high is not None and number > high):
            limits = f"from {low} to {high}" if high is not None else f"of {low} or more"
            raise ValueError(f"must be a whole number {limits}, got {value!r}")
        return number

    return parse


def _webhook_secret(value: str) -> str:
    if not _SECRET.fullmatch(value):
        raise ValueError(f"must be {_SECRET_RULE}")
    return value


_REQUIRED = object()


def _text(environ: Mapping[str, str], name: str) -> str:
    return environ.get(name, "").strip()


@dataclass(frozen=True)
class Variable:
    """One environment variable: `parse` turns its text into the `field` of `Settings`."""

    name: str
    field: str
    parse: Callable[[str], object]
    help: str
    default: object = None
    shown: str | None = None
    """The default as documented, when `str(default)` would mislead."""
    secret: bool = False


VARIABLES: tuple[Variable, ...] = (
    Variable(
        "TELEGRAM_BOT_TOKEN",
        "token",
        _token,
        "the bot's token from @BotFather",
        _REQUIRED,
        secret=True,
    ),
    Variable(
        "TELEGRAM_API_BASE_URL",
        "api_base_url",
        _api_base_url,
        "Bot API base URL the token is appended to, for a local Bot API server "
        "(e.g. http://127.0.0.1:8081/bot)",
        shown="https://api.telegram.org/bot",
    ),
    Variable(
        "FAQ_PATH",
        "faq_path",
        _path,
        "the FAQ YAML file",
        DEFAULT_FAQ_PATH,
        "the shipped faq/data/faq.yaml",
    ),
    Variable(
        "DATABASE_PATH",
        "database_path",
        _path,
        "SQLite file for language choices, group settings, question log and feedback",
        DEFAULT_DATABASE_PATH,
        "./data/faqbot.sqlite3",
    ),
    Variable(
        "ADMIN_IDS",
        "admin_ids",
        _admin_ids,
        "Telegram user ids (comma or space separated) allowed to use admin commands like /stats",
        frozenset(),
        "none",
    ),
    Variable(
        "DEFAULT_LANGUAGE",
        "default_language",
        _language,
        "reply language (id, ms or en) when neither the message nor the user's settings tell it",
        "en",
    ),
    Variable("LOG_LEVEL", "log_level", _log_level, f"one of {', '.join(_LOG_LEVELS)}", "INFO"),
    Variable(
        "THROTTLE_USER_PER_MINUTE",
        "throttle_user_per_minute",
        _int_between(1),
        "most questions answered per user per minute",
        20,
    ),
    Variable(
        "THROTTLE_CHAT_PER_MINUTE",
        "throttle_chat_per_minute",
        _int_between(1),
        "most questions answered per chat per minute",
        30,
    ),
    Variable(
        "TELEGRAM_READ_TIMEOUT",
        "read_timeout",
        _int_between(1, 300),
        "seconds to wait for the Bot API's answer to a request (a long poll gets POLL_TIMEOUT "
        "more); an answer that times out is not sent again, so it is never sent twice",
        5,
    ),
    Variable(
        "POLL_TIMEOUT",
        "poll_timeout",
        _int_between(1, 300),
        "seconds each getUpdates long poll waits for new updates in polling mode",
        10,
    ),
    Variable(
        "CONCURRENT_UPDATES",
        "concurrent_updates",
        _int_between(1, 1000),
        "updates handled at once, each from a different chat (a chat's own updates are "
        "always handled one after another)",
        64,
    ),
    Variable(
        "HEALTH_PORT",
        "health_port",
        _int_between(0, 65535),
        "port of the /healthz endpoint on 127.0.0.1 in polling mode (0: none); in webhook "
        "mode /healthz is served on the webhook port",
        DEFAULT_HEALTH_PORT,
    ),
    Variable(
        "WEBHOOK_URL",
        "webhook_url",
        _webhook_url,
        "public https URL Telegram sends updates to; when set the bot runs a webhook "
        "instead of polling",
    ),
    Variable(
        "WEBHOOK_LISTEN", "webhook_listen", str, "address the webhook server listens on", "0.0.0.0"
    ),
    Variable(
        "WEBHOOK_PORT",
        "webhook_port",
        _int_between(1, 65535),
        "port the webhook server listens on",
        DEFAULT_WEBHOOK_PORT,
    ),
    Variable(
        "WEBHOOK_SECRET",
        "webhook_secret",
        _webhook_secret,
        f"secret token Telegram sends with each update; required with WEBHOOK_URL; {_SECRET_RULE}",
        secret=True,
    ),
)


@dataclass(frozen=True)
class Settings:
    """Everything `faqbot run` needs; build it with `Settings.from_env`."""

    token: str
    api_base_url: str | None
    faq_path: Path
    database_path: Path
    admin_ids: frozenset[int]
    default_language: str
    log_level: str
    throttle_user_per_minute: int
    throttle_chat_per_minute: int
    read_timeout: int
    poll_timeout: int
    concurrent_updates: int
    health_port: int
    webhook_url: str | None
    webhook_listen: str
    webhook_port: int
    webhook_secret: str | None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        """Read and check every variable; an empty variable counts as unset."""
        values: dict[str, object] = {}
        problems: list[str] = []
        for var in VARIABLES:
            text = _text(environ, var.name)
            if not text:
                if var.default is _REQUIRED:
                    problems.append(f"{var.name} is not set: {var.help} is required")
                values[var.field] = None if var.default is _REQUIRED else var.default
                continue
            try:
                values[var.field] = var.parse(text)
            except ValueError as error:
                problems.append(f"{var.name}: {error}")
        if _text(environ, "WEBHOOK_URL") and not _text(environ, "WEBHOOK_SECRET"):
            problems.append(
                f"WEBHOOK_SECRET is not set: it is required with WEBHOOK_URL ({_SECRET_RULE})"
            )
        if problems:
            raise SettingsError(problems)
        return cls(**values)

    @property
    def webhook_mode(self) -> bool:
        return self.webhook_url is not None

    def __repr__(self) -> str:
        secret = {var.field for var in VARIABLES if var.secret}

        def shown(name: str) -> str:
            value = getattr(self, name)
            return "<hidden>" if name in secret and value is not None else repr(value)

        return f"Settings({', '.join(f'{f.name}={shown(f.name)}' for f in fields(self))})"


def describe() -> list[tuple[str, str, str]]:
    """(name, default, meaning) of every setting, in the order of `VARIABLES`."""

    def default(var: Variable) -> str:
        if var.default is _REQUIRED:
            return "required"
        if var.shown is not None:
            return var.shown
        return "unset" if var.default is None else str(var.default)

    return [(var.name, default(var), var.help) for var in VARIABLES]
