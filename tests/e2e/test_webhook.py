"""Webhook mode (secret token required, /healthz on the same port) and polling-mode /healthz."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.error import HTTPError, URLError

import pytest
from fakebotapi import FakeBotApi

from e2e.harness import RunningBot, faqbot_command

SECRET = "s3cret_Webhook-Token_for-tests"
HOOK_PATH = "/tg/hook"
TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url: str, timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except HTTPError:
            return  # it answers
        except (URLError, OSError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def post(url: str, body: dict, secret: str | None) -> int:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    if secret is not None:
        request.add_header("X-Telegram-Bot-Api-Secret-Token", secret)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except HTTPError as error:
        return error.code


def health(url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*faqbot_command(), "health", "--url", url], capture_output=True, text=True, timeout=30
    )


@contextmanager
def webhook_bot(api: FakeBotApi, workdir: Path) -> Iterator[dict]:
    """`faqbot run --webhook` listening on a free port, once it has set its webhook."""
    port = free_port()
    env = {
        "WEBHOOK_URL": f"https://example.test{HOOK_PATH}",
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
        "WEBHOOK_SECRET": SECRET,
        "LOG_LEVEL": "DEBUG",
    }
    running = RunningBot(api, workdir, env, args=("--webhook",))
    calls_before = len(api.calls)
    running.start(wait=False)
    try:
        api.wait_for_call("setWebhook", timeout=TIMEOUT, since=calls_before)
        base = f"http://127.0.0.1:{port}"
        wait_for_http(base + "/healthz")
        yield {"bot": running, "hook": base + HOOK_PATH, "health": base + "/healthz"}
    finally:
        running.__exit__()


@pytest.fixture(scope="module")
def webhook(api: FakeBotApi, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """One webhook bot for the tests that leave it running."""
    with webhook_bot(api, tmp_path_factory.mktemp("webhook")) as running:
        yield running


def message_update(api: FakeBotApi, text: str) -> tuple[dict, dict]:
    """A message update as Telegram would POST it (built by the fake but not queued for
    polling: the fake's queue is only read by getUpdates, which webhook mode never calls)."""
    user = api.user("Hooked")
    chat = api.private_chat(user)
    update = api.send_message(chat, user, text)
    return update, chat


def test_set_webhook_carries_the_secret(api: FakeBotApi, webhook: dict) -> None:
    (params,) = api.calls_to("setWebhook")
    assert params["url"] == f"https://example.test{HOOK_PATH}"
    assert params["secret_token"] == SECRET
    assert api.calls_to("getUpdates") == []


def test_update_without_or_with_a_wrong_secret_is_refused(api: FakeBotApi, webhook: dict):
    update, chat = message_update(api, "what is bpo")
    assert post(webhook["hook"], update, None) == 403
    assert post(webhook["hook"], update, "wrong") == 403
    assert post(webhook["hook"], update, SECRET[:-1]) == 403
    # Refusals are answered at once; prove nothing was processed with a later real update.
    later, _ = message_update(api, "/help")
    assert post(webhook["hook"], later, SECRET) == 200
    api.wait_for_reply(later, timeout=TIMEOUT)
    assert api.sent_messages(chat) == []


def test_update_with_the_secret_is_answered(api: FakeBotApi, webhook: dict) -> None:
    update, chat = message_update(api, "apa itu bpo")
    assert post(webhook["hook"], update, SECRET) == 200
    reply = api.wait_for_reply(update, timeout=TIMEOUT)
    assert reply.chat_id == chat["id"] and reply.text
    assert api.rejections == []


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"1",
        b"null",
        b"[]",
        b'"x"',
        b'{"update_id": 5, "message": "x"}',
        b'{"update_id": "abc"}',
        b"[" * 50_000 + b"]" * 50_000,
    ],
    ids=["malformed", "number", "null", "array", "string", "bad-message", "bad-id", "deep"],
)
def test_not_an_update_is_a_400(webhook: dict, body: bytes) -> None:
    request = urllib.request.Request(
        webhook["hook"], data=body, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
    )
    with pytest.raises(HTTPError) as error:
        urllib.request.urlopen(request, timeout=10)
    assert error.value.code == 400
    assert webhook["bot"].alive()
    assert "Traceback" not in webhook["bot"].log


def test_healthz_and_faqbot_health(webhook: dict) -> None:
    with urllib.request.urlopen(webhook["health"], timeout=10) as response:
        assert response.status == 200
        details = json.loads(response.read())
    assert details["status"] == "ok"
    assert details["mode"] == "webhook"
    result = health(webhook["health"])
    assert result.returncode == 0, result.stderr


def test_sigterm_exits_0_and_no_secret_was_logged(tmp_path: Path) -> None:
    """Its own bot, as it stops it: the other tests' bot keeps running, whatever the order."""
    with FakeBotApi() as api, webhook_bot(api, tmp_path) as webhook:
        update, _ = message_update(api, "what is bpo")
        assert post(webhook["hook"], update, "wrong") == 403
        assert post(webhook["hook"], update, SECRET) == 200
        api.wait_for_reply(update, timeout=TIMEOUT)
        running: RunningBot = webhook["bot"]
        assert running.stop(signal.SIGTERM, timeout=10) == 0
        log = running.log
        assert "database closed" in log
        assert "DEBUG" in log
        assert SECRET not in log
        assert api.token not in log
        assert api.token.split(":", 1)[1] not in log
        assert health(webhook["health"]).returncode == 1


def test_a_port_in_use_is_one_line_and_exit_2(tmp_path: Path) -> None:
    with socket.socket() as taken, FakeBotApi() as api:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        running = RunningBot(api, tmp_path, {"HEALTH_PORT": str(port)}).start(wait=False)
        assert running.process is not None
        assert running.process.wait(30) == 2
    lines = running.log.strip().splitlines()
    assert len(lines) == 1 and str(port) in lines[0], running.log


def test_an_unusable_database_is_reported_degraded(tmp_path: Path) -> None:
    port = free_port()
    env = {"HEALTH_PORT": str(port), "DATABASE_PATH": str(tmp_path)}  # a directory
    with FakeBotApi() as api, RunningBot(api, tmp_path, env) as running:
        url = f"http://127.0.0.1:{port}/healthz"
        wait_for_http(url)
        result = health(url)
        assert result.returncode == 1
        assert '"status": "degraded"' in result.stderr
        assert running.stop(signal.SIGTERM, timeout=10) == 0


def test_polling_mode_healthz(tmp_path: Path) -> None:
    port = free_port()
    with FakeBotApi() as api, RunningBot(api, tmp_path, {"HEALTH_PORT": str(port)}) as running:
        url = f"http://127.0.0.1:{port}/healthz"
        wait_for_http(url)
        result = health(url)
        assert result.returncode == 0, result.stderr
        details = json.loads(result.stdout)
        assert details["mode"] == "polling" and details["status"] == "ok"
        assert details["database"] is True
        assert running.stop(signal.SIGTERM, timeout=10) == 0
    assert health(url).returncode == 1
