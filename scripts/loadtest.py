#!/usr/bin/env python3
"""Load and fault benchmark: the real `faqbot run` against the fake Bot API (tests/fakebotapi).

    .venv/bin/python scripts/loadtest.py                 # every scenario, default sizes
    .venv/bin/python scripts/loadtest.py --only load --chats 50 --questions 10 --round-trip 0.1

Prints answers/s, the wait from question to answer (p50, p99), chats answered out of order,
questions lost, answered twice, and left possibly delivered, with a baseline beside each
figure where one makes sense (one handler at a time; no slow chat; no fault; no lock).
"""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from e2e.load import HEADER, MIXED_FAULTS, Scenario, run, summary

SCENARIOS = ("load", "slow", "flood", "faults", "kill", "stop", "lock")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=SCENARIOS, action="append")
    parser.add_argument("--chats", type=int, default=50)
    parser.add_argument("--questions", type=int, default=10, help="per chat")
    parser.add_argument("--round-trip", type=float, default=0.1, help="seconds per Bot API call")
    parser.add_argument("--fault-rate", type=float, default=0.2, help="share of sendMessage calls")
    parser.add_argument("--kill-after", type=int, default=150, help="answers before SIGKILL")
    parser.add_argument("--lock", type=float, default=10.0, help="seconds the database is locked")
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()
    wanted = args.only or list(SCENARIOS)
    base = Scenario(chats=args.chats, questions=args.questions, round_trip=args.round_trip)
    scale = args.fault_rate / sum(MIXED_FAULTS.values())
    faults = {kind: p * scale for kind, p in MIXED_FAULTS.items()}
    runs: list[tuple[str, Scenario]] = []
    if "load" in wanted:
        if not args.no_baseline:
            runs.append(("baseline: one handler at a time", _with(base, concurrency=1)))
        runs.append(("load", base))
    if "slow" in wanted:
        hol = _with(base, chats=21, questions=3)
        if not args.no_baseline:
            runs.append(("baseline: 21 chats, none slow", hol))
        runs.append(("1 chat's sends take 4 s (20 others)", _with(hol, slow_chats=1)))
    if "flood" in wanted:
        calm = _with(base, chats=20, questions=3, default_throttle=True)
        if not args.no_baseline:
            runs.append(("baseline: 20 chats, no flood", calm))
        runs.append(("1 user floods a group with 100", _with(calm, flood=100)))
    if "faults" in wanted:
        runs.append((f"{args.fault_rate:.0%} mixed sendMessage faults", _with(base, faults=faults)))
    if "kill" in wanted:
        runs.append(
            (f"SIGKILL after {args.kill_after}, restart", _with(base, kill_after=args.kill_after))
        )
    if "stop" in wanted:
        stop = _with(base, kill_after=args.kill_after, kill_signal=signal.SIGTERM)
        runs.append((f"SIGTERM after {args.kill_after}, restart", stop))
    if "lock" in wanted:
        runs.append((f"database locked {args.lock:.0f} s", _with(base, lock_seconds=args.lock)))
    print(f"round trip {args.round_trip * 1000:.0f} ms; waits of the chats that are not slow")
    print(HEADER)
    with tempfile.TemporaryDirectory(prefix="faqbot-load-") as tmp:
        for n, (name, scenario) in enumerate(runs):
            result = run(scenario, Path(tmp) / str(n))
            print(summary(name, result), flush=True)
            if result.faults_drawn:
                print(f"{'':<34} faults drawn: {result.faults_drawn}")
            if result.flood_replies:
                print(f"{'':<34} replies in the flooded group: {result.flood_replies}")
            if result.unsaved_lines:
                print(f"{'':<34} records not saved (logged): {result.unsaved_lines}")
    return 0


def _with(scenario: Scenario, **changes: object) -> Scenario:
    from dataclasses import replace

    return replace(scenario, **changes)  # type: ignore[arg-type]


if __name__ == "__main__":
    sys.exit(main())
