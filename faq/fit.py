"""`faqbot fit`: fits the decision (faq/decision.py) to tagged evaluation rows.

Reproducible: the rows are folded in a fixed order (seeded shuffle), every fit is a plain
Newton-Raphson logistic regression (no randomness), and the probability thresholds are the
ones whose out-of-fold decisions cost least, where a wrong answer to chatter or a near-domain
question costs far more than a suggestion instead of an answer (FitConfig).
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from faq.config import DEFAULT_FIT, FitConfig
from faq.decision import DecisionModel, Logistic
from faq.engine import Engine
from faq.evaluation import BANDS, analyse_row, band_of
from faq.frontdoor import PHRASES_PATH
from faq.lexicon import LEXICON_PATH
from faq.matcher import suggestions
from faq.model import EXAMPLES_DIRNAME
from faq.rows import CHATTER, INSCOPE, LANGUAGE_ONLY, NEAR_OOS, OUT_OF_SCOPE, EvalRow, text_fold


@dataclass(frozen=True)
class Example:
    features: tuple[float, ...]
    tag: str
    top_right: bool
    """In scope and the top-ranked topic is the expected one."""
    offered: bool
    """In scope and the expected topic is among the suggestions."""
    band: str = ""
    """For in-scope rows: short, longer or follow-up (faq.evaluation.band_of)."""


def example_of(engine: Engine, row: EvalRow) -> Example | None:
    """The row's decision features and outcome; None for a row that never reaches the decision
    (small talk, or a language-only row)."""
    if row.expected == LANGUAGE_ONLY:
        return None
    analysis = analyse_row(engine, row)
    if analysis.kind not in ("question", "statement"):
        return None
    ranked = list(analysis.ranked)
    top = ranked[0].topic_id if ranked else None
    inscope = row.tag == INSCOPE
    return Example(
        analysis.features,
        row.tag,
        inscope and top == row.expected,
        inscope and row.expected in suggestions(engine.index, ranked),
        band_of(row) if inscope else "",
    )


def examples(engine: Engine, rows: Sequence[EvalRow], folds: int) -> list[Example]:
    """The rows' examples, each read by an engine whose classifier did not learn from the
    row's fold of the FAQ's example questions: the classifier is sure of what it was trained
    on, and a decision fitted on such features would answer new questions too readily."""
    found: list[Example | None] = [None] * len(rows)
    for held_out in range(folds):
        kept = tuple(e for e in engine.faq.examples if text_fold(e[0], folds) != held_out)
        held = len(kept) < len(engine.faq.examples)
        reader = engine.with_faq(dataclasses.replace(engine.faq, examples=kept)) if held else engine
        for number, row in enumerate(rows):
            if text_fold(row.question, folds) == held_out:
                found[number] = example_of(reader, row)
    return [e for e in found if e is not None]


def fit_logistic(
    xs: Sequence[tuple[float, ...]], ys: Sequence[bool], l2: float, iterations: int = 50
) -> Logistic:
    """L2-regularised logistic regression on standardised features, by Newton-Raphson."""
    raw = np.asarray(xs, dtype=np.float64)
    target = np.asarray(ys, dtype=np.float64)
    means = raw.mean(axis=0)
    scales = raw.std(axis=0)
    scales[scales == 0] = 1.0
    rows = np.hstack([np.ones((len(raw), 1)), (raw - means) / scales])
    shrink = np.full(rows.shape[1], l2)
    shrink[0] = 0.0  # the bias is not shrunk
    beta = np.zeros(rows.shape[1])
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(rows @ beta)))
        gradient = rows.T @ (p - target) + shrink * beta
        hessian = (rows * np.maximum(p * (1 - p), 1e-9)[:, None]).T @ rows + np.diag(shrink)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-9:
            break
    return Logistic(
        tuple(beta[1:].tolist()), float(beta[0]), tuple(means.tolist()), tuple(scales.tolist())
    )


def folds(count: int, k: int, seed: int) -> list[int]:
    """The fold of each of `count` rows: a seeded shuffle dealt round-robin."""
    order = list(range(count))
    random.Random(seed).shuffle(order)
    fold_of = [0] * count
    for position, index in enumerate(order):
        fold_of[index] = position % k
    return fold_of


def out_of_fold(data: list[Example], label: str, config: FitConfig) -> list[float]:
    """Each example's probability from a model fitted without its fold."""
    fold_of = folds(len(data), config.folds, config.seed)
    result = [0.0] * len(data)
    for fold in range(config.folds):
        train = [e for e, f in zip(data, fold_of, strict=True) if f != fold]
        model = fit_logistic(
            [e.features for e in train], [getattr(e, label) for e in train], config.l2
        )
        for i, (example, f) in enumerate(zip(data, fold_of, strict=True)):
            if f == fold:
                result[i] = model.probability(example.features)
    return result


