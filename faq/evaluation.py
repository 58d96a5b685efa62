"""Evaluation of the engine on TSV files of rows
`lang<TAB>expected<TAB>question[<TAB>tag[<TAB>previous]]`.

`lang` is id, ms, en, or several joined by "/" when each is right; `expected` is a topic id,
"-" for out of scope, or "*" to score the reply language only. `tag` is "inscope", "near-oos"
or "chatter" (left out or empty: "near-oos" for "-", else "inscope"); `previous` is an earlier
question in the same chat, asked first, so the row's question is a follow-up to it.
"""

from __future__ import annotations

import glob
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from faq.conversation import Conversation
from faq.engine import Analysis, Engine, Reply
from faq.model import LANGS

OUT_OF_SCOPE = "-"
LANGUAGE_ONLY = "*"
INSCOPE, NEAR_OOS, CHATTER = "inscope", "near-oos", "chatter"
TAGS = (INSCOPE, NEAR_OOS, CHATTER)


class EvalFileError(ValueError):
    """A malformed evaluation file; the message names the file and line."""


@dataclass(frozen=True)
class EvalRow:
    line: int
    langs: tuple[str, ...]
    expected: str
    question: str
    tag: str = INSCOPE
    previous: str | None = None
    source: str = ""
    """The file the row comes from."""


@dataclass(frozen=True)
class EvalResult:
    row: EvalRow
    reply: Reply
    analysis: Analysis | None
    """How the engine read the question (None for a baseline)."""

    @property
    def in_scope(self) -> bool:
        return self.row.expected not in (OUT_OF_SCOPE, LANGUAGE_ONLY)

    @property
    def answered(self) -> bool:
        return self.reply.status == "answer"

    @property
    def topic_right(self) -> bool:
        """In scope: answered with the expected topic. Out of scope: not answered."""
        if self.row.expected == LANGUAGE_ONLY:
            return True
        if self.row.expected == OUT_OF_SCOPE:
            return not self.answered
        return self.answered and self.reply.topic_id == self.row.expected

    @property
    def offered(self) -> bool:
        """The expected topic was answered or among the suggestions."""
        return self.reply.topic_id == self.row.expected or self.row.expected in (
            self.reply.suggestions
        )

    @property
    def lang_right(self) -> bool:
        return self.reply.lang in self.row.langs


@dataclass(frozen=True)
class Metrics:
    rows: int
    in_scope: int
    in_scope_answered_right: int
    in_scope_offered: int
    """Expected topic answered or suggested."""
    in_scope_answered_wrong: int
    near_oos: int
    near_oos_answered: int
    chatter: int
    chatter_answered: int
    lang_right: int

    @property
    def in_scope_accuracy(self) -> float:
        return _share(self.in_scope_answered_right, self.in_scope)

    @property
    def offered_rate(self) -> float:
        return _share(self.in_scope_offered, self.in_scope)

    @property
    def in_scope_wrong_rate(self) -> float:
        return _share(self.in_scope_answered_wrong, self.in_scope, empty=0.0)

    @property
    def near_oos_answer_rate(self) -> float:
        return _share(self.near_oos_answered, self.near_oos, empty=0.0)

    @property
    def chatter_answer_rate(self) -> float:
        return _share(self.chatter_answered, self.chatter, empty=0.0)

    @property
    def out_of_scope_false_answer_rate(self) -> float:
        """Near-domain and chatter together."""
        answered = self.near_oos_answered + self.chatter_answered
        return _share(answered, self.near_oos + self.chatter, empty=0.0)

    @property
    def language_accuracy(self) -> float:
        return _share(self.lang_right, self.rows)

    def as_json(self) -> dict[str, float | int]:
        return {
            "rows": self.rows,
            "in_scope": self.in_scope,
            "in_scope_accuracy": round(self.in_scope_accuracy, 4),
            "in_scope_offered": round(self.offered_rate, 4),
            "in_scope_answered_wrong": round(self.in_scope_wrong_rate, 4),
            "near_oos": self.near_oos,
            "near_oos_answered": round(self.near_oos_answer_rate, 4),
            "chatter": self.chatter,
            "chatter_answered": round(self.chatter_answer_rate, 4),
            "language_accuracy": round(self.language_accuracy, 4),
        }

    def lines(self) -> list[str]:
        """The figures, one per line, for people."""
        return [
            f"rows: {self.rows}",
            f"inscope answered with the right topic: {self.in_scope_accuracy:.1%} "
            f"({self.in_scope_answered_right}/{self.in_scope})",
            f"inscope right topic answered or suggested (top 3): {self.offered_rate:.1%} "
            f"({self.in_scope_offered}/{self.in_scope})",
            f"inscope answered with a wrong topic: {self.in_scope_wrong_rate:.1%} "
            f"({self.in_scope_answered_wrong}/{self.in_scope})",
            f"near-oos answered: {self.near_oos_answer_rate:.1%} "
            f"({self.near_oos_answered}/{self.near_oos})",
            f"chatter answered: {self.chatter_answer_rate:.1%} "
            f"({self.chatter_answered}/{self.chatter})",
            f"reply language right: {self.language_accuracy:.1%} ({self.lang_right}/{self.rows})",
        ]


