"""Quiz items beside the FAQ (faq/data/quiz.yaml): load and validate them, naming the file,
line, item and field of every problem, as the FAQ loader does.

The shape is declared as pydantic models; what they cannot say alone (lengths as Telegram
counts them, the right option's index, FAQ topics, verbatim source excerpts) is checked
after them. Length limits come from the caller: faq/ does not know Telegram's.
"""

from __future__ import annotations

import os
import random
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, StrictInt, StrictStr, ValidationError
from yaml.nodes import MappingNode, Node, SequenceNode

from faq.loader import YAML_LOADER, located
from faq.model import LANGS, SOURCES_DIR

DEFAULT_QUIZ_PATH = Path(__file__).parent / "data" / "quiz.yaml"
KEY_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MIN_OPTIONS = 3
MAX_OPTIONS = 4


@dataclass(frozen=True)
class QuizLimits:
    """Longest question, option and explanation allowed, in UTF-16 code units."""

    question: int
    option: int
    explanation: int


class _Model(BaseModel):
    """Strict values (a number is not a string, nor "0" a number); YAML lists become tuples."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class QuizText(_Model):
    question: StrictStr
    options: tuple[StrictStr, ...]
    explanation: StrictStr


class QuizSource(_Model):
    file: StrictStr
    excerpt: StrictStr


class QuizItem(_Model):
    key: StrictStr
    topic: StrictStr
    correct: StrictInt
    """0-based index of the right option, the same in every language."""
    source: QuizSource
    text: dict[str, QuizText]
    """By language: id, ms and en."""


class _QuizFile(_Model):
    items: tuple[QuizItem, ...]


@dataclass(frozen=True)
class Quiz:
    items: tuple[QuizItem, ...]
    path: Path | None = None

    @property
    def topics(self) -> list[str]:
        return list(dict.fromkeys(item.topic for item in self.items))

    def pick(self, topic: str | None = None, rng: random.Random | None = None) -> QuizItem | None:
        """A random item (on `topic`, if given); None if there is none."""
        pool = [item for item in self.items if topic is None or item.topic == topic]
        return (rng or random).choice(pool) if pool else None

    def item(self, key: str) -> QuizItem | None:
        return next((item for item in self.items if item.key == key), None)


@dataclass(frozen=True)
class QuizProblem:
    file: str
    line: int | None
    item: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        return located(self.file, self.line, ("item", self.item), self.field, self.message)


class QuizError(Exception):
    def __init__(self, problems: list[QuizProblem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


Loc = tuple[str | int, ...]


def _line_map(node: Node, at: Loc = (), lines: dict[Loc, int] | None = None) -> dict[Loc, int]:
    """The line of every value in the composed YAML, by its path of keys and indexes."""
    lines = {} if lines is None else lines
    lines[at] = node.start_mark.line + 1
    if isinstance(node, MappingNode):
        for key, value in node.value:
            child = (*at, str(key.value))
            _line_map(value, child, lines)
            lines[child] = key.start_mark.line + 1
    elif isinstance(node, SequenceNode):
        for index, value in enumerate(node.value):
            _line_map(value, (*at, index), lines)
    return lines


def _field(loc: Iterable[str | int]) -> str | None:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or None


def _telegram_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class _Checker:
    def __init__(self, path: Path, limits: QuizLimits, topics: set[str]) -> None:
        self.path = path
        self.limits = limits
        self.topics = topics
        self.problems: list[QuizProblem] = []
        self.lines: dict[Loc, int] = {}
        self.raw: Any = None

    def report(self, loc: Loc, message: str) -> None:
        """A problem at `loc` (items, index, field...), on the line of its nearest part."""
        line = None
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.lines:
                line = self.lines[loc[:end]]
                break
        item = None
        if len(loc) >= 2 and loc[0] == "items" and isinstance(loc[1], int):
            try:
                key = self.raw["items"][loc[1]]["key"]
                item = key if isinstance(key, str) else f"#{loc[1] + 1}"
            except (KeyError, IndexError, TypeError):
                item = f"#{loc[1] + 1}"
        field = _field(loc[2:]) if item is not None else _field(loc)
        self.problems.append(QuizProblem(os.fspath(self.path), line, item, field, message))

    def run(self) -> Quiz | None:
        try:
            text = self.path.read_bytes().decode("utf-8-sig")
            root = yaml.compose(text, Loader=YAML_LOADER)
            self.raw = yaml.load(text, Loader=YAML_LOADER)
        except FileNotFoundError:
            self.report((), "file not found")
            return None
        except (OSError, UnicodeDecodeError) as error:
            self.report((), f"cannot read file: {error}")
            return None
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = None if mark is None else mark.line + 1
            message = f"invalid YAML: {error.problem}"
            self.problems.append(QuizProblem(os.fspath(self.path), line, None, None, message))
            return None
        if root is not None:
            self.lines = _line_map(root)
        try:
            parsed = _QuizFile.model_validate(self.raw)
        except ValidationError as error:
            for detail in error.errors():
                self.report(tuple(detail["loc"]), _message(detail))
            return None
        for index, item in enumerate(parsed.items):
            self._item(("items", index), item)
        self._unique_keys(parsed.items)
        return Quiz(parsed.items, self.path)

    def _unique_keys(self, items: Iterable[QuizItem]) -> None:
        seen: dict[str, int] = {}
        for index, item in enumerate(items):
            if item.key in seen:
                first = self.lines.get(("items", seen[item.key], "key"))
                self.report(("items", index, "key"), f"duplicate key (first used on line {first})")
            seen.setdefault(item.key, index)

    def _item(self, at: Loc, item: QuizItem) -> None:
        if not KEY_PATTERN.fullmatch(item.key):
            self.report((*at, "key"), "a key is lowercase letters, digits and single hyphens")
        if item.topic not in self.topics:
            self.report((*at, "topic"), f"no FAQ topic {item.topic!r}")
        for lang in item.text:
            if lang not in LANGS:
                self.report((*at, "text", lang), f"unknown language; expected {', '.join(LANGS)}")
        missing = [lang for lang in LANGS if lang not in item.text]
        if missing:
            self.report((*at, "text"), f"missing language(s): {', '.join(missing)}")
        counts = {len(text.options) for text in item.text.values()}
        if len(counts) > 1:
            self.report((*at, "text"), "every language needs the same number of options")
        elif counts and not 0 <= item.correct < min(counts):
            options = min(counts)
            self.report(
                (*at, "correct"), f"no option {item.correct}: options count from 0 to {options - 1}"
            )
        for lang, text in item.text.items():
            self._text((*at, "text", lang), text)
        self._source((*at, "source"), item.source)

    def _length(self, at: Loc, value: str, limit: int, label: str) -> None:
        if not value.strip():
            self.report(at, f"{label} is empty")
        elif _telegram_len(value) > limit:
            length = _telegram_len(value)
            self.report(at, f"{label} is {length} characters; at most {limit} fit in a quiz")

    def _text(self, at: Loc, text: QuizText) -> None:
        limits = self.limits
        self._length((*at, "question"), text.question, limits.question, "question")
        self._length((*at, "explanation"), text.explanation, limits.explanation, "explanation")
        if not MIN_OPTIONS <= len(text.options) <= MAX_OPTIONS:
            count = len(text.options)
            self.report(
                (*at, "options"), f"{count} options; a quiz has {MIN_OPTIONS} to {MAX_OPTIONS}"
            )
        folded: dict[str, int] = {}
        for index, option in enumerate(text.options):
            self._length((*at, "options", index), option, limits.option, "option")
            key = " ".join(option.casefold().split())
            if key in folded:
                self.report((*at, "options", index), f"same as option {folded[key]}")
            folded.setdefault(key, index)

    def _source(self, at: Loc, source: QuizSource) -> None:
        name = source.file
        if Path(name).name != name:
            self.report((*at, "file"), f"expected a file name in faq/sources/, got {name!r}")
            return
        for directory in dict.fromkeys([self.path.parent.parent / "sources", SOURCES_DIR]):
            try:
                text = (directory / name).read_text(encoding="utf-8")
                break
            except (OSError, UnicodeDecodeError):
                continue
        else:
            self.report((*at, "file"), f"source file {name!r} not found")
            return
        if source.excerpt.strip() and source.excerpt not in text:
            hint = ""
            if " ".join(source.excerpt.split()) in " ".join(text.split()):
                hint = " (it would match if line breaks and spaces were ignored)"
            self.report((*at, "excerpt"), f"excerpt not found verbatim in {name}{hint}")
        elif not source.excerpt.strip():
            self.report((*at, "excerpt"), "excerpt is empty")


def _message(detail: Mapping[str, Any]) -> str:
    kind = detail["type"]
    if kind == "missing":
        return "missing"
    if kind == "extra_forbidden":
        return "unknown field"
    return str(detail["msg"]).replace("Input should be", "expected")


def check_quiz(
    path: Path | str, limits: QuizLimits, topics: Iterable[str]
) -> tuple[Quiz | None, list[QuizProblem]]:
    """Validate the quiz file; the quiz (None if anything is wrong) and every problem."""
    checker = _Checker(Path(path), limits, set(topics))
    quiz = checker.run()
    problems = sorted(checker.problems, key=lambda problem: problem.line or 0)
    return (None if problems else quiz), problems


def load_quiz(path: Path | str, limits: QuizLimits, topics: Iterable[str]) -> Quiz:
    quiz, problems = check_quiz(path, limits, topics)
    if quiz is None:
        raise QuizError(problems)
    return quiz


def quiz_summary(quiz: Quiz) -> str:
    return f"OK: quiz, {len(quiz.items)} items on {len(quiz.topics)} topics"