def answer_cost(example: Example, answers: bool, config: FitConfig) -> float:
    """What answering (or not) an in-scope example costs; out of scope is held to a ceiling
    instead (answer_threshold)."""
    if answers:
        return 0.0 if example.top_right else config.cost_wrong_answer
    return config.cost_missed_answer


def suggest_cost(example: Example, suggests: bool, config: FitConfig) -> float:
    if example.offered:
        return 0.0 if suggests else config.cost_missed_suggestion
    return config.cost_needless_suggestion if suggests else 0.0


def answer_threshold(
    data: list[Example], p: list[float], grid: list[float], config: FitConfig
) -> float:
    """The threshold on P(top topic right) that costs in-scope questions least while out-of-fold
    near-domain and chatter answers stay within their ceilings; the highest if none does."""
    inscope = [(e, q) for e, q in zip(data, p, strict=True) if e.tag == INSCOPE]
    near = [q for e, q in zip(data, p, strict=True) if e.tag == NEAR_OOS]
    chatter = [q for e, q in zip(data, p, strict=True) if e.tag == CHATTER]

    def within(t: float) -> bool:
        return sum(q >= t for q in near) <= config.max_near_oos_answered * len(near) and sum(
            q >= t for q in chatter
        ) <= config.max_chatter_answered * len(chatter)

    allowed = [t for t in grid if within(t)] or [grid[-1]]
    return best_threshold(
        {t: sum(answer_cost(e, q >= t, config) for e, q in inscope) for t in allowed}
    )


def best_threshold(costs_at: dict[float, float]) -> float:
    """The cheapest threshold; among equally cheap ones the highest (the most careful)."""
    return min(costs_at, key=lambda t: (round(costs_at[t], 9), -t))


def _grid(config: FitConfig) -> list[float]:
    steps = round((config.threshold_max - config.threshold_min) / config.threshold_step)
    return [round(config.threshold_min + i * config.threshold_step, 4) for i in range(steps + 1)]


@dataclass(frozen=True)
class FitResult:
    model: DecisionModel
    cv: dict[str, float | int]
    calibration: list[dict[str, float | int]]


def fit(data: list[Example], config: FitConfig = DEFAULT_FIT) -> FitResult:
    if not any(e.top_right for e in data) or all(e.top_right for e in data):
        raise ValueError("the rows must include both right and wrong top topics to fit on")
    p_answer = out_of_fold(data, "top_right", config)
    p_suggest = out_of_fold(data, "offered", config)
    grid = _grid(config)
    t_answer = answer_threshold(data, p_answer, grid, config)
    unanswered = [
        (e, p) for e, p, pa in zip(data, p_suggest, p_answer, strict=True) if pa < t_answer
    ]
    t_suggest = best_threshold(
        {t: sum(suggest_cost(e, p >= t, config) for e, p in unanswered) for t in grid}
    )
    xs = [e.features for e in data]
    model = DecisionModel(
        answer=_rounded(fit_logistic(xs, [e.top_right for e in data], config.l2)),
        suggest=_rounded(fit_logistic(xs, [e.offered for e in data], config.l2)),
        answer_threshold=t_answer,
        suggest_threshold=t_suggest,
    )
    return FitResult(model, _cv_figures(data, p_answer, t_answer), calibration(data, p_answer))


def _rounded(model: Logistic) -> Logistic:
    """Parameters to 6 decimals: the file is stable across platforms' last-bit differences."""

    def r(values: tuple[float, ...]) -> tuple[float, ...]:
        return tuple(round(v, 6) for v in values)

    return Logistic(r(model.weights), round(model.bias, 6), r(model.means), r(model.scales))


def _cv_figures(data: list[Example], p: list[float], threshold: float) -> dict[str, float | int]:
    def share(part: int, whole: int) -> float:
        return round(part / whole, 4) if whole else 0.0

    inscope = [(e, q) for e, q in zip(data, p, strict=True) if e.tag == INSCOPE]
    near = [q for e, q in zip(data, p, strict=True) if e.tag == NEAR_OOS]
    chatter = [q for e, q in zip(data, p, strict=True) if e.tag == CHATTER]
    return {
        "rows": len(data),
        "inscope": len(inscope),
        "inscope_answered_right": share(
            sum(e.top_right and q >= threshold for e, q in inscope), len(inscope)
        ),
        "inscope_answered_wrong": share(
            sum(not e.top_right and q >= threshold for e, q in inscope), len(inscope)
        ),
        "near_oos": len(near),
        "near_oos_answered": share(sum(q >= threshold for q in near), len(near)),
        "chatter": len(chatter),
        "chatter_answered": share(sum(q >= threshold for q in chatter), len(chatter)),
        **{
            f"inscope_answered_right_{band}": share(
                sum(e.top_right and q >= threshold for e, q in members), len(members)
            )
            for band in BANDS
            if (members := [(e, q) for e, q in inscope if e.band == band])
        },
    }


