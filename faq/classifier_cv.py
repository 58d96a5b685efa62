"""Chooses the classifier's ridge penalty and its share of the ranking score by cross-validation
on the FAQ's own phrasings: `python -m faq.classifier_cv [FAQ]`.

The phrasings are dealt into folds by a hash of their folded text, so a phrasing written the
same way in two languages (or twice) is held out everywhere at once and never in its own
training fold. For each fold an engine is built on the FAQ without the held-out phrasings
(titles always stay), which ranks them; the table gives the share ranked first and in the top
3 for each penalty and share. Dev and sealed evaluation rows play no part in that choice.

`python -m faq.classifier_cv --ranking FILE...` prints, per evaluation file, how often the
expected topic of its in-scope rows is ranked first and in the top 3 by the lexical score
alone, the classifier alone and the engine's blend of the two (for dev files only: it reads
the rows).
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from faq.classifier import blend
from faq.config import DEFAULT_CONFIG, MatchConfig
from faq.engine import Engine
from faq.evaluation import analyse_row
from faq.loader import load_faq
from faq.matcher import rank
from faq.model import DEFAULT_FAQ_PATH, Faq, Topic
from faq.normalize import words
from faq.rows import INSCOPE, EvalRow, expand_paths, read_eval_file, text_fold

PENALTIES = (0.03, 0.1, 0.3, 1.0, 3.0)
LEARNED_WEIGHTS = (0.0, 0.3, 0.5, 0.7, 0.85, 1.0)


def without(faq: Faq, folds: int, held_out: int) -> Faq:
    """`faq` without the phrasings of fold `held_out`."""
    topics = {
        topic_id: Topic(
            topic.id,
            {
                lang: dataclasses.replace(
                    text,
                    phrasings=tuple(p for p in text.phrasings if text_fold(p, folds) != held_out),
                )
                for lang, text in topic.texts.items()
            },
            topic.related,
            topic.sources,
        )
        for topic_id, topic in faq.topics.items()
    }
    return Faq(topics, faq.path, faq.common)


def cross_validate(
    faq: Faq,
    config: MatchConfig = DEFAULT_CONFIG,
    folds: int = 5,
    penalties: Sequence[float] = PENALTIES,
    learned_weights: Sequence[float] = LEARNED_WEIGHTS,
) -> dict[tuple[float, float], tuple[float, float]]:
    """(penalty, learned share) -> (share ranked first, share in the top 3) of the held-out
    phrasings."""
    first: dict[tuple[float, float], int] = dict.fromkeys(
        ((p, w) for p in penalties for w in learned_weights), 0
    )
    top3 = dict(first)
    asked = 0
    for held_out in range(folds):
        questions = [
            (number, phrasing)
            for number, topic in enumerate(faq.topics.values())
            for text in topic.texts.values()
            for phrasing in text.phrasings
            if text_fold(phrasing, folds) == held_out
        ]
        asked += len(questions)
        reduced = without(faq, folds, held_out)
        for penalty in penalties:
            engine = Engine(reduced, dataclasses.replace(config, classifier_l2=penalty))
            assert engine.classifier is not None
            for expected, question in questions:
                terms = engine.analyzer.terms(question)
                lexical = [
                    (engine.index.topic_number[s.topic_id], s.score)
                    for s in rank(engine.index, terms)
                ]
                learned = engine.classifier.scores(words(question), terms)
                for weight in learned_weights:
                    order = [t for t, _ in blend(lexical, learned.copy(), weight)]
                    first[penalty, weight] += order[0] == expected
                    top3[penalty, weight] += expected in order[:3]
    return {key: (first[key] / asked, top3[key] / asked) for key in first}


def ranking_figures(engine: Engine, rows: Sequence[EvalRow]) -> dict[str, tuple[float, float]]:
    """ "lexical", "learned", "blended" -> (share ranked first, share in the top 3) of the
    expected topics of the in-scope rows (a follow-up read with its previous question)."""
    hits = {name: [0, 0] for name in ("lexical", "learned", "blended")}
    inscope = [row for row in rows if row.tag == INSCOPE and row.expected in engine.faq.topics]
    for row in inscope:
        analysis = analyse_row(engine, row)
        terms = list(analysis.terms)
        orders = {
            "lexical": [s.topic_id for s in rank(engine.index, terms)],
            "blended": [s.topic_id for s in analysis.ranked],
        }
        if engine.classifier is not None and terms:
            learned = engine.classifier.scores(words(row.question), terms)
            ids = engine.index.topic_ids
            orders["learned"] = [ids[t] for t in np.argsort(-learned, kind="stable").tolist()]
        for name, order in orders.items():
            hits[name][0] += order[:1] == [row.expected]
            hits[name][1] += row.expected in order[:3]
    count = len(inscope) or 1
    return {name: (first / count, top3 / count) for name, (first, top3) in hits.items()}


def print_ranking(patterns: Sequence[str]) -> None:
    engine = Engine.from_path()
    print(f"{'file':<34}{'rows':>5}{'lexical':>16}{'learned':>16}{'blended':>16}")
    for path in expand_paths(list(patterns)):
        rows = read_eval_file(path, set(engine.faq.topics))
        figures = ranking_figures(engine, rows)
        count = sum(row.tag == INSCOPE for row in rows)
        cells = "".join(f"{a:>8.1%}/{b:<7.1%}" for a, b in figures.values())
        print(f"{path!s:<34}{count:>5}{cells}")
    print("(in-scope rows: expected topic ranked first / in the top 3)")


def print_cross_validation(path: Path) -> None:
    figures = cross_validate(load_faq(path))
    weights = sorted({w for _, w in figures})
    print("held-out FAQ phrasings ranked first / in the top 3, by ridge penalty (rows) and")
    print("the classifier's share of the ranking score (columns; 0 = lexical only)")
    print("penalty " + "".join(f"{w:>14}" for w in weights))
    for penalty in sorted({p for p, _ in figures}):
        cells = "".join(
            f"{figures[penalty, w][0]:>7.1%}/{figures[penalty, w][1]:<6.1%}" for w in weights
        )
        print(f"{penalty:<8}{cells}")
    best = max(figures, key=figures.__getitem__)
    print(f"best: penalty {best[0]}, classifier share {best[1]}")


def main(argv: Sequence[str] = ()) -> int:
    if argv and argv[0] == "--ranking":
        print_ranking(argv[1:])
    else:
        print_cross_validation(Path(argv[0]) if argv else DEFAULT_FAQ_PATH)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
