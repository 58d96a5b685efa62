"""`faqbot health`: ask the running bot's /healthz, for Docker's HEALTHCHECK (exit 0 or 1)."""

from __future__ import annotations

import os
import sys
import urllib.request
from urllib.error import URLError

from bot.health import HEALTH_PATH
from bot.settings import DEFAULT_HEALTH_PORT, DEFAULT_WEBHOOK_PORT

TIMEOUT_SECONDS = 5


def default_url() -> str:
    webhook = bool(os.environ.get("WEBHOOK_URL"))
    default = DEFAULT_WEBHOOK_PORT if webhook else DEFAULT_HEALTH_PORT
    port = os.environ.get("WEBHOOK_PORT" if webhook else "HEALTH_PORT") or default
    return f"http://127.0.0.1:{port}{HEALTH_PATH}"


def check(url: str | None = None) -> int:
    url = url or default_url()
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
            print(response.read().decode("utf-8", "replace"))
            return 0
    except URLError as error:
        body = (
            error.read().decode("utf-8", "replace") if hasattr(error, "read") else str(error.reason)
        )
        print(f"unhealthy: {body}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"unhealthy: {error}", file=sys.stderr)
        return 1