def _share(part: int, whole: int, empty: float = 1.0) -> float:
    return part / whole if whole else empty


def expand_paths(patterns: list[str]) -> list[Path]:
    """Files named or matched by glob patterns, in order, each once; EvalFileError if a
    pattern matches nothing."""
    found: dict[Path, None] = {}
    for pattern in patterns:
        matches = sorted(glob.glob(pattern)) if glob.has_magic(pattern) else [pattern]
        if not matches:
            raise EvalFileError(f"{pattern}: no such file")
        found.update((Path(m), None) for m in matches)
    return list(found)


def read_eval_file(path: Path | str, known_topics: set[str] | None = None) -> list[EvalRow]:
    """Parse an evaluation TSV; raise EvalFileError naming the first bad line."""
    rows: list[EvalRow] = []
    with Path(path).open(encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            rows.append(_parse_row(str(path), number, line, known_topics))
    return rows


def _parse_row(path: str, number: int, line: str, known_topics: set[str] | None) -> EvalRow:
    fields = [f.strip() for f in line.split("\t")]
    if not 3 <= len(fields) <= 5:
        raise EvalFileError(
            f"{path}:{number}: expected 3 to 5 tab-separated fields, got {len(fields)}"
        )
    lang_field, expected, question = fields[:3]
    langs = tuple(lang_field.split("/"))
    if not all(lang in LANGS for lang in langs):
        raise EvalFileError(f"{path}:{number}: unknown language {lang_field!r}")
    special = (OUT_OF_SCOPE, LANGUAGE_ONLY)
    if known_topics is not None and expected not in special and expected not in known_topics:
        raise EvalFileError(f"{path}:{number}: unknown topic id {expected!r}")
    tag = fields[3] if len(fields) > 3 and fields[3] else None
    if tag is None:
        tag = NEAR_OOS if expected == OUT_OF_SCOPE else INSCOPE
    if tag not in TAGS:
        raise EvalFileError(f"{path}:{number}: unknown tag {tag!r} (one of {', '.join(TAGS)})")
    if (tag == INSCOPE) == (expected == OUT_OF_SCOPE):
        raise EvalFileError(f"{path}:{number}: tag {tag!r} does not fit expected {expected!r}")
    previous = fields[4] if len(fields) > 4 and fields[4] else None
    return EvalRow(number, langs, expected, question, tag, previous, path)


def read_eval_files(paths: list[Path], known_topics: set[str] | None = None) -> list[EvalRow]:
    return [row for path in paths for row in read_eval_file(path, known_topics)]


def analyse_row(engine: Engine, row: EvalRow) -> Analysis:
    """The engine's reading of the row's question in a fresh chat (after the previous question,
    for a follow-up row)."""
    conversation = Conversation(engine.config.follow_up_seconds)
    if row.previous:
        engine.remember(
            conversation, engine.analyse(row.previous, conversation=conversation, now=0.0), 0.0
        )
    return engine.analyse(row.question, conversation=conversation, now=1.0)


class Answerer(Protocol):
    """The engine, or a baseline `faqbot bench` scores the same way."""

    def ask(self, text: str) -> Reply: ...


def run_row(engine: Answerer, row: EvalRow) -> EvalResult:
    """The reply to the row, as a fresh chat would get it (a baseline has no conversation)."""
    if not isinstance(engine, Engine):
        return EvalResult(row, engine.ask(row.question), None)
    analysis = analyse_row(engine, row)
    return EvalResult(row, engine.decide(analysis), analysis)


def evaluate(engine: Answerer, rows: list[EvalRow]) -> tuple[list[EvalResult], Metrics]:
    results = [run_row(engine, row) for row in rows]
    return results, metrics_of(results)


def metrics_of(results: list[EvalResult]) -> Metrics:
    in_scope = [r for r in results if r.in_scope]
    near = [r for r in results if r.row.tag == NEAR_OOS]
    chatter = [r for r in results if r.row.tag == CHATTER]
    return Metrics(
        rows=len(results),
        in_scope=len(in_scope),
        in_scope_answered_right=sum(r.topic_right for r in in_scope),
        in_scope_offered=sum(r.offered for r in in_scope),
        in_scope_answered_wrong=sum(r.answered and not r.topic_right for r in in_scope),
        near_oos=len(near),
        near_oos_answered=sum(r.answered for r in near),
        chatter=len(chatter),
        chatter_answered=sum(r.answered for r in chatter),
        lang_right=sum(r.lang_right for r in results),
    )
