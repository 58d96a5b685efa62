"""The load and fault scenarios (e2e/load.py) in small sizes: counts, never timings."""

from __future__ import annotations

from pathlib import Path

from e2e.load import MIXED_FAULTS, Scenario, run

SMALL = Scenario(chats=8, questions=4, round_trip=0.02, timeout=90)


def test_mixed_faults_lose_nothing_that_surely_was_not_sent_and_double_nothing(
    tmp_path: Path,
) -> None:
    faults = {kind: p * 1.5 for kind, p in MIXED_FAULTS.items()}  # 30%: enough of each kind
    result = run(Scenario(**{**SMALL.__dict__, "faults": faults, "seed": 7}), tmp_path)
    assert sum(result.faults_drawn.values()) > 0
    assert result.lost == 0
    assert result.doubled == 0
    assert result.out_of_order_chats == 0
    # What may have arrived and did not is the only gap: faults before Telegram took it.
    surely_not_taken = result.faults_drawn.get("500", 0) + result.faults_drawn.get("reset", 0)
    assert result.possibly_delivered <= surely_not_taken
    assert result.answered + result.possibly_delivered == result.questions


def test_sigkill_mid_backlog_then_restart(tmp_path: Path) -> None:
    result = run(Scenario(**{**SMALL.__dict__, "chats": 12, "kill_after": 8}), tmp_path)
    assert result.lost == 0
    assert result.doubled == 0
    assert result.out_of_order_chats == 0
    assert result.answered + result.possibly_delivered == result.questions


def test_a_locked_database_holds_up_no_answer(tmp_path: Path) -> None:
    result = run(Scenario(**{**SMALL.__dict__, "lock_seconds": 2.0}), tmp_path)
    assert result.answered == result.questions
    assert result.doubled == 0
    assert result.out_of_order_chats == 0
    assert result.unsaved_lines > 0, "the lock should have cost some records, each logged"
