"""The bot's settings, read from environment variables with pydantic-settings.

Each field names its variable (`validation_alias`) and documents it (`description`), so
`describe()` and the README table come from the one declaration. Every problem is reported
at once, one line each, and secrets are `SecretStr`: never in a repr, a log or an error.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import BeforeValidator, Field, JsonValue, SecretStr, ValidationError
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)
from pydantic_settings.sources.utils import parse_env_vars

from bot.ports import DEFAULT_HEALTH_PORT, DEFAULT_WEBHOOK_PORT
from faq.model import DEFAULT_FAQ_PATH, LANGS

_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
_SECRET_RULE = "1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule)"
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

DEFAULT_DATABASE_PATH = Path("data/faqbot.sqlite3")

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


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


def _url(schemes: tuple[str, ...], example: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in schemes or not parts.hostname:
            starts = " or ".join(s + "://" for s in schemes)
            raise ValueError(f"must be a URL starting with {starts}, e.g. {example}")
        return value

    return parse


def _admin_ids(value: str) -> frozenset[int]:
    items = [item for item in re.split(r"[,\s]+", value) if item]
    bad = [item for item in items if not (item.isascii() and item.isdigit()) or int(item) == 0]
    if bad:
        raise ValueError(
            f"not Telegram user ids: {', '.join(repr(item) for item in bad)} "
            "(use positive whole numbers separated by commas or spaces)"
        )
    return frozenset(int(item) for item in items)


def _one_of(choices: tuple[str, ...], case: Callable[[str], str]) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if case(value) not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}, got {value!r}")
        return case(value)

    return parse


def _int_between(low: int, high: int | None = None) -> Callable[[object], int]:
    def parse(value: object) -> int:
        if isinstance(value, int):
            number: int | None = value
        else:
            text = str(value)
            number = int(text) if re.fullmatch(r"[+-]?\d+", text) else None
        if number is None or number < low or (high is not None and number > high):
            limits = f"from {low} to {high}" if high is not None else f"of {low} or more"
            raise ValueError(f"must be a whole number {limits}, got {value!r}")
        return number

    return parse


def _seconds_between(low: float, high: float) -> Callable[[object], float]:
    def parse(value: object) -> float:
        try:
            number = float(str(value))
        except ValueError:
            number = float("nan")
        if not low <= number <= high:  # NaN fails too
            raise ValueError(f"must be a number of seconds from {low:g} to {high:g}, got {value!r}")
        return number

    return parse


def _webhook_secret(value: str) -> str:
    if not _SECRET.fullmatch(value):
        raise ValueError(f"must be {_SECRET_RULE}")
    return value


def _env(name: str, description: str, shown: str | None = None, **options: Any) -> Any:
    """A field read from the variable `name`; `shown` is the default as documented."""
    extra: dict[str, JsonValue] | None = {"shown": shown} if shown is not None else None
    return Field(validation_alias=name, description=description, json_schema_extra=extra, **options)


Port = Annotated[int, BeforeValidator(_int_between(1, 65535))]
PerMinute = Annotated[int, BeforeValidator(_int_between(1))]
Timeout = Annotated[int, BeforeValidator(_int_between(1, 300))]


class Settings(BaseSettings):
    """Everything `faqbot run` needs; build it with `Settings.from_env`."""

    model_config = SettingsConfigDict(
        frozen=True,
        env_ignore_empty=True,
        hide_input_in_errors=True,
        extra="ignore",
        validate_default=False,
    )

    token: Annotated[SecretStr, BeforeValidator(_token)] = _env(
        "TELEGRAM_BOT_TOKEN", "the bot's token from @BotFather"
    )
    api_base_url: Annotated[
        str | None, BeforeValidator(_url(("http", "https"), "http://127.0.0.1:8081/bot"))
    ] = _env(
        "TELEGRAM_API_BASE_URL",
        "Bot API base URL the token is appended to, for a local Bot API server "
        "(e.g. http://127.0.0.1:8081/bot)",
        "https://api.telegram.org/bot",
        default=None,
    )
    faq_path: Path = _env(
        "FAQ_PATH", "the FAQ YAML file", "the shipped faq/data/faq.yaml", default=DEFAULT_FAQ_PATH
    )
    database_path: Path = _env(
        "DATABASE_PATH",
        "SQLite file for language choices, group settings, question log and feedback",
        "./data/faqbot.sqlite3",
        default=DEFAULT_DATABASE_PATH,
    )
    admin_ids: Annotated[frozenset[int], NoDecode, BeforeValidator(_admin_ids)] = _env(
        "ADMIN_IDS",
        "Telegram user ids (comma or space separated) allowed to use admin commands like /stats",
        "none",
        default=frozenset(),
    )
    default_language: Annotated[str, BeforeValidator(_one_of(LANGS, str.lower))] = _env(
        "DEFAULT_LANGUAGE",
        "reply language (id, ms or en) when neither the message nor the user's settings tell it",
        default="en",
    )
    log_level: Annotated[LogLevel, BeforeValidator(_one_of(_LOG_LEVELS, str.upper))] = _env(
        "LOG_LEVEL", f"one of {', '.join(_LOG_LEVELS)}", default="INFO"
    )
    throttle_user_per_minute: PerMinute = _env(
        "THROTTLE_USER_PER_MINUTE", "most questions answered per user per minute", default=20
    )
    throttle_chat_per_minute: PerMinute = _env(
        "THROTTLE_CHAT_PER_MINUTE", "most questions answered per chat per minute", default=30
    )
    read_timeout: Timeout = _env(
        "TELEGRAM_READ_TIMEOUT",
        "seconds to wait for the Bot API's answer to a request (a long poll gets POLL_TIMEOUT "
        "more); an answer that times out is not sent again, so it is never sent twice",
        default=5,
    )
    poll_timeout: Timeout = _env(
        "POLL_TIMEOUT",
        "seconds each getUpdates long poll waits for new updates in polling mode",
        default=10,
    )
    retry_pause: Annotated[float, BeforeValidator(_seconds_between(0.05, 60))] = _env(
        "RETRY_PAUSE",
        "seconds before a failed getUpdates or start-up call is tried again; doubled after "
        "each further failure, up to 30",
        default=1.0,
    )
    concurrent_updates: Annotated[int, BeforeValidator(_int_between(1, 1000))] = _env(
        "CONCURRENT_UPDATES",
        "updates handled at once, each from a different chat (a chat's own updates are "
        "always handled one after another)",
        default=64,
    )
    health_port: Annotated[int, BeforeValidator(_int_between(0, 65535))] = _env(
        "HEALTH_PORT",
        "port of the /healthz endpoint on 127.0.0.1 in polling mode (0: none); in webhook "
        "mode /healthz is served on the webhook port",
        default=DEFAULT_HEALTH_PORT,
    )
    webhook_url: Annotated[
        str | None, BeforeValidator(_url(("https",), "https://bot.example.com/telegram"))
    ] = _env(
        "WEBHOOK_URL",
        "public https URL Telegram sends updates to; when set the bot runs a webhook "
        "instead of polling",
        default=None,
    )
    webhook_listen: str = _env(
        "WEBHOOK_LISTEN", "address the webhook server listens on", default="0.0.0.0"
    )
    webhook_port: Port = _env(
        "WEBHOOK_PORT", "port the webhook server listens on", default=DEFAULT_WEBHOOK_PORT
    )
    webhook_secret: Annotated[SecretStr | None, BeforeValidator(_webhook_secret)] = _env(
        "WEBHOOK_SECRET",
        f"secret token Telegram sends with each update; required with WEBHOOK_URL; {_SECRET_RULE}",
        default=None,
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Only what `from_env` reads and passes in: no .env or secrets directory."""
        return (init_settings,)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        """Read and check every variable; an empty (or blank) variable counts as unset."""
        values = _Environment(cls, environ)()
        problems: list[str] = []
        if values.get("WEBHOOK_URL") and not values.get("WEBHOOK_SECRET"):
            problems.append(
                f"WEBHOOK_SECRET is not set: it is required with WEBHOOK_URL ({_SECRET_RULE})"
            )
        try:
            settings = cls(**values)
        except ValidationError as error:
            problems[:0] = [_problem(detail) for detail in error.errors()]
        if problems:
            raise SettingsError(problems)
        return settings

    @property
    def webhook_mode(self) -> bool:
        return self.webhook_url is not None

    @property
    def webhook_secret_text(self) -> str:
        """The webhook secret in plain text ("" when unset: from_env insists on one with
        WEBHOOK_URL)."""
        return self.webhook_secret.get_secret_value() if self.webhook_secret else ""

    @property
    def secret_texts(self) -> list[str]:
        """Every secret in plain text, for keeping them out of logs and reports."""
        return [s for s in (self.token.get_secret_value(), self.webhook_secret_text) if s]

    def __repr__(self) -> str:
        def shown(name: str) -> str:
            value = getattr(self, name)
            return "<hidden>" if isinstance(value, SecretStr) else repr(value)

        return f"Settings({', '.join(f'{name}={shown(name)}' for name in type(self).model_fields)})"

    __str__ = __repr__


