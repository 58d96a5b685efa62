"""In-memory form of the FAQ: topics with their texts in each language."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

LANGS: tuple[str, ...] = ("id", "ms", "en")
"""Reply languages, in display order: Indonesian, Malay, English."""

DEFAULT_FAQ_PATH = Path(__file__).parent / "data" / "faq.yaml"
SOURCES_DIR = Path(__file__).parent / "sources"
EXAMPLES_DIRNAME = "examples"
"""The folder beside an FAQ file holding its example questions (TSV, as `faqbot eval` reads)."""


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


@dataclass(frozen=True)
class Faq:
    """A validated FAQ; topics keep the order of the file."""

    topics: dict[str, Topic]
    path: Path | None = None
    common: tuple[str, ...] = field(default=())
    examples: tuple[tuple[str, str], ...] = ()
    """(question, topic id, or "-" when no topic answers it): questions and chatter people wrote,
    from the examples/ folder beside the file; the ranking classifier learns from them
    (faq/classifier.py)."""

    def topic(self, topic_id: str) -> Topic | None:
        return self.topics.get(topic_id)
