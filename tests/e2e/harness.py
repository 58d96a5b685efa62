"""Runs the real bot (`faqbot run`, a separate process) against the fake Bot API."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from fakebotapi import FakeBotApi

READY_TIMEOUT = 30.0
ADMIN_ID = 999_001
"""The Telegram user id the harness lists in ADMIN_IDS (the error handler writes to it)."""


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
