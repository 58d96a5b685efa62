"""Guards the matching metrics on the dev sets against regressions (never the sealed sets).

The floors are the figures measured when the engine or its fitted decision last changed, less
a little slack: a change that makes matching worse fails here. dev.tsv was tuned on;
validation.tsv and eval/dev/ were written blind to the FAQ (eval/dev: by three writers, see
tests/data/eval/README.md) and are analysed and fitted on. Rows whose topic the FAQ lacks
count as misses.
"""

from pathlib import Path

import pytest

from faq.engine import Engine
from faq.evaluation import evaluate, read_eval_file

DATA = Path(__file__).parent / "data"

# file: (inscope right at least, near-oos answered at most, chatter answered at most,
#        right language at least)
FLOORS = {
    "dev.tsv": (0.95, 0.02, 0.0, 0.98),
    "validation.tsv": (0.94, 0.02, 0.0, 0.97),
    "eval/dev/w1-short.tsv": (0.87, 0.03, 0.01, 0.97),
    "eval/dev/w2-natural.tsv": (0.75, 0.03, 0.01, 0.98),
    "eval/dev/w3-group.tsv": (0.90, 0.05, 0.01, 0.94),
    "eval/dev/w1-short-b.tsv": (0.82, 0.03, 0.01, 0.95),
    "eval/dev/w2-natural-b.tsv": (0.80, 0.03, 0.01, 0.98),
    "eval/dev/w3-group-b.tsv": (0.88, 0.05, 0.01, 0.92),
}


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_path()


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_metrics_do_not_regress(engine, name) -> None:
    inscope_floor, near_ceiling, chatter_ceiling, language_floor = FLOORS[name]
    _, metrics = evaluate(engine, read_eval_file(DATA / name))
    assert metrics.in_scope_accuracy >= inscope_floor
    assert metrics.near_oos_answer_rate <= near_ceiling
    assert metrics.chatter_answer_rate <= chatter_ceiling
    assert metrics.language_accuracy >= language_floor
