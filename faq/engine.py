"""The FAQ engine: a question (and an optional language hint) in, a reply decision out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from faq.analyzer import Analyzer
from faq.config import DEFAULT_CONFIG, MatchConfig
from faq.index import build_index, faq_words
from faq.langdetect import detect_language
from faq.lexicon import Lexicon, default_lexicon
from faq.matcher import Scored, Status, decide, rank
from faq.model import DEFAULT_FAQ_PATH, Faq
from faq.normalize import words


@dataclass(frozen=True)
class Reply:
    status: Status
    """"answer" fills topic_id, "suggest" fills suggestions."""
    topic_id: str | None
    suggestions: tuple[str, ...]
    lang: str
    score: float

    def as_json(self) -> dict[str, object]:
        """The record `faqbot ask --json` prints."""
        return {
            "status": self.status,
            "id": self.topic_id,
            "suggestions": list(self.suggestions),
            "lang": self.lang,
            "score": self.score,
        }


class Engine:
    """Immutable once built, so a reload can swap a whole new engine in at once."""

    def __init__(
        self,
        faq: Faq,
        config: MatchConfig = DEFAULT_CONFIG,
        lexicon: Lexicon | None = None,
        fallback_lang: str = "en",
    ) -> None:
        self.faq = faq
        self.config = config
        self.lexicon = lexicon or default_lexicon()
        self.fallback_lang = fallback_lang
        self.analyzer = Analyzer(self.lexicon, faq_words(faq), config)
        self.index = build_index(faq, self.analyzer, config)

    @classmethod
    def from_path(cls, path: Path | str = DEFAULT_FAQ_PATH, **options: object) -> Engine:
        """Load, validate and index an FAQ file; raises faq.loader.FaqError if it is invalid."""
        from faq.loader import load_faq

        return cls(load_faq(path), **options)  # type: ignore[arg-type]

    def language(self, text: str, hint: str | None = None) -> str:
        """The language to reply in to `text`."""
        # The words as typed: a typo corrected to its nearest known word ("semalem" ->
        # "semalam", "skor" -> "skop") would often land on the other language's spelling.
        return detect_language(words(text), self.lexicon, hint, self.fallback_lang)

    def rank(self, text: str) -> list[Scored]:
        """Candidate topics for `text`, best first."""
        return rank(self.index, self.analyzer.terms(text))

    def ask(self, text: str, lang_hint: str | None = None) -> Reply:
        terms = self.analyzer.terms(text)
        if set(terms) <= self.lexicon.modifiers:
            terms = []  # nothing but "not", "have"...: no subject to match
        unanswered = frozenset(terms) & self.lexicon.unanswered
        may_answer = not set(terms) <= self.lexicon.interrogatives
        decision = decide(self.index, rank(self.index, terms), unanswered, may_answer)
        ids = tuple(s.topic_id for s in decision.ranked)
        return Reply(
            status=decision.status,
            topic_id=ids[0] if decision.status == "answer" else None,
            suggestions=ids if decision.status == "suggest" else (),
            lang=self.language(text, lang_hint),
            score=decision.score,
        )