class _Environment(EnvSettingsSource):
    """pydantic-settings' environment source over a given mapping (`os.environ` unless a
    test passes its own), with values stripped so that a blank variable counts as unset."""

    def __init__(self, settings_cls: type[BaseSettings], environ: Mapping[str, str]) -> None:
        self._environ = {name: value.strip() for name, value in environ.items()}
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return parse_env_vars(
            self._environ, self.case_sensitive, self.env_ignore_empty, self.env_parse_none_str
        )


def _problem(detail: Any) -> str:
    """One line for one pydantic error, naming the variable."""
    name = str(detail["loc"][0]) if detail["loc"] else ""
    if detail["type"] == "missing":
        meanings = {
            info.validation_alias: info.description for info in Settings.model_fields.values()
        }
        return f"{name} is not set: {meanings.get(name, name)} is required"
    error = detail.get("ctx", {}).get("error")
    return f"{name}: {error if isinstance(error, ValueError) else detail['msg']}"


def describe() -> list[tuple[str, str, str]]:
    """(variable, default, meaning) of every setting, in declaration order."""

    def default(info: Any) -> str:
        shown = (info.json_schema_extra or {}).get("shown")
        if info.is_required():
            return "required"
        if shown is not None:
            return str(shown)
        return "unset" if info.default is None else str(info.default)

    return [
        (str(info.validation_alias), default(info), str(info.description))
        for info in Settings.model_fields.values()
    ]
