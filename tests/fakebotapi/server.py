"""HTTP side of the fake Bot API: routing, fault injection and the listening socket.

A stdlib ``ThreadingHTTPServer`` (one thread per connection, HTTP/1.1 keep-alive) runs in a
background thread; long polls simply wait on the state's condition variable.
"""

from __future__ import annotations

import contextlib
import json
import random
import re
import select
import socket
import struct
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from .methods import CANONICAL, CONFLICT_OTHER_POLL, METHODS, ClientGone
from .params import decode_params
from .records import Call, Rejection
from .state import State
from .validation import ApiError

_PATH_RE = re.compile(r"^/bot([^/]*)/([^/]*)$")
ANY_METHOD = "*"


@dataclass
class Fault:
    """One injected misbehaviour; ``remaining=None`` means until cleared."""

    kind: str  # "fail" | "delay" | "reset" | "hang"
    remaining: int | None
    status: int = 0
    retry_after: int | None = None
    description: str | None = None
    seconds: float = 0.0
    after: bool = False
    """fail/reset only once the call has been carried out (Telegram took it; the answer is lost)."""

    def payload(self) -> dict[str, Any]:
        if self.description:
            description = self.description
        elif self.status == 429:
            description = f"Too Many Requests: retry after {self.retry_after or 1}"
        else:
            try:
                description = HTTPStatus(self.status).phrase
            except ValueError:
                description = "Unknown error"
        body: dict[str, Any] = {"ok": False, "error_code": self.status, "description": description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        elif self.status == 429:
            body["parameters"] = {"retry_after": 1}
        return body


CHAOS_KINDS = ("429", "500", "500-after", "reset", "reset-after", "hang", "hang-after")
"""Faults `Chaos` draws from; '-after': once the call was carried out (Telegram took it)."""


@dataclass
class Chaos:
    """Random faults on one method: `mix` maps a kind of `CHAOS_KINDS` to its probability."""

    mix: dict[str, float]
    rng: random.Random
    hang_seconds: float
    drawn: dict[str, int] = field(default_factory=dict)

    def draw(self) -> Fault | None:
        roll, total = self.rng.random(), 0.0
        for kind, probability in self.mix.items():
            total += probability
            if roll < total:
                self.drawn[kind] = self.drawn.get(kind, 0) + 1
                base, _, after = kind.partition("-")
                if base == "429":
                    return Fault("fail", 1, status=429, retry_after=1)
                if base == "500":
                    return Fault("fail", 1, status=500, after=bool(after))
                if base == "reset":
                    return Fault("reset", 1, after=bool(after))
                return Fault("hang", 1, seconds=self.hang_seconds, after=bool(after))
        return None


class Dispatcher:
    """Turns one HTTP request into a Bot API response, applying faults first."""

    def __init__(self, state: State) -> None:
        self.state = state
        self.faults: dict[str, list[Fault]] = {}
        self.stopping = threading.Event()
        self.round_trip = 0.0
        """Seconds every call takes before it is carried out (the network, both ways)."""
        self.chaos: dict[str, Chaos] = {}
        self.chat_delays: dict[int, float] = {}
        """Extra seconds for calls to a chat (a slow chat)."""

    def add_fault(self, method: str, fault: Fault) -> None:
        key = method if method == ANY_METHOD else CANONICAL.get(method.lower(), method)
        with self.state.cond:
            self.faults.setdefault(key, []).append(fault)

    def clear_faults(self) -> None:
        with self.state.cond:
            self.faults.clear()

    def _take_fault(self, method: str) -> Fault | None:
        with self.state.cond:
            for key in (method, ANY_METHOD):
                queue = self.faults.get(key) or []
                if queue:
                    fault = queue[0]
                    if fault.remaining is not None:
                        fault.remaining -= 1
                        if fault.remaining <= 0:
                            queue.pop(0)
                    return fault
        return None

    def _reject(self, method: str, err: ApiError) -> tuple[int, dict]:
        with self.state.cond:
            target = (
                self.state.conflicts
                if err.description == CONFLICT_OTHER_POLL
                else self.state.rejections
            )
            target.append(Rejection(method, err.description))
            self.state.cond.notify_all()
        return err.error_code, err.payload()

    def handle(
        self, request: _Handler, path: str, content_type: str, body: bytes
    ) -> tuple[int, dict] | None:
        """Return (HTTP status, JSON body), or None when no response must be sent."""
        url = urlsplit(path)
        match = _PATH_RE.match(url.path)
        if not match:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        token, name = match.groups()
        if token != self.state.token:
            return self._reject(name, ApiError(401, "Unauthorized"))
        method = CANONICAL.get(name.lower())
        if method is None:
            return self._reject(name, ApiError(404, "Not Found: method not found"))
        try:
            params = decode_params(content_type, body, url.query)
        except ApiError as err:
            return self._reject(method, err)
        with self.state.cond:
            self.state.calls.append(Call(method, params))
            self.state.cond.notify_all()

        if self.round_trip and self.stopping.wait(self.round_trip):
            return None
        slow = self.chat_delays.get(_chat_id(params)) if self.chat_delays else None
        if slow and self.stopping.wait(slow):
            return None
        fault = self._take_fault(method)
        if fault is None and method in self.chaos:
            with self.state.cond:
                fault = self.chaos[method].draw()
        if fault is not None and fault.kind == "hang":
            if fault.after:
                self._carry_out(method, params, request)
            self.stopping.wait(fault.seconds)
            request.reset_connection()
            return None
        if fault is not None and fault.after:
            self._carry_out(method, params, request)
            if fault.kind == "reset":
                request.reset_connection()
                return None
            return fault.status, fault.payload()
        if fault is not None:
            if fault.kind == "fail":
                return fault.status, fault.payload()
            if fault.kind == "reset":
                request.reset_connection()
                return None
            # "delay": then handle it normally, unless the server went down meanwhile.
            if self.stopping.wait(fault.seconds) or request.server.closed:
                return None

        return self._carry_out(method, params, request)

    def _carry_out(self, method: str, params: dict, request: _Handler) -> tuple[int, dict] | None:
        with self.state.cond:
            try:
                result = METHODS[method](self.state, params, request)
            except ClientGone:
                return None
            except ApiError as err:
                return self._reject(method, err)
            finally:
                self.state.cond.notify_all()
        return 200, {"ok": True, "result": result}


def _chat_id(params: dict) -> int | None:
    try:
        return int(params.get("chat_id"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes; without this, Nagle + delayed ACK add ~40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output clean."""

    def do_POST(self) -> None:
        try:
            body = self._read_body()
        except (OSError, ValueError):
            self.close_connection = True
            return
        outcome = self.server.dispatcher.handle(
            self, self.path, self.headers.get("Content-Type", ""), body
        )
        if outcome is None:
            self.close_connection = True
            return
        status, payload = outcome
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            self.close_connection = True

    do_GET = do_POST

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        if len(body) < length:  # the client gave up mid-request: nothing to carry out
            raise ValueError("truncated request body")
        return body

    def alive(self) -> bool:
        """Is the client still connected (and are we still listening)?"""
        if self.server.closed:
            return False
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            return not readable or self.connection.recv(1, socket.MSG_PEEK) != b""
        except (OSError, ValueError):
            return False

    def reset_connection(self) -> None:
        """Drop the connection with a TCP RST, without any response."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.rfile.close()  # the socket really closes (with RST) once its file is closed


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 512
    """Telegram takes many connections at once; a backlog of 5 resets a burst of them."""

    def __init__(self, address: tuple[str, int], dispatcher: Dispatcher) -> None:
        self.dispatcher = dispatcher
        self.closed = False
        self.connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def drop_connections(self) -> None:
        with self._connections_lock:
            connections = list(self.connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class Listener:
    """The listening socket; can be closed and reopened on the same port."""

    def __init__(self, dispatcher: Dispatcher, host: str, port: int) -> None:
        self.dispatcher = dispatcher
        self.host = host
        self.port = port
        self._server: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def listening(self) -> bool:
        return self._server is not None

    def open(self) -> None:
        if self._server is not None:
            return
        server = _HTTPServer((self.host, self.port), self.dispatcher)
        self.port = server.server_address[1]
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fakebotapi:{self.port}",
            daemon=True,
        )
        self._thread.start()

    def close(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.closed = True
        server.shutdown()
        server.server_close()
        server.drop_connections()
        with self.dispatcher.state.cond:
            self.dispatcher.state.cond.notify_all()  # long polls notice and end
        if self._thread is not None:
            self._thread.join(timeout=5)
