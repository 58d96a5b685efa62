"""Settings from the environment: defaults, one clear line per problem, secrets never shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError, describe
from faq.model import DEFAULT_FAQ_PATH

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"
SECRET = "s3cret_webhook-TOKEN"


def load(**environ: str) -> Settings:
    return Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, **environ})


def problems(**environ: str) -> list[str]:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env(environ)
    lines = str(caught.value).splitlines()
    assert list(caught.value.problems) == lines
    return lines


def test_defaults():
    settings = load()
    assert settings.token.get_secret_value() == TOKEN
    assert settings.api_base_url is None
    assert settings.faq_path == DEFAULT_FAQ_PATH
    assert settings.database_path == Path("data/faqbot.sqlite3")
    assert settings.admin_ids == frozenset()
    assert settings.default_language == "en"
    assert settings.log_level == "INFO"
    assert (settings.throttle_user_per_minute, settings.throttle_chat_per_minute) == (20, 30)
    assert settings.webhook_url is None and not settings.webhook_mode
    assert (settings.webhook_listen, settings.webhook_port) == ("0.0.0.0", 8443)
    assert settings.webhook_secret is None


def test_values_are_parsed():
    settings = load(
        TELEGRAM_API_BASE_URL="http://127.0.0.1:8081/bot",
        FAQ_PATH="/srv/faq.yaml",
        DATABASE_PATH="/var/lib/faqbot/db.sqlite3",
        ADMIN_IDS=" 11, 22 33,,",
        DEFAULT_LANGUAGE="MS",
        LOG_LEVEL="debug",
        THROTTLE_USER_PER_MINUTE="5",
        THROTTLE_CHAT_PER_MINUTE="60",
        RETRY_PAUSE="0.25",
        WEBHOOK_URL="https://bot.example.com/hook",
        WEBHOOK_LISTEN="127.0.0.1",
        WEBHOOK_PORT="8080",
        WEBHOOK_SECRET=SECRET,
    )
    assert settings.api_base_url == "http://127.0.0.1:8081/bot"
    assert settings.faq_path == Path("/srv/faq.yaml")
    assert settings.database_path == Path("/var/lib/faqbot/db.sqlite3")
    assert settings.retry_pause == 0.25
    assert settings.admin_ids == frozenset({11, 22, 33})
    assert (settings.default_language, settings.log_level) == ("ms", "DEBUG")
    assert (settings.throttle_user_per_minute, settings.throttle_chat_per_minute) == (5, 60)
    assert settings.webhook_mode
    assert (settings.webhook_listen, settings.webhook_port) == ("127.0.0.1", 8080)
    assert settings.webhook_secret is not None
    assert settings.webhook_secret.get_secret_value() == SECRET


def test_empty_variables_count_as_unset():
    assert load(DEFAULT_LANGUAGE="", WEBHOOK_PORT="  ") == load()


def test_missing_token():
    assert problems() == [
        "TELEGRAM_BOT_TOKEN is not set: the bot's token from @BotFather is required"
    ]


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("TELEGRAM_API_BASE_URL", "ftp://host/bot", "http:// or https://"),
        ("TELEGRAM_API_BASE_URL", "localhost:8081", "http:// or https://"),
        ("ADMIN_IDS", "12, bob, -5", "'bob', '-5'"),
        ("ADMIN_IDS", "0", "'0'"),
        ("DEFAULT_LANGUAGE", "fr", "id, ms, en"),
        ("LOG_LEVEL", "loud", "DEBUG, INFO"),
        ("THROTTLE_USER_PER_MINUTE", "0", "1 or more"),
        ("THROTTLE_CHAT_PER_MINUTE", "ten", "1 or more"),
        ("RETRY_PAUSE", "0", "from 0.05 to 60"),
        ("RETRY_PAUSE", "nan", "from 0.05 to 60"),
        ("RETRY_PAUSE", "soon", "from 0.05 to 60"),
        ("WEBHOOK_URL", "http://bot.example.com/hook", "https://"),
        ("WEBHOOK_PORT", "70000", "from 1 to 65535"),
        ("WEBHOOK_SECRET", "has spaces in it", "1-256 characters"),
        ("WEBHOOK_SECRET", "x" * 257, "1-256 characters"),
    ],
)
def test_each_malformed_variable_gives_one_line(name, value, expected):
    environ = {"TELEGRAM_BOT_TOKEN": TOKEN, name: value}
    if name == "WEBHOOK_URL":
        environ["WEBHOOK_SECRET"] = SECRET
    (line,) = problems(**environ)
    assert line.startswith(f"{name}: ")
    assert expected in line


def test_every_problem_is_reported_at_once():
    lines = problems(TELEGRAM_BOT_TOKEN="nope", DEFAULT_LANGUAGE="fr", WEBHOOK_PORT="x")
    assert [line.split(":")[0] for line in lines] == [
        "TELEGRAM_BOT_TOKEN",
        "DEFAULT_LANGUAGE",
        "WEBHOOK_PORT",
    ]


def test_webhook_secret_required_with_webhook_url():
    (line,) = problems(TELEGRAM_BOT_TOKEN=TOKEN, WEBHOOK_URL="https://bot.example.com/hook")
    assert line.startswith("WEBHOOK_SECRET is not set")


@pytest.mark.parametrize(
    "token",
    [
        "123456789:short",
        "1234:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1",
        "123456789 AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1",
        "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1!",
    ],
)
def test_bad_token_is_not_echoed(token):
    (line,) = problems(TELEGRAM_BOT_TOKEN=token)
    assert line.startswith("TELEGRAM_BOT_TOKEN: does not look like a bot token")
    assert token not in line and token.split(":")[-1] not in line


def test_secrets_never_in_repr_or_errors():
    settings = load(WEBHOOK_URL="https://bot.example.com/hook", WEBHOOK_SECRET=SECRET)
    for text in (repr(settings), str(settings)):
        assert TOKEN not in text and SECRET not in text
        assert "token=<hidden>" in text and "webhook_secret=<hidden>" in text
    message = "\n".join(problems(TELEGRAM_BOT_TOKEN=TOKEN, WEBHOOK_SECRET="bad secret " + SECRET))
    assert TOKEN not in message and SECRET not in message


def test_table_covers_every_field_and_describe_documents_it():
    rows = describe()
    assert len(rows) == len(Settings.model_fields)
    assert [name for name, _, _ in rows] == [
        info.validation_alias for info in Settings.model_fields.values()
    ]
    assert all(default and meaning for _, default, meaning in rows)
    documented = {name: default for name, default, _ in rows}
    assert documented["TELEGRAM_BOT_TOKEN"] == "required"
    assert documented["THROTTLE_USER_PER_MINUTE"] == "20"
    assert str(Path.cwd()) not in documented["FAQ_PATH"]


def test_readme_documents_every_setting() -> None:
    from pathlib import Path

    from bot.settings import describe

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for name, _, _ in describe():
        assert f"| `{name}` |" in readme, name
