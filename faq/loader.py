"""Load the FAQ file into a validated `Faq`, reporting every problem with its line.

The YAML is composed into nodes instead of being loaded into plain values, so each
problem can name the line of the topic or field it concerns, however deeply nested.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TypeGuard, TypeVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from faq.model import DEFAULT_FAQ_PATH, LANGS, SOURCES_DIR, Faq, SourceRef, Topic, TopicText

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_ID_BYTES = 40  # leaves room for a prefix in Telegram's 64-byte callback data
MAX_MESSAGE_CHARS = 4096  # Telegram's limit for one text message
MIN_PHRASINGS = 6

_TOP_KEYS = ("common", "topics")
_TOPIC_KEYS = ("id", "related", "sources", "text")
_TEXT_KEYS = ("title", "answer", "phrasings")
_SOURCE_KEYS = ("file", "excerpt")
_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"
_N = TypeVar("_N", bound=Node)
_KINDS = {"int": "a number", "float": "a number", "bool": "a boolean", "null": "nothing"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the FAQ file, located as precisely as YAML allows."""

    file: str
    line: int | None
    topic: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        parts = [where]
        what = []
        if self.topic is not None:
            what.append(f"topic {self.topic!r}")
        if self.field is not None:
            what.append(f"field {self.field!r}")
        if what:
            parts.append(", ".join(what))
        parts.append(self.message)
        return ": ".join(parts)


class FaqError(Exception):
    """The FAQ file cannot be used; `problems` lists everything wrong with it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


def load_faq(path: Path | str = DEFAULT_FAQ_PATH) -> Faq:
    """Load and validate the FAQ, raising `FaqError` listing all problems."""
    faq, problems = check_faq(path)
    if faq is None:
        raise FaqError(problems)
    return faq


def check_faq(path: Path | str = DEFAULT_FAQ_PATH) -> tuple[Faq | None, list[Problem]]:
    """Validate the FAQ; return it (or None if anything is wrong) with every problem found."""
    checker = _Checker(path)
    faq = checker.run()
    problems = sorted(checker.problems, key=lambda problem: problem.line or 0)
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
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _join(field: str | None, name: str) -> str:
    return name if field is None else f"{field}.{name}"


def _describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == _STR_TAG:
        return "a string"
    kind = _KINDS.get(node.tag.rsplit(":", 1)[-1], f"a value of type {node.tag}")
    return f"{kind} ({node.value})" if node.value else kind


def _telegram_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units), never less than len(text)."""
    return len(text.encode("utf-16-le")) // 2


