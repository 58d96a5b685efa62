"""`faqbot health` without a running bot: where it looks, proxies, a disabled endpoint."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from bot.healthcheck import check, default_url


def test_where_it_looks() -> None:
    assert default_url({}) == "http://127.0.0.1:8080/healthz"
    assert default_url({"HEALTH_PORT": "9000"}) == "http://127.0.0.1:9000/healthz"
    assert default_url({"HEALTH_PORT": "0"}) is None
    webhook = {"WEBHOOK_URL": "https://bot.example.com/hook"}
    assert default_url(webhook) == "http://127.0.0.1:8443/healthz"
    assert default_url({**webhook, "WEBHOOK_LISTEN": "0.0.0.0"}) == "http://127.0.0.1:8443/healthz"
    listen = {**webhook, "WEBHOOK_LISTEN": "10.1.2.3", "WEBHOOK_PORT": "9443"}
    assert default_url(listen) == "http://10.1.2.3:9443/healthz"
    assert default_url({**webhook, "WEBHOOK_LISTEN": "fd00::1"}) == "http://[fd00::1]:8443/healthz"


def test_disabled_endpoint_is_not_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEALTH_PORT", "0")
    monkeypatch.delenv("WEBHOOK_URL", raising=False)
    assert check() == 0


@pytest.fixture
def healthz() -> Iterator[tuple[str, list[int]]]:
    """A stand-in /healthz answering with the status codes in the list, in turn."""
    statuses = [200]

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = json.dumps({"status": "ok" if statuses[0] == 200 else "degraded"}).encode()
            self.send_response(statuses[0])
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/healthz", statuses
    server.shutdown()


def test_proxy_settings_are_ignored(
    healthz: tuple[str, list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _ = healthz
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    assert check(url) == 0


def test_degraded_is_unhealthy(healthz: tuple[str, list[int]], capsys) -> None:
    url, statuses = healthz
    statuses[0] = 503
    assert check(url) == 1
    assert "degraded" in capsys.readouterr().err
