"""Guards the dev-set metrics against regressions.

The floors are the figures measured when the engine last changed (see README), less a little
slack: a change that makes matching worse fails here. They are not the product bars
(95% / 5% / 97%), which are judged on a held-out set.
"""

from pathlib import Path

import pytest

from faq.engine import Engine
from faq.evaluation import evaluate, read_eval_file

DEV_SET = Path(__file__).parent / "data" / "dev.tsv"

IN_SCOPE_ACCURACY_FLOOR = 0.84
OUT_OF_SCOPE_ANSWERED_CEILING = 0.05
LANGUAGE_ACCURACY_FLOOR = 0.97


@pytest.fixture(scope="module")
def metrics():
    engine = Engine.from_path()
    _, measured = evaluate(engine, read_eval_file(DEV_SET, set(engine.faq.topics)))
    return measured


def test_in_scope_questions_get_the_right_answer(metrics) -> None:
    assert metrics.in_scope_accuracy >= IN_SCOPE_ACCURACY_FLOOR


def test_out_of_scope_questions_are_rarely_answered(metrics) -> None:
    assert metrics.out_of_scope_false_answer_rate <= OUT_OF_SCOPE_ANSWERED_CEILING


def test_replies_are_in_the_right_language(metrics) -> None:
    assert metrics.language_accuracy >= LANGUAGE_ACCURACY_FLOOR
