"""Load and fault scenarios: the real `faqbot run` against the fake Bot API.

Each chat is a group whose member asks with /ask; the bot quotes the question it answers, so
every answer is matched to its question exactly. Counted per question: answered, lost (no
answer and not recorded as possibly delivered), doubled; per chat: answered out of order.
Waits run from the moment the update was available to the moment the fake took the answer.

Run it as a benchmark with `scripts/loadtest.py`; tests (test_load.py) assert the counts.
"""

from __future__ import annotations

import signal
import sqlite3
import statistics
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from fakebotapi import FakeBotApi

from e2e.harness import RunningBot

QUESTIONS = (
    "what is a call centre",
    "what is bpo",
    "what is the dress code",
    "what is kpi",
    "how do I reset my password",
    "what is a shift",
)
MIXED_FAULTS = {
    "429": 0.04,
    "500": 0.03,
    "500-after": 0.03,
    "reset": 0.03,
    "reset-after": 0.03,
    "hang-after": 0.04,
}
"""20% of sendMessage calls: what surely was not sent, what Telegram took, a hang."""
READ_TIMEOUT = 2
HANG_SECONDS = 3.0


@dataclass
class Scenario:
    chats: int = 50
    questions: int = 10
    """Per chat, all available at once (a backlog)."""
    round_trip: float = 0.1
    faults: dict[str, float] = field(default_factory=dict)
    slow_chats: int = 0
    """Chats whose sends take `slow_seconds` longer; they ask first."""
    slow_seconds: float = 4.0
    kill_after: int | None = None
    """Stop the bot with `kill_signal` after this many answers, then restart it."""
    kill_signal: int = signal.SIGKILL
    flood: int = 0
    """Questions one user sends at once in one more group (the bot's throttle cuts them)."""
    default_throttle: bool = False
    """Keep the bot's default throttle (20 a minute per user, 30 per chat); else none."""
    lock_seconds: float = 0.0
    """Another process holds the database's write lock this long once the questions arrive."""
    concurrency: int | None = None
    seed: int = 1
    timeout: float = 180.0


@dataclass
class Result:
    questions: int
    answered: int
    lost: int
    """Not answered, and not recorded as possibly delivered."""
    possibly_delivered: int
    """Not answered, recorded as possibly delivered (sent when the answer was lost)."""
    doubled: int
    out_of_order_chats: int
    seconds: float
    waits: list[float]
    """Of the chats that are not slow."""
    faults_drawn: dict[str, int]
    unsaved_lines: int
    flood_replies: int = 0
    """Replies to the flooding group (answers and throttle notices)."""

    @property
    def answers_per_second(self) -> float:
        return self.answered / self.seconds if self.seconds else 0.0

    def wait(self, quantile: float) -> float:
        if not self.waits:
            return float("nan")
        ordered = sorted(self.waits)
        return ordered[min(len(ordered) - 1, round(quantile * (len(ordered) - 1)))]


def run(scenario: Scenario, workdir: Path) -> Result:
    with FakeBotApi() as api:
        return _run(api, scenario, workdir)


def _env(scenario: Scenario) -> dict[str, str]:
    env = {
        "TELEGRAM_READ_TIMEOUT": str(READ_TIMEOUT),
        "POLL_TIMEOUT": "1",
        "LOG_LEVEL": "WARNING",
    }
    if not scenario.default_throttle:
        env.update({"THROTTLE_USER_PER_MINUTE": "100000", "THROTTLE_CHAT_PER_MINUTE": "100000"})
    if scenario.concurrency is not None:
        env["CONCURRENT_UPDATES"] = str(scenario.concurrency)
    return env


def _run(api: FakeBotApi, scenario: Scenario, workdir: Path) -> Result:
    workdir.mkdir(parents=True, exist_ok=True)
    env = _env(scenario)
    bot = RunningBot(api, workdir, env).start()
    bots = [bot]
    try:
        api.set_round_trip(scenario.round_trip)
        drawn = (
            api.chaos("sendMessage", scenario.faults, seed=scenario.seed, hang_seconds=HANG_SECONDS)
            if scenario.faults
            else {}
        )
        chats = [api.group(f"Load {n}") for n in range(scenario.chats)]
        users = [api.user(f"Asker {n}") for n in range(scenario.chats)]
        slow = chats[: scenario.slow_chats]
        for chat in slow:
            api.slow_chat(chat, scenario.slow_seconds)
        lock = _hold_lock(bot.database, scenario.lock_seconds) if scenario.lock_seconds else None
        asked: dict[tuple[int, int], float] = {}
        update_of: dict[tuple[int, int], int] = {}
        flooded = api.group("Flooded") if scenario.flood else None
        if flooded is not None:
            flooder = api.user("Flooder")
            for n in range(scenario.flood):
                api.send_message(flooded, flooder, f"/ask {QUESTIONS[n % len(QUESTIONS)]}")
        start = time.monotonic()
        for i in range(scenario.questions):
            for n, chat in enumerate(chats):
                question = f"/ask {QUESTIONS[(n + i) % len(QUESTIONS)]}"
                update = api.send_message(chat, users[n], question)
                key = (chat["id"], update["message"]["message_id"])
                asked[key] = time.monotonic()
                update_of[key] = update["update_id"]
        if scenario.kill_after is not None:
            api.wait_for(lambda: _answer_count(api, chats) >= scenario.kill_after, scenario.timeout)
            bot.stop(scenario.kill_signal, timeout=20)
            bot = RunningBot(api, workdir, env).start()
            bots.append(bot)
        _wait_settled(api, bot, chats, asked, scenario.timeout)
        if lock is not None:
            lock.join()
        end = max((m.at for m in _answers(api, chats)), default=time.monotonic())
        assert bot.stop(signal.SIGTERM, timeout=20) == 0, bot.log
    finally:
        api.set_round_trip(0)
        api.clear_faults()
        for running in bots:
            running.__exit__()
    maybe = _possibly_delivered(bot.database)
    result = _count(api, chats, slow, asked, update_of, maybe, start, end, drawn, bots)
    if flooded is not None:
        result.flood_replies = len(api.sent_messages(flooded["id"]))
    return result


