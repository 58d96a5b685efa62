"""The fitted decision: the loader, the fit itself, and that the shipped file is up to date."""

import json
import random
from pathlib import Path

import pytest

from faq.config import DEFAULT_FIT, FitConfig
from faq.decision import (
    DECISION_PATH,
    DEFAULT_TRAINING,
    FEATURES,
    DecisionFileError,
    load_decision,
)
from faq.engine import Engine
from faq.fit import Example, example_of, fit, fit_inputs, fit_logistic, folds, sha256
from faq.model import DEFAULT_FAQ_PATH, EXAMPLES_DIRNAME
from faq.rows import expand_paths, read_eval_file

ROOT = Path(__file__).resolve().parents[1]


def test_the_shipped_decision_loads():
    """Two models, two thresholds: P(top topic right) to answer, and, when not answered,
    P(right topic among the suggestions) to suggest; neither may be a certainty."""
    model = load_decision()
    assert 0 < model.answer_threshold < 1 and 0 < model.suggest_threshold < 1


def test_a_broken_decision_file_is_named_with_its_problem(tmp_path):
    path = tmp_path / "decision.json"
    with pytest.raises(DecisionFileError, match="cannot read"):
        load_decision(path)
    data = json.loads(DECISION_PATH.read_text())
    del data["model"]["answer"]["weights"]["top_score"]
    path.write_text(json.dumps(data))
    with pytest.raises(DecisionFileError, match=f"{path}.*weights.*faqbot fit"):
        load_decision(path)
    data = json.loads(DECISION_PATH.read_text())
    data["model"]["suggest"]["threshold"] = 2
    path.write_text(json.dumps(data))
    with pytest.raises(DecisionFileError, match="threshold"):
        load_decision(path)


def test_logistic_regression_recovers_a_known_rule():
    rng = random.Random(1)
    xs = [(rng.uniform(-3, 3), rng.uniform(-3, 3)) for _ in range(400)]
    ys = [x[0] - 0.5 * x[1] + rng.gauss(0, 0.3) > 0 for x in xs]
    model = fit_logistic(xs, ys, l2=0.01)
    assert model.probability((2.0, 0.0)) > 0.95
    assert model.probability((-2.0, 0.0)) < 0.05
    assert model.probability((0.0, -3.0)) > 0.9  # the second feature counts, negatively


def _synthetic(seed: int) -> list[Example]:
    """Top score high for in-scope rows with the right top topic, low for the rest."""
    rng = random.Random(seed)
    noise = random.Random(seed + 1)  # its own stream: the rows stay the same as features come
    data = []
    for tag in ["inscope"] * 400 + ["near-oos"] * 120 + ["chatter"] * 120:
        right = tag == "inscope" and rng.random() < 0.8
        top = rng.uniform(0.6, 1.0) if right else rng.uniform(0.0, 0.7)
        values = [top] + [noise.random() for _ in FEATURES[1:]]
        data.append(Example(tuple(values), tag, right, right or rng.random() < 0.3))
    return data


def test_the_fit_separates_and_prefers_refusing_to_answering_out_of_scope():
    result = fit(_synthetic(3), FitConfig(folds=4))
    assert result.cv["near_oos_answered"] <= 0.05 and result.cv["chatter_answered"] <= 0.02
    assert result.cv["inscope_answered_right"] >= 0.5
    calibration = result.calibration
    assert sum(row["count"] for row in calibration) == 640
    assert calibration[-1]["right"] > calibration[0]["right"]
    model = result.model
    assert model.decide(tuple([0.98] + [0.5] * (len(FEATURES) - 1)))[0] == "answer"
    assert model.decide(tuple([0.05] + [0.5] * (len(FEATURES) - 1)))[0] != "answer"


def test_the_fit_is_reproducible():
    a, b = fit(_synthetic(5)), fit(_synthetic(5))
    assert a.model == b.model
    assert folds(10, 3, seed=1) == folds(10, 3, seed=1) != folds(10, 3, seed=2)


def test_the_shipped_decision_is_the_one_the_shipped_data_produce(monkeypatch):
    """The decision file was fitted on today's data by today's code: the same training files,
    FAQ, lexicon, phrases and example questions (by hash), the same fit settings, and the
    engine still reads the recorded probe rows as it did then. The fit itself is deterministic
    (test_the_fit_is_reproducible). If this fails, run `faqbot fit`."""
    monkeypatch.chdir(ROOT)
    fitted_on = json.loads(DECISION_PATH.read_text())["fitted_on"]
    recorded = [entry["path"] for entry in fitted_on["files"]]
    assert recorded == [str(p) for p in expand_paths(list(DEFAULT_TRAINING))]
    for entry in fitted_on["files"]:
        assert entry["sha256"] == sha256(Path(entry["path"])), f"{entry['path']} changed"
    inputs = fit_inputs(DEFAULT_FAQ_PATH)
    assert "lexicon" in inputs and any(name.startswith(EXAMPLES_DIRNAME) for name in inputs)
    assert fitted_on["inputs"] == {name: sha256(path) for name, path in inputs.items()}
    assert fitted_on["settings"]["folds"] == DEFAULT_FIT.folds
    assert fitted_on["settings"]["l2"] == DEFAULT_FIT.l2
    engine = Engine.from_path()
    rows = {(r.source, r.line): r for p in recorded for r in read_eval_file(p)}
    assert len(fitted_on["probe"]) >= 50
    for entry in fitted_on["probe"]:
        example = example_of(engine, rows[entry["path"], entry["line"]])
        assert example is not None
        assert example.features == pytest.approx(entry["features"], abs=2e-6), entry
