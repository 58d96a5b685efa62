from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from auxil.offline_bot import OfflineBot

from faq.engine import Engine


@pytest.fixture(scope="session")
def engine() -> Engine:
    """The engine on the real FAQ file."""
    return Engine.from_path()


@pytest.fixture
def make_bot(engine: Engine, tmp_path: Path) -> Iterator[Callable[..., OfflineBot]]:
    """Builds the bot with extra settings (environment variables); a real SQLite file."""
    made: list[OfflineBot] = []

    def make(**environ: str) -> OfflineBot:
        made.append(OfflineBot(engine, tmp_path / f"faqbot-{len(made)}.sqlite3", **environ))
        return made[-1]

    yield make
    for bot in made:
        bot.close()


@pytest.fixture
def bot(make_bot: Callable[..., OfflineBot]) -> OfflineBot:
    return make_bot()
