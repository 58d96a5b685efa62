"""Guards the matching metrics on the dev sets against regressions (never the sealed sets).

The floors are the figures measured when the engine or its fitted decision last changed, less
a little slack: a change that makes matching worse fails here. dev.tsv was tuned on;
validation.tsv was written blind to the FAQ. The example questions (faq/data/examples/, by
blind writers) teach the classifier, so the engine knows them: they are guarded through the
cross-validated figures `faqbot fit` records, where each row is read by a classifier that did
not learn from it (tests/test_decision.py checks that record is current).
"""

import json
from pathlib import Path

import pytest

from faq.decision import DECISION_PATH
from faq.engine import Engine
from faq.evaluation import evaluate
from faq.rows import read_eval_file

DATA = Path(__file__).parent / "data"

# file: (inscope right at least, near-oos answered at most, chatter answered at most,
#        right language at least)
FLOORS = {
    "dev.tsv": (0.95, 0.04, 0.0, 0.98),
    "validation.tsv": (0.95, 0.02, 0.0, 0.97),
}
CROSS_VALIDATED_FLOORS = {
    "inscope_answered_right": 0.92,
    "inscope_answered_right_short": 0.97,
    "inscope_answered_right_longer": 0.90,
    "inscope_answered_right_follow-up": 0.87,
}
CROSS_VALIDATED_CEILINGS = {
    "inscope_answered_wrong": 0.025,
    "near_oos_answered": 0.02,
    "chatter_answered": 0.005,
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


def test_cross_validated_figures_of_the_shipped_decision_do_not_regress() -> None:
    figures = json.loads(DECISION_PATH.read_text())["fitted_on"]["cross_validation"]
    for name, floor in CROSS_VALIDATED_FLOORS.items():
        assert figures[name] >= floor, name
    for name, ceiling in CROSS_VALIDATED_CEILINGS.items():
        assert figures[name] <= ceiling, name