def _answers(api: FakeBotApi, chats: list[dict]) -> list:
    return [
        m
        for chat in chats
        for m in api.sent_messages(chat["id"])
        if (m.message or {}).get("reply_to_message")
    ]


def _answer_count(api: FakeBotApi, chats: list[dict]) -> int:
    return len(_answers(api, chats))


def _wait_settled(
    api: FakeBotApi, bot: RunningBot, chats: list[dict], asked: dict, timeout: float
) -> None:
    """Until every question is answered or recorded as handled, and the bot is quiet."""
    deadline = time.monotonic() + timeout
    last_change, last = time.monotonic(), -1
    while time.monotonic() < deadline:
        count = _answer_count(api, chats)
        if count != last:
            last, last_change = count, time.monotonic()
        if count >= len(asked) or (
            _unfinished(bot.database) == 0 and time.monotonic() - last_change > HANG_SECONDS + 1
        ):
            return
        time.sleep(0.1)
    raise AssertionError(f"not settled after {timeout} s: {last} of {len(asked)} answered")


def _unfinished(database: Path) -> int:
    try:
        with sqlite3.connect(database, timeout=0.1) as db:
            return int(db.execute("SELECT COUNT(*) FROM inbox WHERE done = 0").fetchone()[0])
    except sqlite3.OperationalError:
        return 1


def _possibly_delivered(database: Path) -> set[int]:
    with sqlite3.connect(database) as db:
        rows = db.execute(
            "SELECT update_id FROM inbox WHERE delivery IN ('maybe', 'pending')"
        ).fetchall()
    return {row[0] for row in rows}


def _hold_lock(database: Path, seconds: float) -> threading.Thread:
    """Another process's long write transaction, as soon as the database exists."""
    ready = threading.Event()

    def hold() -> None:
        while not database.exists():
            time.sleep(0.01)
        db = sqlite3.connect(database, timeout=10, isolation_level=None)
        db.execute("BEGIN IMMEDIATE")
        ready.set()
        time.sleep(seconds)
        db.execute("COMMIT")
        db.close()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    ready.wait(10)
    return thread


def _count(
    api: FakeBotApi,
    chats: list[dict],
    slow: list[dict],
    asked: dict[tuple[int, int], float],
    update_of: dict[tuple[int, int], int],
    maybe: set[int],
    start: float,
    end: float,
    drawn: dict[str, int],
    bots: list[RunningBot],
) -> Result:
    answers: dict[tuple[int, int], list[float]] = {}
    out_of_order = 0
    for chat in chats:
        quoted = []
        for message in api.sent_messages(chat["id"]):
            reply_to = (message.message or {}).get("reply_to_message")
            if reply_to:
                key = (chat["id"], reply_to["message_id"])
                answers.setdefault(key, []).append(message.at)
                quoted.append(reply_to["message_id"])
        if quoted != sorted(quoted):
            out_of_order += 1
    slow_ids = {chat["id"] for chat in slow}
    unanswered = [key for key in asked if key not in answers]
    waits = [
        times[0] - asked[key]
        for key, times in answers.items()
        if key[0] not in slow_ids and key in asked
    ]
    return Result(
        questions=len(asked),
        answered=len(answers),
        lost=sum(1 for key in unanswered if update_of[key] not in maybe),
        possibly_delivered=sum(1 for key in unanswered if update_of[key] in maybe),
        doubled=sum(1 for times in answers.values() if len(times) > 1),
        out_of_order_chats=out_of_order,
        seconds=end - start,
        waits=waits,
        faults_drawn=dict(drawn),
        unsaved_lines=sum(b.log.count("not saved") for b in bots),
    )


def summary(name: str, result: Result) -> str:
    faults = sum(result.faults_drawn.values())
    return (
        f"{name:<34} {result.answered:>5}/{result.questions:<5} "
        f"{result.answers_per_second:>7.1f} {result.wait(0.5):>7.2f} {result.wait(0.99):>7.2f} "
        f"{result.out_of_order_chats:>5} {result.lost:>5} {result.doubled:>5} "
        f"{result.possibly_delivered:>5} {faults:>6}"
    )


HEADER = (
    f"{'scenario':<34} {'answered':>11} {'ans/s':>7} {'p50 s':>7} {'p99 s':>7} "
    f"{'order':>5} {'lost':>5} {'twice':>5} {'maybe':>5} {'faults':>6}"
)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