class _Checker:
    """Walks the composed YAML of one FAQ file, collecting problems as it goes."""

    def __init__(self, path: Path | str) -> None:
        self.file = os.fspath(path)
        self.path = Path(path)
        self.problems: list[Problem] = []
        self._source_dirs = list(dict.fromkeys([self.path.parent.parent / "sources", SOURCES_DIR]))
        self._source_texts: dict[str, str | None] = {}

    def report(self, at: Node | None, topic: str | None, field: str | None, message: str) -> None:
        line = None if at is None else _line(at)
        self.problems.append(Problem(self.file, line, topic, field, message))

    def run(self) -> Faq | None:
        """The FAQ built from the valid parts; only meaningful if no problem was reported."""
        root = self._compose()
        if root is None:
            return None
        if not isinstance(root, MappingNode):
            found = _describe(root)
            self.report(root, None, None, f"expected a mapping with a 'topics' list, got {found}")
            return None
        top = self._mapping(root, None, None, _TOP_KEYS, ("topics",), at=root)
        topics, known = self._topics(*top["topics"]) if "topics" in top else ({}, set())
        common = self._ids(top["common"][1], None, "common", known) if "common" in top else ()
        return Faq(topics=topics, path=self.path, common=common or ())

    def _compose(self) -> Node | None:
        try:
            text = self.path.read_bytes().decode("utf-8-sig")
        except FileNotFoundError:
            self.report(None, None, None, "file not found")
            return None
        except OSError as exc:
            self.report(None, None, None, f"cannot read file: {exc.strerror or exc}")
            return None
        except UnicodeDecodeError as exc:
            self.report(None, None, None, f"file is not valid UTF-8: {exc.reason}")
            return None
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = None if mark is None else mark.line + 1
            context = f"{exc.context}: " if exc.context else ""
            message = f"invalid YAML: {context}{exc.problem}"
            self.problems.append(Problem(self.file, line, None, None, message))
            return None
        except yaml.YAMLError as exc:
            self.report(None, None, None, f"invalid YAML: {exc}")
            return None
        if root is None:
            self.report(None, None, None, "file is empty; expected a mapping with a 'topics' list")
        return root

    # Generic shapes ---------------------------------------------------------------

    def _mapping(
        self,
        node: MappingNode,
        topic: str | None,
        field: str | None,
        allowed: tuple[str, ...],
        required: tuple[str, ...],
        at: Node,
        kind: str = "key",
    ) -> dict[str, tuple[Node, Node]]:
        """Entries of `node` by key (key node, value node); reports unknown, repeated, missing.

        `at` is where a missing key is reported: the mapping's own key, or its first line.
        """
        entries: dict[str, tuple[Node, Node]] = {}
        for key, value in node.value:
            name = str(key.value) if isinstance(key, ScalarNode) else _describe(key)
            if name in entries:
                first = _line(entries[name][0])
                self.report(
                    key,
                    topic,
                    _join(field, name),
                    f"duplicate {kind} {name!r} (first on line {first})",
                )
            elif name not in allowed:
                expected = ", ".join(allowed)
                self.report(
                    key,
                    topic,
                    _join(field, name),
                    f"unknown {kind} {name!r} (expected one of: {expected})",
                )
            else:
                entries[name] = (key, value)
        for name in required:
            if name not in entries:
                what = f"language {name!r}" if kind == "language" else name
                self.report(at, topic, _join(field, name), f"{what} is missing")
        return entries

    def _is(
        self, node: Node, shape: type[_N], topic: str | None, field: str | None
    ) -> TypeGuard[_N]:
        if isinstance(node, shape):
            return True
        expected = "a mapping" if shape is MappingNode else "a list"
        self.report(node, topic, field, f"expected {expected}, got {_describe(node)}")
        return False

    def _text(
        self, node: Node, topic: str | None, field: str, label: str, strip: bool = True
    ) -> str | None:
        """The string in `node` (stripped), or None after reporting why it is unusable."""
        if isinstance(node, ScalarNode) and node.tag == _NULL_TAG:
            self.report(node, topic, field, f"{label} is empty")
            return None
        if not (isinstance(node, ScalarNode) and node.tag == _STR_TAG):
            hint = (
                "; put it in quotes if it is meant as text" if isinstance(node, ScalarNode) else ""
            )
            self.report(node, topic, field, f"expected a string, got {_describe(node)}{hint}")
            return None
        value: str = node.value
        if not value.strip():
            self.report(node, topic, field, f"{label} is empty")
            return None
        return value.strip() if strip else value

    def _ids(
        self, node: Node, topic: str | None, field: str, known: set[str]
    ) -> tuple[str, ...] | None:
        """A list of existing topic ids, as used by `related` and `common`."""
        if not self._is(node, SequenceNode, topic, field):
            return None
        ids: list[str] = []
        ok = True
        for index, item in enumerate(node.value):
            item_field = f"{field}[{index}]"
            value = self._text(item, topic, item_field, "topic id")
            if value is None:
                ok = False
            elif value not in known:
                self.report(item, topic, item_field, f"unknown topic id {value!r}")
                ok = False
            elif value == topic:
                self.report(item, topic, item_field, "a topic cannot be related to itself")
                ok = False
            elif value in ids:
                self.report(item, topic, item_field, f"{value!r} is listed twice")
                ok = False
            else:
                ids.append(value)
        return tuple(ids) if ok else None

    # The FAQ's own structure -------------------------------------------------------

    def _topics(self, key: Node, node: Node) -> tuple[dict[str, Topic], set[str]]:
        """The valid topics by id in file order, and every usable id (for `related`)."""
        if not self._is(node, SequenceNode, None, "topics"):
            return {}, set()
        if not node.value:
            self.report(key, None, "topics", "topics list is empty")
        id_lines: dict[str, int] = {}
        drafts: list[tuple[str | None, MappingNode, Topic | None]] = []
        for item in node.value:
            if not isinstance(item, MappingNode):
                self.report(item, None, None, f"topic must be a mapping, got {_describe(item)}")
                continue
            id_node, topic_id, valid = self._topic_id(item)
            if id_node is not None and topic_id is not None and valid:
                if topic_id in id_lines:
                    first = id_lines[topic_id]
                    message = f"duplicate id {topic_id!r} (also on line {first})"
                    self.report(id_node, topic_id, "id", message)
                else:
                    id_lines[topic_id] = _line(id_node)
            drafts.append((topic_id, item, self._topic(item, topic_id)))
        # `related` can only be checked once every id is known.
        topics: dict[str, Topic] = {}
        for topic_id, item, topic in drafts:
            related_node = self._entry(item, "related")
            related: tuple[str, ...] | None = ()
            if related_node is not None:
                related = self._ids(related_node, topic_id, "related", set(id_lines))
            if topic is not None and related is not None and topic.id in id_lines:
                topics[topic.id] = Topic(topic.id, topic.texts, related, topic.sources)
        return topics, set(id_lines)

    @staticmethod
    def _entry(node: MappingNode, name: str) -> Node | None:
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.value == name:
                found: Node = value
                return found
        return None

    def _topic_id(self, node: MappingNode) -> tuple[Node | None, str | None, bool]:
        """The id's node, the id if it is a string (to name the topic in problems), and
        whether it is a valid id; problems with the id are reported."""
        id_node = self._entry(node, "id")
        if id_node is None:
            return None, None, False  # reported as a missing key by `_topic`
        topic_id = self._text(id_node, None, "id", "id", strip=False)
        if topic_id is None:
            return id_node, None, False
        if not ID_PATTERN.fullmatch(topic_id):
            self.report(
                id_node,
                topic_id,
                "id",
                "invalid id: use lowercase kebab-case "
                "(a-z, 0-9 and single hyphens, e.g. 'bpo-types')",
            )
            return id_node, topic_id, False
        size = len(topic_id.encode())
        if size > MAX_ID_BYTES:
            self.report(
                id_node,
                topic_id,
                "id",
                f"id is {size} bytes; at most {MAX_ID_BYTES} "
                "so that callback data fits in 64 bytes",
            )
            return id_node, topic_id, False
        return id_node, topic_id, True

    def _topic(self, node: MappingNode, topic_id: str | None) -> Topic | None:
        """The topic without `related` (checked later), or None if it has problems."""
        entries = self._mapping(node, topic_id, None, _TOPIC_KEYS, ("id", "text", "sources"), node)
        texts = self._texts(*entries["text"], topic_id) if "text" in entries else None
        sources = self._sources(*entries["sources"], topic_id) if "sources" in entries else None
        if topic_id is None or texts is None or sources is None:
            return None
        return Topic(id=topic_id, texts=texts, sources=sources)

    def _texts(self, key: Node, node: Node, topic: str | None) -> dict[str, TopicText] | None:
        if not self._is(node, MappingNode, topic, "text"):
            return None
        entries = self._mapping(node, topic, "text", LANGS, LANGS, at=key, kind="language")
        texts = {lang: self._lang(*entries[lang], topic, lang) for lang in LANGS if lang in entries}
        valid = {lang: text for lang, text in texts.items() if text is not None}
        return valid if len(valid) == len(LANGS) else None

    def _lang(self, key: Node, node: Node, topic: str | None, lang: str) -> TopicText | None:
        field = f"text.{lang}"
        if not self._is(node, MappingNode, topic, field):
            return None
        entries = self._mapping(node, topic, field, _TEXT_KEYS, _TEXT_KEYS, at=key)
        title = answer = None
        if "title" in entries:
            title = self._text(entries["title"][1], topic, f"{field}.title", "title")
        if "answer" in entries:
            answer = self._answer(entries["answer"][1], topic, f"{field}.answer", title)
        phrasings = None
        if "phrasings" in entries:
            phrasings = self._phrasings(*entries["phrasings"], topic, field)
        if title is None or answer is None or phrasings is None:
            return None
        return TopicText(title=title, answer=answer, phrasings=phrasings)

    def _answer(self, node: Node, topic: str | None, field: str, title: str | None) -> str | None:
        answer = self._text(node, topic, field, "answer")
        if answer is None:
            return None
        size = _telegram_len(answer)
        if size > MAX_MESSAGE_CHARS:
            self.report(
                node,
                topic,
                field,
                f"answer is {size} characters; Telegram allows {MAX_MESSAGE_CHARS}",
            )
            return None
        if title is not None:
            size = _telegram_len(f"{title}\n\n{answer}")
            if size > MAX_MESSAGE_CHARS:
                self.report(
                    node,
                    topic,
                    field,
                    f"title and answer together are {size} "
                    f"characters; Telegram allows {MAX_MESSAGE_CHARS}",
                )
                return None
        return answer

    def _phrasings(
        self, key: Node, node: Node, topic: str | None, field: str
    ) -> tuple[str, ...] | None:
        field = f"{field}.phrasings"
        if not self._is(node, SequenceNode, topic, field):
            return None
        ok = True
        phrasings: list[str] = []
        seen: dict[str, int] = {}  # folded phrasing -> index of its first use
        for index, item in enumerate(node.value):
            item_field = f"{field}[{index}]"
            phrasing = self._text(item, topic, item_field, "phrasing")
            if phrasing is None:
                ok = False
                continue
            folded = " ".join(phrasing.casefold().split())
            if folded in seen:
                self.report(
                    item,
                    topic,
                    item_field,
                    f"duplicate phrasing {phrasing!r} (same as phrasings[{seen[folded]}])",
                )
                ok = False
                continue
            seen[folded] = index
            phrasings.append(phrasing)
        count = len(node.value)
        if count < MIN_PHRASINGS:
            self.report(
                key,
                topic,
                field,
                f"{_count(count, 'phrasing')}; at least {MIN_PHRASINGS} are needed",
            )
            ok = False
        return tuple(phrasings) if ok else None

    def _sources(self, key: Node, node: Node, topic: str | None) -> tuple[SourceRef, ...] | None:
        if not self._is(node, SequenceNode, topic, "sources"):
            return None
        if not node.value:
            self.report(key, topic, "sources", "sources list is empty; name at least one passage")
            return None
        refs = [self._source(item, topic, f"sources[{i}]") for i, item in enumerate(node.value)]
        valid = tuple(ref for ref in refs if ref is not None)
        return valid if len(valid) == len(refs) else None

    def _source(self, node: Node, topic: str | None, field: str) -> SourceRef | None:
        if not self._is(node, MappingNode, topic, field):
            return None
        entries = self._mapping(node, topic, field, _SOURCE_KEYS, _SOURCE_KEYS, at=node)
        name = source_text = excerpt = None
        if "file" in entries:
            file_node = entries["file"][1]
            name = self._text(file_node, topic, f"{field}.file", "file")
            if name is not None:
                source_text = self._source_text(file_node, topic, f"{field}.file", name)
        if "excerpt" in entries:
            excerpt_node = entries["excerpt"][1]
            excerpt = self._text(excerpt_node, topic, f"{field}.excerpt", "excerpt")
            if excerpt is not None and source_text is not None and excerpt not in source_text:
                hint = ""
                if " ".join(excerpt.split()) in " ".join(source_text.split()):
                    hint = " (it would match if line breaks and spaces were ignored)"
                self.report(
                    excerpt_node,
                    topic,
                    f"{field}.excerpt",
                    f"excerpt not found verbatim in {name}{hint}",
                )
                excerpt = None
        if name is None or source_text is None or excerpt is None:
            return None
        return SourceRef(file=name, excerpt=excerpt)

    def _source_text(self, node: Node, topic: str | None, field: str, name: str) -> str | None:
        """The text of source file `name`, looked up in ../sources next to the FAQ, then
        SOURCES_DIR; None (reported) if it is not there."""
        if Path(name).name != name or name in (".", ".."):
            self.report(node, topic, field, f"expected a file name in faq/sources/, got {name!r}")
            return None
        if name not in self._source_texts:
            self._source_texts[name] = self._read_source(name)
        text = self._source_texts[name]
        if text is None:
            where = " or ".join(str(directory) for directory in self._source_dirs)
            self.report(node, topic, field, f"source file {name!r} not found in {where}")
        return text

    def _read_source(self, name: str) -> str | None:
        for directory in self._source_dirs:
            try:
                return (directory / name).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
        return None
