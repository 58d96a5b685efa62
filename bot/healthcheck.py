"""`faqbot health` / `python -m bot.healthcheck`: ask the running bot's /healthz, for Docker's
HEALTHCHECK (exit 0 or 1).

Standard library only (a probe must not cost a bot start-up), and never through a proxy:
HTTP_PROXY and the like are for the Bot API, not for 127.0.0.1.
"""

from __future__ import annotations

import os
import sys
import urllib.request
from collections.abc import Mapping
from urllib.error import HTTPError, URLError

from bot.ports import DEFAULT_HEALTH_PORT, DEFAULT_WEBHOOK_PORT, HEALTH_PATH

TIMEOUT_SECONDS = 5
_ANY_ADDRESS = ("", "0.0.0.0", "::")


def default_url(environ: Mapping[str, str] = os.environ) -> str | None:
    """The bot's /healthz from its settings; None if polling mode serves none (HEALTH_PORT=0)."""
    if environ.get("WEBHOOK_URL"):
        port = environ.get("WEBHOOK_PORT") or str(DEFAULT_WEBHOOK_PORT)
        host = environ.get("WEBHOOK_LISTEN", "").strip()
        host = "127.0.0.1" if host in _ANY_ADDRESS else host
    else:
        port = environ.get("HEALTH_PORT") or str(DEFAULT_HEALTH_PORT)
        if port.strip() == "0":
            return None
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"  # an IPv6 address
    return f"http://{host}:{port.strip()}{HEALTH_PATH}"


def check(url: str | None = None) -> int:
    url = url or default_url()
    if url is None:
        print("health endpoint disabled (HEALTH_PORT=0): nothing to check")
        return 0
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=TIMEOUT_SECONDS) as response:
            print(response.read().decode("utf-8", "replace"))
            return 0
    except HTTPError as error:  # 503: unhealthy, or degraded (the database is unusable)
        print(f"unhealthy: {error.read().decode('utf-8', 'replace')}", file=sys.stderr)
        return 1
    except URLError as error:
        print(f"unhealthy: {error.reason}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"unhealthy: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(check(sys.argv[1] if len(sys.argv) > 1 else None))
