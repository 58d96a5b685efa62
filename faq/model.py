"""In-memory form of the FAQ: topics with their texts in each language."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

LANGS: tuple[str, ...] = ("id", "ms", "en")
"""Reply languages, in display order: Indonesian, Malay, English."""

DEFAULT_FAQ_PATH = Path(__file__).parent / "data" / "faq.yaml"
SOURCES_DIR = Path(__file__).parent / "sources"
EXAMPLES_DIRNAME = "examples"
"""The folder beside an FAQ file holding its example questions (TSV, as `faqbot eval` reads)."""
UNRANKED_DIRNAME = "unranked"
"""The folder in EXAMPLES_DIRNAME of example questions the ranking classifier does not learn
(its fit grows with the cube of its texts); the language model and the tag evidence do."""


@dataclass(frozen=True)
class SourceRef:
    """A verbatim passage of a source article that a topic rests on."""

    file: str
    excerpt: str


@dataclass(frozen=True)
class TopicText:
    """One topic in one language."""

    title: str
    answer: str
    phrasings: tuple[str, ...]


@dataclass(frozen=True)
class Topic:
    id: str
    texts: dict[str, TopicText]
    related: tuple[str, ...] = ()
    sources: tuple[SourceRef, ...] = ()


class ExampleQuestion(NamedTuple):
    """A question (or chatter) someone wrote, from the examples/ folder beside the FAQ file."""

    question: str
    topic: str
    """The topic id that answers it, or "-" when none does."""
    langs: tuple[str, ...]
    """The languages a reply to it is right in."""
    tag: str = "inscope"
    """inscope, near-oos or chatter (faq/rows.py)."""
    ranks: bool = True
    """Whether the ranking classifier learns it (not for those in UNRANKED_DIRNAME)."""


@dataclass(frozen=True)
class Faq:
    """A validated FAQ; topics keep the order of the file."""

    topics: dict[str, Topic]
    path: Path | None = None
    common: tuple[str, ...] = field(default=())
    examples: tuple[ExampleQuestion, ...] = ()
    """Questions and chatter people wrote: the ranking classifier (faq/classifier.py) and the
    language model (faq/langmodel.py) learn from them."""

    def topic(self, topic_id: str) -> Topic | None:
        return self.topics.get(topic_id)
