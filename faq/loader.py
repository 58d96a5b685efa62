"""Load the FAQ file into a validated `Faq`, reporting every problem with its line.

Three passes, all of whose problems are reported together:

1. the YAML is composed into nodes, and turned into plain values while remembering the
   node (hence the line) of every key and value, and any key given twice;
2. `faq.schema.FaqFile` (pydantic) checks the shape: keys, types, required and empty
   fields; each error is told in words, at the line of the value or key it concerns;
3. the checks across entries: ids (form, size, unique), `related` and `common` references,
   phrasings (enough, no duplicates), answer length and the verbatim source excerpts.

Limits that depend on where answers are shown (message length, id size) are `Limits`,
given by the caller: the bot passes Telegram's.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from faq.model import (
    DEFAULT_FAQ_PATH,
    EXAMPLES_DIRNAME,
    LANGS,
    SOURCES_DIR,
    UNRANKED_DIRNAME,
    Faq,
    SourceRef,
    Topic,
    TopicText,
)
from faq.rows import EvalFileError, read_examples
from faq.schema import Entry, FaqFile

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MIN_PHRASINGS = 15  # issue 7 §6: the coverage every topic needs in each language

_STR_TAG = "tag:yaml.org,2002:str"
_KINDS = {"int": "a number", "float": "a number", "bool": "a boolean", "null": "nothing"}
_ITEM_LABELS = {"phrasings": "phrasing", "related": "topic id", "common": "topic id"}

Path_ = tuple[str | int, ...]
"""Where a value sits in the file: keys and list indexes from the top."""


@dataclass(frozen=True)
class Limits:
    """Limits set by where the answers are shown, not by the FAQ itself."""

    max_answer_chars: int = 4096
    max_id_bytes: int = 40
    length: Callable[[str], int] = len
    """How the channel counts characters (Telegram: UTF-16 code units)."""
    why_id: str = "so that it fits in button data"
    where: str = "a message"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the FAQ file, located as precisely as YAML allows."""

    file: str
    line: int | None
    topic: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        return located(self.file, self.line, ("topic", self.topic), self.field, self.message)


def located(
    file: str, line: int | None, entry: tuple[str, str | None], field: str | None, message: str
) -> str:
    """'file:line: <entry kind> 'name', field 'path': message', leaving out what is unknown;
    the one format of every data file's problems (FAQ topics, quiz items)."""
    parts = [file if line is None else f"{file}:{line}"]
    kind, name = entry
    what = [f"{kind} {name!r}"] if name is not None else []
    if field is not None:
        what.append(f"field {field!r}")
    if what:
        parts.append(", ".join(what))
    parts.append(message)
    return ": ".join(parts)


YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when PyYAML has it: the same nodes and line marks, over ten times faster."""


class FaqError(Exception):
    """The FAQ file cannot be used; `problems` lists everything wrong with it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


def load_faq(path: Path | str = DEFAULT_FAQ_PATH, limits: Limits | None = None) -> Faq:
    """Load and validate the FAQ, raising `FaqError` listing all problems."""
    faq, problems = check_faq(path, limits)
    if faq is None:
        raise FaqError(problems)
    return faq


def check_faq(
    path: Path | str = DEFAULT_FAQ_PATH, limits: Limits | None = None
) -> tuple[Faq | None, list[Problem]]:
    """Validate the FAQ; return it (or None if anything is wrong) with every problem found."""
    checker = _Checker(path, limits or Limits())
    faq = checker.run()
    problems = sorted(checker.problems, key=lambda problem: problem.line or 0)
    if faq is not None and not problems:
        try:
            folder = Path(path).parent / EXAMPLES_DIRNAME
            examples = read_examples(folder, set(faq.topics))
            examples += read_examples(folder / UNRANKED_DIRNAME, set(faq.topics), ranks=False)
        except EvalFileError as error:
            return None, [Problem(error.file, error.line, None, None, error.message)]
        faq = dataclasses.replace(faq, examples=tuple(examples))
    return (None if problems else faq), problems


