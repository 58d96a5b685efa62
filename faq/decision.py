"""The fitted decision: answer, suggest ("did you mean") or refuse.

Two logistic models over features that carry over to unseen questions: P(the top topic is
right), which an answer needs, and P(the right topic is among the suggestions), which
suggestions need. Their weights and probability thresholds are fitted by `faqbot fit`
(faq/fit.py) and read from faq/data/decision.json.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

DECISION_PATH = Path(__file__).parent / "data" / "decision.json"
DEFAULT_TRAINING = (
    "tests/data/dev.tsv",
    "tests/data/validation.tsv",
    "faq/data/examples/*.tsv",
    "faq/data/examples/unranked/*.tsv",
)
"""What `faqbot fit` fits on by default (paths from the repository's top)."""

FEATURES = (
    "top_score",
    "margin",
    "runner_up_ratio",
    "explained",
    "explained_known",
    "unknown_share",
    "asks",
    "question_mark",
    "log_words",
    "log_terms",
    "unanswered_intent",
    "only_asks",
    "follow_up",
    "learned_top",
    "learned_lead",
    "lexical_top",
    "asking",
    "scope",
    "asking_in_question",
    "asking_strength",
    "scope_strength",
)
"""Names of the feature values, in order (see faq.engine.Engine.features); "learned_top",
"learned_lead" and "lexical_top" are the classifier's view of the top topic: its learned score,
its lead over the next, its lexical score; "asking" and "scope" are the evidence that the text
asks rather than chats, and asks what the FAQ answers rather than something near it
(faq/tagevidence.py). The last three let a linear model weigh that evidence as it works:
"asking_in_question" is "asking" for a text the front door reads as a question (0 otherwise),
since chat words in a question mean less than in a statement ("makasih, trus bpo itu apa?");
the "_strength" ones are the evidence's signed square over its clip, so clear evidence counts
more than its share of a straight line (cross-validated in-scope answers 93.4% -> 95.0% at the
same near-domain and chatter ceilings)."""


Verdict = Literal["answer", "suggest", "none"]
"""Answer the top topic, suggest a few, or none (out of scope)."""


class DecisionFileError(ValueError):
    """A missing or malformed decision file; the message names the file and the problem."""


@dataclass(frozen=True)
class Logistic:
    """P(label) = sigmoid(bias + sum(weight * (x - mean) / scale))."""

    weights: tuple[float, ...]
    bias: float
    means: tuple[float, ...]
    scales: tuple[float, ...]

    def probability(self, values: tuple[float, ...]) -> float:
        z = self.bias
        for value, weight, mean, scale in zip(
            values, self.weights, self.means, self.scales, strict=True
        ):
            z += weight * (value - mean) / scale
        return sigmoid(z)

    def as_json(self) -> dict[str, object]:
        return {
            "weights": dict(zip(FEATURES, self.weights, strict=True)),
            "bias": self.bias,
            "means": dict(zip(FEATURES, self.means, strict=True)),
            "scales": dict(zip(FEATURES, self.scales, strict=True)),
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Logistic:
        def per_feature(key: str) -> tuple[float, ...]:
            table = data[key]
            if not isinstance(table, dict) or set(table) != set(FEATURES):
                raise ValueError(f"{key!r} must give a number for each of {', '.join(FEATURES)}")
            return tuple(float(table[name]) for name in FEATURES)

        scales = per_feature("scales")
        if any(scale <= 0 for scale in scales):
            raise ValueError("every scale must be positive")
        return cls(per_feature("weights"), float(data["bias"]), per_feature("means"), scales)  # type: ignore[arg-type]


def sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@dataclass(frozen=True)
class DecisionModel:
    answer: Logistic
    """P(the top-ranked topic is the right one)."""
    suggest: Logistic
    """P(the right topic is among the top suggestions)."""
    answer_threshold: float
    suggest_threshold: float

    def decide(self, values: tuple[float, ...]) -> tuple[Verdict, float]:
        """("answer" | "suggest" | "none", P(top topic right))."""
        confidence = self.answer.probability(values)
        if confidence >= self.answer_threshold:
            return "answer", confidence
        if self.suggest.probability(values) >= self.suggest_threshold:
            return "suggest", confidence
        return "none", confidence

    def as_json(self) -> dict[str, object]:
        return {
            "features": list(FEATURES),
            "answer": {**self.answer.as_json(), "threshold": self.answer_threshold},
            "suggest": {**self.suggest.as_json(), "threshold": self.suggest_threshold},
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> DecisionModel:
        answer, suggest = data["answer"], data["suggest"]
        if not isinstance(answer, dict) or not isinstance(suggest, dict):
            raise ValueError("'answer' and 'suggest' must be mappings")
        thresholds = float(answer["threshold"]), float(suggest["threshold"])
        if not all(0.0 <= t <= 1.0 for t in thresholds):
            raise ValueError("thresholds must be probabilities in [0, 1]")
        return cls(Logistic.from_json(answer), Logistic.from_json(suggest), *thresholds)


def load_decision(path: Path | str = DECISION_PATH) -> DecisionModel:
    """The model in `path` ({"model": ..., "fitted_on": ...}); DecisionFileError if unusable."""
    try:
        with Path(path).open(encoding="utf-8") as handle:
            data = json.load(handle)
        return DecisionModel.from_json(data["model"])
    except OSError as error:
        raise DecisionFileError(
            f"{path}: cannot read the decision file ({error.strerror})"
        ) from None
    except (ValueError, KeyError, TypeError) as error:
        message = f"missing {error}" if isinstance(error, KeyError) else str(error)
        raise DecisionFileError(f"{path}: {message}; re-create it with `faqbot fit`") from None


@cache
def default_decision() -> DecisionModel:
    return load_decision()
