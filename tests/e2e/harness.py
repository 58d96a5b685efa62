"""Runs the real bot (`faqbot run`, a separate process) against the fake Bot API."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from fakebotapi import FakeBotApi

READY_TIMEOUT = 30.0
ADMIN_ID = 999_001
"""The Telegram user id the harness lists in ADMIN_IDS: `api.user("Admin", user_id=ADMIN_ID)`."""


def faqbot_command() -> list[str]:
    """The console script installed beside the Python running the tests (a venv's bin/), or
    the module: never some other `faqbot` that happens to be on PATH."""
    script = Path(sys.executable).with_name("faqbot")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]


class RunningBot:
    """A `faqbot run` process talking to `api`; stderr (the log) goes to `log_path`."""

    def __init__(
        self, api: FakeBotApi, workdir: Path, env: dict[str, str] | None = None, args: tuple = ()
    ) -> None:
        self.api = api
        self.workdir = workdir
        self.database = workdir / "faqbot.sqlite3"
        self.log_path = workdir / f"bot-{time.monotonic_ns()}.log"
        self.env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": api.token,
            "TELEGRAM_API_BASE_URL": api.base_url,
            "DATABASE_PATH": str(self.database),
            "ADMIN_IDS": str(ADMIN_ID),
            "HEALTH_PORT": "0",
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        self.args = args
        self.process: subprocess.Popen | None = None

    def start(self, wait: bool = True) -> RunningBot:
        calls_before = len(self.api.calls)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [*faqbot_command(), "run", *self.args],
                env=self.env,
                cwd=self.workdir,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        if wait:
            self.api.wait_for_call("getUpdates", timeout=READY_TIMEOUT, since=calls_before)
        return self

    @property
    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_handled(self, update: dict, timeout: float = READY_TIMEOUT) -> None:
        """Until the bot's inbox says `update` was handled and its replies are out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with sqlite3.connect(self.database) as db:
                    row = db.execute(
                        "SELECT done, delivery FROM inbox WHERE update_id = ?",
                        (update["update_id"],),
                    ).fetchone()
            except sqlite3.OperationalError:  # not created yet, or busy
                row = None
            if row is not None and row[0] == 1 and row[1] != "pending":
                return
            time.sleep(0.02)
        raise AssertionError(f"update {update['update_id']} not handled in {timeout} s")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 15.0) -> int:
        """Send `signum` and wait for the exit code."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signum)
        return self.process.wait(timeout)

    def __enter__(self) -> RunningBot:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        if self.alive():
            self.stop(signal.SIGKILL)


class Settled:
    """Wait until everything sent to the bot so far has been handled. Chats are handled
    concurrently, so a sentinel's reply is not enough: after it, the bot must also have made
    no Bot API call for `QUIET` seconds (its long poll aside)."""

    QUIET = 0.5

    def __init__(self, api: FakeBotApi, timeout: float = READY_TIMEOUT) -> None:
        self.api = api
        self.timeout = timeout
        self.user = api.user("Sentinel")
        self.chat = api.private_chat(self.user)

    def __call__(self) -> None:
        update = self.api.send_message(self.chat, self.user, "/help")
        self.api.wait_for_reply(update, timeout=self.timeout)
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            before = self._calls()
            time.sleep(self.QUIET)
            if self._calls() == before:
                return
        raise AssertionError("the bot kept calling the Bot API")

    def _calls(self) -> int:
        return sum(1 for call in self.api.calls if call.method != "getUpdates")
