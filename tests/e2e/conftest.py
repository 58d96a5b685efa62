from __future__ import annotations

from collections.abc import Iterator

import pytest
from fakebotapi import FakeBotApi

from e2e.harness import RunningBot


@pytest.fixture(scope="module")
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as fake:
        yield fake


@pytest.fixture(scope="module")
def bot(api: FakeBotApi, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBot]:
    """One bot process per test module; tests use their own users and chats."""
    with RunningBot(api, tmp_path_factory.mktemp("bot")) as running:
        yield running
