"""Guards the matching metrics against regressions.

The floors are the figures measured when the engine last changed (see README), less a little
slack: a change that makes matching worse fails here. dev.tsv is the set the engine was tuned
on; validation.tsv was written independently (without seeing the FAQ or dev.tsv) and consulted
only for error analysis, so it is the better guide to unseen questions.
"""

from pathlib import Path

import pytest

from faq.engine import Engine
from faq.evaluation import evaluate, read_eval_file

DATA = Path(__file__).parent / "data"

# file: (in-scope right at least, out-of-scope answered at most, right language at least)
FLOORS = {
    "dev.tsv": (0.95, 0.04, 0.98),
    "validation.tsv": (0.94, 0.05, 0.96),
}


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_path()


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_metrics_do_not_regress(engine, name) -> None:
    in_scope_floor, out_of_scope_ceiling, language_floor = FLOORS[name]
    _, metrics = evaluate(engine, read_eval_file(DATA / name, set(engine.faq.topics)))
    assert metrics.in_scope_accuracy >= in_scope_floor
    assert metrics.out_of_scope_false_answer_rate <= out_of_scope_ceiling
    assert metrics.language_accuracy >= language_floor
