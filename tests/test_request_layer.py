"""The request layer in-process, on an httpx mock transport: what is retried, what is not."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import httpx
import pytest
from telegram import Bot
from telegram.error import BadRequest, RetryAfter

from bot import request as layer
from bot.handling import CURRENT, MAYBE, SENT, Handling
from bot.request import PhasedRequest, PossiblyDelivered, describe_failure

TOKEN = "123456:" + "A" * 35
OK_MESSAGE = {
    "ok": True,
    "result": {"message_id": 1, "date": 0, "chat": {"id": 5, "type": "private"}, "text": "x"},
}
Step = Callable[[httpx.Request], httpx.Response]


@pytest.fixture(autouse=True)
def no_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(layer, "FIRST_PAUSE", 0.0)


def ok(request: httpx.Request) -> httpx.Response:
    if request.url.path.endswith("getMe"):
        user = {"id": 1, "is_bot": True, "first_name": "Bot", "username": "bot"}
        return httpx.Response(200, json={"ok": True, "result": user})
    return httpx.Response(200, json=OK_MESSAGE)


def status(code: int, **parameters: object) -> Step:
    def respond(request: httpx.Request) -> httpx.Response:
        body: dict[str, object] = {"ok": False, "error_code": code, "description": "no"}
        if parameters:
            body["parameters"] = parameters
        return httpx.Response(code, json=body)

    return respond


def raises(error: type[httpx.HTTPError]) -> Step:
    def respond(request: httpx.Request) -> httpx.Response:
        raise error("fault", request=request)

    return respond


def run(steps: list[Step], call: str = "send") -> tuple[object, list[str], Handling]:
    """Call sendMessage (or getMe) through the layer; (result or error, methods, handling)."""
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path.rsplit("/", 1)[-1])
        return steps[min(len(seen), len(steps)) - 1](request)

    async def scenario() -> object:
        request = PhasedRequest(
            None, pool_size=2, read_timeout=1, transport=httpx.MockTransport(handler)
        )
        bot = Bot(TOKEN, request=request)
        handling = Handling(1)
        CURRENT.set(handling)
        await request.initialize()
        try:
            if call == "send":
                return await bot.send_message(5, "x"), handling
            return await bot.get_me(), handling
        except Exception as error:
            return error, handling
        finally:
            await request.shutdown()

    result, handling = asyncio.run(scenario())  # type: ignore[misc]
    return result, seen, handling


@pytest.mark.parametrize("error", [httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout])
def test_what_surely_was_not_sent_is_sent_again(error: type[httpx.HTTPError]) -> None:
    result, seen, handling = run([raises(error), raises(error), ok])
    assert not isinstance(result, Exception)
    assert seen == ["sendMessage"] * 3
    assert handling.delivery == SENT


@pytest.mark.parametrize(
    "step",
    [raises(httpx.ReadTimeout), raises(httpx.RemoteProtocolError), status(500), status(502)],
    ids=["read timeout", "reset", "500", "502"],
)
def test_what_may_have_arrived_is_never_sent_again(step: Step) -> None:
    result, seen, handling = run([step, ok])
    assert isinstance(result, PossiblyDelivered)
    assert seen == ["sendMessage"]
    assert handling.delivery == MAYBE
    _, line = describe_failure(result) or (0, "")
    assert "possibly delivered" in line


def test_calls_that_do_no_harm_repeated_are_retried_through_any_fault() -> None:
    result, seen, _ = run([status(502), raises(httpx.ReadTimeout), ok], call="get")
    assert not isinstance(result, Exception)
    assert seen == ["getMe"] * 3


def test_a_short_flood_limit_is_waited_out_a_long_one_is_not() -> None:
    result, seen, _ = run([status(429, retry_after=0), ok])
    assert not isinstance(result, Exception)
    assert seen == ["sendMessage"] * 2
    result, seen, _ = run([status(429, retry_after=layer.RETRY_AFTER_CAP + 1), ok])
    assert isinstance(result, RetryAfter)
    assert seen == ["sendMessage"]


def test_a_refusal_is_not_retried() -> None:
    result, seen, handling = run([status(400), ok])
    assert isinstance(result, BadRequest)
    assert seen == ["sendMessage"]
    assert handling.delivery == "failed"


def test_worst_outcome_is_kept() -> None:
    handling = Handling(1)
    for outcome in (SENT, MAYBE, SENT):
        handling.note(outcome)
    assert handling.delivery == MAYBE


def test_retry_after_parsing() -> None:
    assert layer._retry_after(json.dumps({"parameters": {"retry_after": 3}}).encode()) == 3.0
    assert layer._retry_after(b"not json") is None