def summary(faq: Faq) -> str:
    """One line describing a loaded FAQ, for `faqbot check`."""
    texts = [text for topic in faq.topics.values() for text in topic.texts.values()]
    langs = [lang for lang in LANGS if any(lang in topic.texts for topic in faq.topics.values())]
    phrasings = sum(len(text.phrasings) for text in texts)
    return (
        f"OK: {_count(len(faq.topics), 'topic')}, "
        f"{_count(len(langs), 'language')} ({', '.join(langs)}), "
        f"{_count(phrasings, 'phrasing')}"
        + (f", {_count(len(faq.examples), 'example question')}" if faq.examples else "")
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def _describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == _STR_TAG:
        return "a string"
    kind = _KINDS.get(node.tag.rsplit(":", 1)[-1], f"a value of type {node.tag}")
    return f"{kind} ({node.value})" if node.value else kind


@dataclass
class _Located:
    """The plain values of the YAML, with the nodes they came from."""

    values: dict[Path_, Node] = field(default_factory=dict)
    keys: dict[Path_, Node] = field(default_factory=dict)
    duplicates: list[tuple[Path_, Node, int]] = field(default_factory=list)
    """(path, the repeated key's node, line of its first use)."""

    def plain(self, node: Node, path: Path_ = (), key: Node | None = None) -> Any:
        self.values[path] = node
        if key is not None:
            self.keys[path] = key
        if isinstance(node, MappingNode):
            found: dict[str, Any] = {}
            for key_node, value_node in node.value:
                name = (
                    str(key_node.value) if isinstance(key_node, ScalarNode) else _describe(key_node)
                )
                if name in found:
                    first = _line(self.keys[(*path, name)])
                    self.duplicates.append(((*path, name), key_node, first))
                    continue
                found[name] = self.plain(value_node, (*path, name), key_node)
            return found
        if isinstance(node, SequenceNode):
            return [self.plain(item, (*path, i)) for i, item in enumerate(node.value)]
        return SafeConstructor().construct_object(node, deep=True)


class _Checker:
    def __init__(self, path: Path | str, limits: Limits) -> None:
        self.file = os.fspath(path)
        self.path = Path(path)
        self.limits = limits
        self.problems: list[Problem] = []
        self.located = _Located()
        self.data: dict[str, Any] = {}
        self._source_dirs = list(dict.fromkeys([self.path.parent.parent / "sources", SOURCES_DIR]))
        self._source_texts: dict[str, str | None] = {}

    def run(self) -> Faq | None:
        """The FAQ, if the file is valid (otherwise `problems` tells why)."""
        root = self._compose()
        if root is None:
            return None
        if not isinstance(root, MappingNode):
            found = _describe(root)
            self._add(_line(root), (), f"expected a mapping with a 'topics' list, got {found}")
            return None
        self.data = self.located.plain(root)
        for path, key, first in self.located.duplicates:
            kind = "language" if self._is_text(path[:-1]) else "key"
            self._add(_line(key), path, f"duplicate {kind} {path[-1]!r} (first on line {first})")
        try:
            model: FaqFile | None = FaqFile.model_validate(self.data)
        except ValidationError as error:
            model = None
            for detail in error.errors():
                self._schema_problem(detail)
        self._check_entries()
        return None if model is None or self.problems else _build(model, self.path)

    def _compose(self) -> Node | None:
        try:
            text = self.path.read_bytes().decode("utf-8-sig")
        except FileNotFoundError:
            self._add(None, (), "file not found")
            return None
        except OSError as exc:
            self._add(None, (), f"cannot read file: {exc.strerror or exc}")
            return None
        except UnicodeDecodeError as exc:
            self._add(None, (), f"file is not valid UTF-8: {exc.reason}")
            return None
        try:
            root: Node | None = yaml.compose(text, Loader=YAML_LOADER)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = None if mark is None else mark.line + 1
            context = f"{exc.context}: " if exc.context else ""
            self._add(line, (), f"invalid YAML: {context}{exc.problem}")
            return None
        except yaml.YAMLError as exc:
            self._add(None, (), f"invalid YAML: {exc}")
            return None
        if root is None:
            self._add(None, (), "file is empty; expected a mapping with a 'topics' list")
        return root

    # Naming and locating ------------------------------------------------------------------

    def _add(self, line: int | None, path: Path_, message: str, *, named: bool = True) -> None:
        """A problem at `line` about the value at `path`, naming its topic and field."""
        topic, field_name = self._name(path) if named else (None, None)
        self.problems.append(Problem(self.file, line, topic, field_name, message))

    def _name(self, path: Path_) -> tuple[str | None, str | None]:
        inside = path[2:] if len(path) >= 2 and path[0] == "topics" else path
        topic = self._topic_name(path[1]) if inside is not path else None
        text = ""
        for part in inside:
            text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else part
        return topic, text or None

    def _topic_name(self, index: str | int) -> str | None:
        """The topic's id, if it has a string one, however wrong (to name its problems)."""
        topics = self.data.get("topics")
        if not isinstance(topics, list) or not isinstance(index, int):
            return None
        topic = topics[index]
        topic_id = topic.get("id") if isinstance(topic, dict) else None
        return topic_id if isinstance(topic_id, str) and topic_id.strip() else None

    @staticmethod
    def _is_text(path: Path_) -> bool:
        return len(path) == 3 and path[0] == "topics" and path[2] == "text"

    def _value_line(self, path: Path_) -> int | None:
        node = self.located.values.get(path)
        return None if node is None else _line(node)

    def _key_line(self, path: Path_) -> int | None:
        """The line of the key naming `path`; a list item or the top has none: its own line."""
        node = self.located.keys.get(path) or self.located.values.get(path)
        return None if node is None else _line(node)

    # Pass 2: the shape, by pydantic -----------------------------------------------------

    def _schema_problem(self, detail: Any) -> None:
        path: Path_ = tuple(detail["loc"])
        kind = detail["type"]
        node = self.located.values.get(path)
        name = path[-1] if path else ""
        if kind == "missing":
            parent = path[:-1]
            what = f"language {name!r}" if self._is_text(parent) else str(name)
            self._add(self._key_line(parent), path, f"{what} is missing")
        elif kind == "extra_forbidden":
            model = _model_at(path[:-1])
            kind_name = "language" if self._is_text(path[:-1]) else "key"
            expected = ", ".join(model.model_fields) if model else ""
            message = f"unknown {kind_name} {name!r} (expected one of: {expected})"
            self._add(self._key_line(path), path, message)
        elif kind == "too_short" and isinstance(detail["input"], list):
            message = f"{name} list is empty"
            message += "; name at least one passage" if name == "sources" else ""
            self._add(self._key_line(path), path, message)
        elif kind == "string_too_short" or (kind == "string_type" and detail["input"] is None):
            self._add(self._value_line(path), path, f"{self._label(path)} is empty")
        elif node is not None:
            self._add(_line(node), path, *self._wrong_type(path, kind, node))

    def _wrong_type(self, path: Path_, kind: str, node: Node) -> tuple[str]:
        expected = "a list" if kind == "list_type" else "a mapping"
        if kind == "string_type":
            expected = "a string"
        found = _describe(node)
        if len(path) == 2 and path[0] == "topics":
            return (f"topic must be a mapping, got {found}",)
        hint = ""
        if expected == "a string" and isinstance(node, ScalarNode):
            hint = "; put it in quotes if it is meant as text"
        return (f"expected {expected}, got {found}{hint}",)

    @staticmethod
    def _label(path: Path_) -> str:
        if isinstance(path[-1], int):
            return _ITEM_LABELS.get(str(path[-2]), "value")
        return str(path[-1])

    # Pass 3: across entries -------------------------------------------------------------

    def _topics(self) -> Iterator[tuple[int, dict[str, Any]]]:
        topics = self.data.get("topics")
        if isinstance(topics, list):
            for index, topic in enumerate(topics):
                if isinstance(topic, dict):
                    yield index, topic

    def _check_entries(self) -> None:
        known = self._check_ids()
        for index, topic in self._topics():
            self._check_refs(("topics", index, "related"), known, topic.get("id"))
            texts = topic.get("text")
            if isinstance(texts, dict):
                for lang in LANGS:
                    if isinstance(texts.get(lang), dict):
                        self._check_text(("topics", index, "text", lang), texts[lang])
            sources = topic.get("sources")
            if isinstance(sources, list):
                for number, source in enumerate(sources):
                    if isinstance(source, dict):
                        self._check_source(("topics", index, "sources", number), source)
        self._check_refs(("common",), known, None)

    def _check_ids(self) -> set[str]:
        """Every usable topic id; problems with ids (form, size, repeats) reported."""
        first_line: dict[str, int] = {}
        for index, topic in self._topics():
            topic_id, path = topic.get("id"), ("topics", index, "id")
            if not isinstance(topic_id, str) or not topic_id:
                continue  # reported by the schema
            line = self._value_line(path)
            size = len(topic_id.encode())
            if not ID_PATTERN.fullmatch(topic_id):
                message = (
                    "invalid id: use lowercase kebab-case "
                    "(a-z, 0-9 and single hyphens, e.g. 'bpo-types')"
                )
                self._add(line, path, message)
            elif size > self.limits.max_id_bytes:
                limit = self.limits.max_id_bytes
                self._add(line, path, f"id is {size} bytes; at most {limit} {self.limits.why_id}")
            elif topic_id in first_line:
                message = f"duplicate id {topic_id!r} (also on line {first_line[topic_id]})"
                self._add(line, path, message)
            elif line is not None:
                first_line[topic_id] = line
        return set(first_line)

    def _check_refs(self, path: Path_, known: set[str], own_id: object) -> None:
        """A list of existing topic ids, as `related` and `common` are."""
        ids = self._at(path)
        if not isinstance(ids, list):
            return
        seen: list[str] = []
        for index, value in enumerate(ids):
            item = (*path, index)
            if not isinstance(value, str) or not value.strip():
                continue  # reported by the schema
            value = value.strip()
            if value not in known:
                self._add(self._value_line(item), item, f"unknown topic id {value!r}")
            elif value == own_id:
                self._add(self._value_line(item), item, "a topic cannot be related to itself")
            elif value in seen:
                self._add(self._value_line(item), item, f"{value!r} is listed twice")
            seen.append(value)

    def _at(self, path: Path_) -> Any:
        value: Any = self.data
        for part in path:
            if isinstance(value, dict):
                value = value.get(part)
            elif isinstance(value, list) and isinstance(part, int) and part < len(value):
                value = value[part]
            else:
                return None
        return value

    def _check_text(self, path: Path_, text: dict[str, Any]) -> None:
        self._check_answer(path, text.get("title"), text.get("answer"))
        phrasings = text.get("phrasings")
        if not isinstance(phrasings, list):
            return
        seen: dict[str, int] = {}  # folded phrasing -> index of its first use
        for index, phrasing in enumerate(phrasings):
            if not isinstance(phrasing, str) or not phrasing.strip():
                continue
            folded = " ".join(phrasing.casefold().split())
            item = (*path, "phrasings", index)
            if folded in seen:
                message = (
                    f"duplicate phrasing {phrasing.strip()!r} (same as phrasings[{seen[folded]}])"
                )
                self._add(self._value_line(item), item, message)
            else:
                seen[folded] = index
        if len(phrasings) < MIN_PHRASINGS:
            message = f"{_count(len(phrasings), 'phrasing')}; at least {MIN_PHRASINGS} are needed"
            self._add(self._key_line((*path, "phrasings")), (*path, "phrasings"), message)

    def _check_answer(self, path: Path_, title: object, answer: object) -> None:
        if not isinstance(answer, str) or not answer.strip():
            return
        answer, limit, length = answer.strip(), self.limits.max_answer_chars, self.limits.length
        where, at = self.limits.where, (*path, "answer")
        size = length(answer)
        if size > limit:
            message = f"answer is {size} characters; {where} holds {limit}"
            self._add(self._value_line(at), at, message)
        elif isinstance(title, str) and title.strip():
            size = length(f"{title.strip()}\n\n{answer}")
            if size > limit:
                message = f"title and answer together are {size} characters; {where} holds {limit}"
                self._add(self._value_line(at), at, message)

    def _check_source(self, path: Path_, source: dict[str, Any]) -> None:
        name, excerpt = source.get("file"), source.get("excerpt")
        if not isinstance(name, str) or not name.strip():
            return
        name, at = name.strip(), (*path, "file")
        if Path(name).name != name or name in (".", ".."):
            message = f"expected a file name in faq/sources/, got {name!r}"
            self._add(self._value_line(at), at, message)
            return
        text = self._source_text(name)
        if text is None:
            where = " or ".join(str(directory) for directory in self._source_dirs)
            self._add(self._value_line(at), at, f"source file {name!r} not found in {where}")
            return
        if not isinstance(excerpt, str) or not excerpt.strip() or excerpt.strip() in text:
            return
        hint = ""
        if " ".join(excerpt.split()) in " ".join(text.split()):
            hint = " (it would match if line breaks and spaces were ignored)"
        at = (*path, "excerpt")
        self._add(self._value_line(at), at, f"excerpt not found verbatim in {name}{hint}")

    def _source_text(self, name: str) -> str | None:
        """Source file `name` from ../sources next to the FAQ, or else SOURCES_DIR."""
        if name not in self._source_texts:
            self._source_texts[name] = None
            for directory in self._source_dirs:
                try:
                    self._source_texts[name] = (directory / name).read_text(encoding="utf-8")
                    break
                except (OSError, UnicodeDecodeError):
                    continue
        return self._source_texts[name]


def _model_at(path: Path_) -> type[Entry] | None:
    """The schema model of the mapping at `path` (for the keys it allows)."""
    model: Any = FaqFile
    for part in path:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part)
        if info is None:
            return None
        annotation = info.annotation
        args = getattr(annotation, "__args__", ())
        model = args[0] if args and isinstance(args[0], type) else annotation
    return model if isinstance(model, type) and issubclass(model, Entry) else None


def _build(model: FaqFile, path: Path) -> Faq:
    topics = {
        entry.id: Topic(
            id=entry.id,
            texts={
                lang: TopicText(text.title, text.answer, tuple(text.phrasings))
                for lang, text in entry.texts().items()
            },
            related=tuple(entry.related),
            sources=tuple(SourceRef(s.file, s.excerpt) for s in entry.sources),
        )
        for entry in model.topics
    }
    return Faq(topics=topics, path=path, common=tuple(model.common))
