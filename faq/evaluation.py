"""Evaluation of the engine on TSV files of `lang<TAB>expected<TAB>question` rows.

`lang` is id, ms, en, or several joined by "/" when each is right; `expected` is a
topic id, "-" for out of scope, or "*" to score the reply language only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from faq.engine import Reply
from faq.model import LANGS

OUT_OF_SCOPE = "-"
LANGUAGE_ONLY = "*"


class EvalFileError(ValueError):
    """A malformed evaluation file; the message names the file and line."""


@dataclass(frozen=True)
class EvalRow:
    line: int
    langs: tuple[str, ...]
    expected: str
    question: str


@dataclass(frozen=True)
class EvalResult:
    row: EvalRow
    reply: Reply

    @property
    def in_scope(self) -> bool:
        return self.row.expected not in (OUT_OF_SCOPE, LANGUAGE_ONLY)

    @property
    def topic_right(self) -> bool:
        """In scope: answered with the expected topic. Out of scope: not answered."""
        if self.row.expected == LANGUAGE_ONLY:
            return True
        if self.row.expected == OUT_OF_SCOPE:
            return self.reply.status != "answer"
        return self.reply.status == "answer" and self.reply.topic_id == self.row.expected

    @property
    def lang_right(self) -> bool:
        return self.reply.lang in self.row.langs


@dataclass(frozen=True)
class Metrics:
    rows: int
    in_scope: int
    in_scope_answered_right: int
    in_scope_suggested: int
    out_of_scope: int
    out_of_scope_answered: int
    lang_right: int

    @property
    def in_scope_accuracy(self) -> float:
        return _share(self.in_scope_answered_right, self.in_scope)

    @property
    def suggestion_hit_rate(self) -> float:
        """In-scope questions whose expected topic was among the suggestions."""
        return _share(self.in_scope_suggested, self.in_scope)

    @property
    def out_of_scope_false_answer_rate(self) -> float:
        return _share(self.out_of_scope_answered, self.out_of_scope)

    @property
    def language_accuracy(self) -> float:
        return _share(self.lang_right, self.rows)

    def as_json(self) -> dict[str, float | int]:
        return {
            "rows": self.rows,
            "in_scope": self.in_scope,
            "in_scope_accuracy": round(self.in_scope_accuracy, 4),
            "in_scope_suggestion_hits": round(self.suggestion_hit_rate, 4),
            "out_of_scope": self.out_of_scope,
            "out_of_scope_false_answers": round(self.out_of_scope_false_answer_rate, 4),
            "language_accuracy": round(self.language_accuracy, 4),
        }


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def read_eval_file(path: Path | str, known_topics: set[str] | None = None) -> list[EvalRow]:
    """Parse an evaluation TSV; raise EvalFileError naming the first bad line."""
    rows: list[EvalRow] = []
    with Path(path).open(encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != 3:
                raise EvalFileError(
                    f"{path}:{number}: expected 3 tab-separated fields, got {len(fields)}"
                )
            lang_field, expected, question = (f.strip() for f in fields)
            langs = tuple(lang_field.split("/"))
            if not all(lang in LANGS for lang in langs):
                raise EvalFileError(f"{path}:{number}: unknown language {lang_field!r}")
            special = (OUT_OF_SCOPE, LANGUAGE_ONLY)
            if (
                known_topics is not None
                and expected not in special
                and expected not in known_topics
            ):
                raise EvalFileError(f"{path}:{number}: unknown topic id {expected!r}")
            rows.append(EvalRow(number, langs, expected, question))
    return rows


class Answerer(Protocol):
    """The engine, or a baseline `faqbot bench` scores the same way."""

    def ask(self, text: str) -> Reply: ...


def evaluate(engine: Answerer, rows: list[EvalRow]) -> tuple[list[EvalResult], Metrics]:
    results = [EvalResult(row, engine.ask(row.question)) for row in rows]
    in_scope = [r for r in results if r.in_scope]
    out_of_scope = [r for r in results if r.row.expected == OUT_OF_SCOPE]
    metrics = Metrics(
        rows=len(results),
        in_scope=len(in_scope),
        in_scope_answered_right=sum(r.topic_right for r in in_scope),
        in_scope_suggested=sum(r.row.expected in r.reply.suggestions for r in in_scope),
        out_of_scope=len(out_of_scope),
        out_of_scope_answered=sum(r.reply.status == "answer" for r in out_of_scope),
        lang_right=sum(r.lang_right for r in results),
    )
    return results, metrics
