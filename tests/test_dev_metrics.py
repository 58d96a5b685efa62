"""Guards the dev-set metrics against regressions (see README for the current figures)."""

from pathlib import Path

import pytest

from faq.engine import Engine
from faq.evaluation import evaluate, read_eval_file

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_path()


@pytest.mark.parametrize("name", ["dev.tsv", "validation.tsv"])
def test_metrics_stay_above_the_product_bars(engine, name):
    rows = read_eval_file(DATA / name, set(engine.faq.topics))
    _, metrics = evaluate(engine, rows)
    assert metrics.in_scope_accuracy >= 0.95
    assert metrics.out_of_scope_false_answer_rate <= 0.05
    assert metrics.language_accuracy >= 0.97