def calibration(
    data: list[Example], p: list[float], bins: int = 10
) -> list[dict[str, float | int]]:
    """Per out-of-fold confidence bin: how many rows, and the share whose top topic was right."""
    table = []
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        members = [
            e
            for e, q in zip(data, p, strict=True)
            if low <= q < high or (b == bins - 1 and q == 1.0)
        ]
        right = sum(e.top_right for e in members)
        table.append(
            {
                "from": low,
                "to": high,
                "count": len(members),
                "right": round(right / len(members), 4) if members else 0.0,
            }
        )
    return table


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def record(
    paths: list[Path],
    rows_per_file: list[int],
    inputs: dict[str, Path],
    result: FitResult,
    config: FitConfig,
) -> dict[str, object]:
    """What the model was fitted on and how it did, for the decision file."""
    return {
        "files": [
            {"path": str(p), "rows": n, "sha256": sha256(p)}
            for p, n in zip(paths, rows_per_file, strict=True)
        ],
        "inputs": {name: sha256(path) for name, path in inputs.items()},
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "settings": {
            "folds": config.folds,
            "seed": config.seed,
            "l2": config.l2,
            "costs": {
                "wrong_answer": config.cost_wrong_answer,
                "missed_answer": config.cost_missed_answer,
                "max_near_oos_answered": config.max_near_oos_answered,
                "max_chatter_answered": config.max_chatter_answered,
                "missed_suggestion": config.cost_missed_suggestion,
                "needless_suggestion": config.cost_needless_suggestion,
            },
        },
        "cross_validation": result.cv,
        "calibration": result.calibration,
    }


def fit_inputs(faq_path: Path) -> dict[str, Path]:
    """The files besides the fitting rows that the fit reads: the FAQ, the lexicon, the
    phrases and the example questions beside the FAQ."""
    examples_dir = faq_path.parent / EXAMPLES_DIRNAME
    return {
        "faq": faq_path,
        "lexicon": LEXICON_PATH,
        "phrases": PHRASES_PATH,
        **{
            f"{EXAMPLES_DIRNAME}/{p.relative_to(examples_dir).as_posix()}": p
            for p in sorted(examples_dir.rglob("*.tsv"))
        },
    }


def probe(engine: Engine, rows: Sequence[EvalRow]) -> list[dict[str, object]]:
    """How `engine` reads some of the rows: the staleness test reads them again, and a change
    of the code that computes the features shows as a difference."""
    found = []
    for row in rows:
        example = example_of(engine, row)
        if example is not None:
            features = [round(v, 6) for v in example.features]
            found.append({"path": row.source, "line": row.line, "features": features})
    return found


def fit_decision_file(
    engine: Engine,
    paths: list[Path],
    rows: list[list[EvalRow]],
    faq_path: Path,
    output: Path,
    config: FitConfig = DEFAULT_FIT,
) -> str:
    """Fit on the rows of `paths`, write the model and its record to `output`; the report."""
    topics = set(engine.faq.topics) | {OUT_OF_SCOPE, LANGUAGE_ONLY}
    usable = [[row for row in per_file if row.expected in topics] for per_file in rows]
    skipped = sum(len(a) - len(b) for a, b in zip(rows, usable, strict=True))
    all_rows = [row for per_file in usable for row in per_file]
    data = examples(engine, all_rows, config.folds)
    result = fit(data, config)
    document = {
        "model": result.model.as_json(),
        "fitted_on": {
            **record(paths, [len(r) for r in usable], fit_inputs(faq_path), result, config),
            "probe": probe(engine, all_rows[:: config.probe_every]),
        },
    }
    output.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    note = f"\nskipped {skipped} row(s) whose topic the FAQ does not have" if skipped else ""
    return report(result, output) + note


def report(result: FitResult, output: Path) -> str:
    model, cv = result.model, result.cv
    lines = [
        f"wrote {output}",
        f"thresholds: answer when P(right) >= {model.answer_threshold:.2f}; "
        f"suggest when P(right topic suggested) >= {model.suggest_threshold:.2f}",
        f"cross-validated ({cv['rows']} rows): inscope answered right "
        f"{cv['inscope_answered_right']:.1%}, answered wrong {cv['inscope_answered_wrong']:.1%}; "
        f"near-oos answered {cv['near_oos_answered']:.1%}; "
        f"chatter answered {cv['chatter_answered']:.1%}",
        "cross-validated inscope answered right by band: "
        + ", ".join(
            f"{band} {cv[key]:.1%}"
            for band in BANDS
            if isinstance(cv.get(key := f"inscope_answered_right_{band}"), float)
        ),
        "calibration (out-of-fold P(top topic right)):",
        "  bin          count  share right",
    ]
    for row in result.calibration:
        lines.append(
            f"  {row['from']:.1f}-{row['to']:.1f}    {row['count']:>6}  {row['right']:.1%}"
        )
    return "\n".join(lines)
