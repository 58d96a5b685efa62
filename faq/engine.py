"""The FAQ engine: a message (an optional language hint and conversation) in, a reply out."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from faq.analyzer import Analyzer
from faq.classifier import Vector, blend, build_classifier
from faq.config import DEFAULT_CONFIG, MatchConfig
from faq.conversation import Conversation, Turn
from faq.decision import DecisionModel, Verdict, default_decision
from faq.frontdoor import QUESTION, STATEMENT, FrontDoor, default_front_door
from faq.index import build_index, faq_words
from faq.langdetect import LanguageDetector
from faq.langmodel import fit_language_model
from faq.lexicon import Lexicon, default_lexicon
from faq.matcher import Scored, rank, suggestions
from faq.model import DEFAULT_FAQ_PATH, Faq
from faq.normalize import words
from faq.rows import OUT_OF_SCOPE
from faq.tagevidence import asking_evidence, scope_evidence

SMALLTALK: Literal["smalltalk"] = "smalltalk"
Status = Verdict | Literal["smalltalk"]
"""The decision's verdict, or small talk (the front door answered it)."""


@dataclass(frozen=True)
class Reply:
    status: Status
    """"answer" (topic_id), "suggest" (suggestions), "none" (out of scope) or "smalltalk"
    (`kind` says which: "greeting", "thanks", "help"...)."""
    topic_id: str | None
    suggestions: tuple[str, ...]
    lang: str
    score: float
    kind: str = QUESTION
    """The front door's class: a small-talk kind, "question" or "statement"."""
    confidence: float = 0.0
    """P(the top topic is right), from the fitted decision."""

    def as_json(self) -> dict[str, object]:
        """The record `faqbot ask --json` prints."""
        return {
            "status": self.status,
            "kind": self.kind,
            "id": self.topic_id,
            "suggestions": list(self.suggestions),
            "lang": self.lang,
            "score": self.score,
            "confidence": round(self.confidence, 4),
        }


@dataclass(frozen=True)
class Analysis:
    """Everything the decision is made from."""

    kind: str
    lang: str
    lang_evidence: bool
    """Whether the text's own words showed its language."""
    terms: tuple[str, ...]
    read: tuple[str, ...]
    """The words the ranking classifier read: the text's, after the previous question's for a
    follow-up that asks it again ("contohnya?", "what else?")."""
    ranked: tuple[Scored, ...]
    features: tuple[float, ...]
    follow_up: bool
    """Read together with the previous turn."""


class Engine:
    """Immutable once built, so a reload can swap a whole new engine in at once."""

    def __init__(
        self,
        faq: Faq,
        config: MatchConfig = DEFAULT_CONFIG,
        lexicon: Lexicon | None = None,
        fallback_lang: str = "en",
        decision: DecisionModel | None = None,
        front_door: FrontDoor | None = None,
    ) -> None:
        self.faq = faq
        self.config = config
        self.lexicon = lexicon or default_lexicon()
        self.fallback_lang = fallback_lang
        self.front_door = front_door or default_front_door()
        self._decision = decision
        self.analyzer = Analyzer(self.lexicon, faq_words(faq), config)
        self.index = build_index(faq, self.analyzer, config)
        asked = [  # small talk never reaches the classifier: no need to learn it is no topic
            (example.question, example.topic)
            for example in faq.examples
            if example.ranks
            and (
                example.topic != OUT_OF_SCOPE
                or self.front_door.classify(example.question) in (QUESTION, STATEMENT)
            )
        ]
        self.classifier = build_classifier(faq, self.analyzer, config, asked)
        """The learned ranking signal; None for an FAQ too large to fit it on."""
        self.languages = LanguageDetector(self.lexicon, fit_language_model(faq, config), config)
        self.asking = asking_evidence(faq, config)
        self.scope = scope_evidence(faq, config)
        self._asked: dict[str, frozenset[str]] = {}
        """Topic id -> the terms its titles and phrasings use, as they are needed."""

    @classmethod
    def from_path(cls, path: Path | str = DEFAULT_FAQ_PATH, **options: object) -> Engine:
        """Load, validate and index an FAQ file; raises faq.loader.FaqError if it is invalid."""
        from faq.loader import load_faq

        return cls(load_faq(path), **options)  # type: ignore[arg-type]

    def with_faq(self, faq: Faq) -> Engine:
        """A new engine for `faq` with this one's settings."""
        return Engine(
            faq, self.config, self.lexicon, self.fallback_lang, self._decision, self.front_door
        )

    @property
    def decision(self) -> DecisionModel:
        """The fitted decision (faq/data/decision.json unless one was given)."""
        if self._decision is None:
            self._decision = default_decision()
        return self._decision

    def language(self, text: str, hint: str | None = None) -> str:
        """The language to reply in to `text`."""
        # The words as typed: a typo corrected to its nearest known word ("semalem" ->
        # "semalam", "skor" -> "skop") would often land on the other language's spelling.
        return self.languages.detect(words(text), hint, self.fallback_lang)

    def rank(self, text: str) -> list[Scored]:
        """Candidate topics for `text`, best first."""
        return self._ranked(words(text), self.analyzer.terms(text))[0]

    def _ranked(
        self, typed: list[str], terms: list[str]
    ) -> tuple[list[Scored], Vector | None, dict[str, float]]:
        """The topics, best first by the lexical score blended with the classifier's
        (faq/classifier.py); the classifier's score of every topic (None without one) and the
        lexical score of the topics that have one. No topic when no term is known to the FAQ."""
        lexical = rank(self.index, terms)
        lexical_of = {s.topic_id: s.score for s in lexical}
        if self.classifier is None or not lexical:
            return lexical, None, lexical_of
        learned = self.classifier.scores(typed, terms)
        numbers = self.index.topic_number
        blended = blend(
            ((numbers[t], score) for t, score in lexical_of.items()),
            learned,
            self.config.learned_weight,
        )
        ranked = [Scored(self.index.topic_ids[t], round(score, 4)) for t, score in blended]
        return ranked, learned, lexical_of

    def _learned_view(
        self, ranked: list[Scored], learned: Vector | None, lexical_of: dict[str, float]
    ) -> tuple[float, float, float]:
        """For the best topic: its learned score, its lead over the next topic's learned score,
        and its lexical score."""
        if not ranked:
            return 0.0, 0.0, 0.0
        top = ranked[0].topic_id
        if learned is None:
            return 0.0, 0.0, lexical_of.get(top, 0.0)
        number = self.index.topic_number[top]
        others = np.delete(learned, number)
        lead = float(learned[number] - others.max()) if len(others) else 0.0
        return float(learned[number]), lead, lexical_of.get(top, 0.0)

    def analyse(
        self,
        text: str,
        lang_hint: str | None = None,
        conversation: Conversation | None = None,
        now: float | None = None,
    ) -> Analysis:
        """Class, language, ranking and decision features of `text`; with a conversation, the
        language of the user's last message stands in when the text shows none, and a short
        question is read together with the previous turn."""
        typed = words(text)
        remembered = conversation.lang if conversation else None
        lang, evidence = self.languages.read(typed, remembered or lang_hint, self.fallback_lang)
        kind = self.front_door.classify(text)
        terms = tuple(self.analyzer.terms(text))
        previous = conversation.recent(now) if conversation else None
        if (
            previous is not None
            and kind in (QUESTION, STATEMENT)
            and (terms or kind == QUESTION)
            and len(terms) <= self.config.follow_up_max_terms
        ):
            reading = self._follow_up(terms, typed, previous)
            if reading is not None:
                combined, read, new = reading
                return self._scored(text, kind, lang, evidence, combined, read, True, new)
        return self._scored(text, kind, lang, evidence, terms, tuple(typed), follow_up=False)

    def _follow_up(
        self, terms: tuple[str, ...], typed: list[str], previous: Turn
    ) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] | None:
        """A short question read with the previous one: its terms together with the previous
        question's that it lacks, the words to read it with, and the terms it brings anew when
        it names a new subject; None when it stands on its own."""
        lexicon = self.lexicon
        if set(terms) <= lexicon.asking:
            # "kenapa pulak?", "ada berapa macem?": no subject of its own (at most an aspect
            # of one), so it asks about the old subject; "contohnya?", "selain itu apa lagi?"
            # ask the old question again, so they are read in the old words too
            subject = tuple(t for t in previous.terms if t not in lexicon.asking)
            if not subject:
                return None
            aspects = set(terms) - lexicon.interrogatives - lexicon.modifiers
            if aspects or set(typed).isdisjoint(lexicon.again_words):
                return terms + subject, tuple(typed), ()
            return previous.terms, previous.read + tuple(typed), ()
        if not set(terms) & lexicon.interrogatives:
            # "lalu yang outbound?", "kalau call centre?" (after "jenis2 bpo ada apa je"): the
            # new subject, asked as the previous question asked, aspect and all
            asked = tuple(t for t in previous.terms if t in lexicon.asking - lexicon.modifiers)
            return terms + tuple(t for t in asked if t not in terms), tuple(typed), terms
        if any(word in lexicon.references for word in typed):
            # "so what's the difference between them?": the new question about the old subject
            subject = tuple(t for t in previous.terms if t not in lexicon.interrogatives)
            return terms + tuple(t for t in subject if t not in terms), tuple(typed), ()
        return None

    def _scored(
        self,
        text: str,
        kind: str,
        lang: str,
        evidence: bool,
        terms: tuple[str, ...],
        read: tuple[str, ...],
        follow_up: bool,
        new: tuple[str, ...] = (),
    ) -> Analysis:
        query = list(terms)
        if set(query) <= self.lexicon.modifiers:
            query = []  # nothing but "not", "have"...: no subject to match
        asks = kind in (QUESTION, STATEMENT)
        ranked, learned, lexical_of = self._ranked(list(read), query) if asks else ([], None, {})
        if new:  # a follow-up: topics that use the new words first, the old ones break ties
            ranked.sort(key=lambda s: -len(set(new) & self._topic_terms(s.topic_id)))
        view = self._learned_view(ranked, learned, lexical_of)
        return Analysis(
            kind, lang, evidence, tuple(query), read, tuple(ranked),
            self._features(text, kind, query, ranked, follow_up, lexical_of, view), follow_up,
        )  # fmt: skip

    def _topic_terms(self, topic_id: str) -> frozenset[str]:
        terms = self._asked.get(topic_id)
        if terms is None:
            if len(self._asked) >= self.config.correction_cache_size:
                self._asked.clear()  # bounded: a large FAQ has many topics
            terms = self._asked[topic_id] = self.index.asked_terms[
                self.index.topic_number[topic_id]
            ]
        return terms

    def _features(
        self,
        text: str,
        kind: str,
        terms: list[str],
        ranked: list[Scored],
        follow_up: bool,
        lexical_of: dict[str, float],
        learned: tuple[float, float, float],
    ) -> tuple[float, ...]:
        """The values named by faq.decision.FEATURES."""
        # The lexical scores' own top and runner-up, whichever topics the blend puts first.
        best = [*sorted(lexical_of.values(), reverse=True)[:2], 0.0, 0.0]
        top, runner_up = best[0], best[1]
        weights = {term: self.index.weight(term) for term in terms}
        total = sum(weights.values()) or 1.0
        asked = self._topic_terms(ranked[0].topic_id) if ranked else frozenset()
        explained = sum(w for t, w in weights.items() if t in asked) / total
        unknown = sum(w for t, w in weights.items() if t not in self.index.term_number) / total
        known = sum(w for t, w in weights.items() if t in self.index.term_number)
        explained_known = explained * total / known if known else 0.0
        unanswered = frozenset(terms) & self.lexicon.unanswered
        typed = words(text)
        asking, scope = self.asking.evidence(typed), self.scope.evidence(typed)
        clip = self.config.tag_evidence_clip
        asks = 1.0 if kind == QUESTION else 0.0
        return (
            top,
            top - runner_up,
            runner_up / top if top else 0.0,
            explained,
            explained_known,
            unknown,
            asks,
            1.0 if "?" in text or "？" in text else 0.0,
            math.log1p(len(typed)),
            math.log1p(len(terms)),
            1.0 if ranked and not unanswered <= asked else 0.0,
            1.0 if terms and set(terms) <= self.lexicon.interrogatives else 0.0,
            1.0 if follow_up else 0.0,
            *learned,
            asking,
            scope,
            asks * asking,
            asking * abs(asking) / clip,
            scope * abs(scope) / clip,
        )

    def ask(
        self,
        text: str,
        lang_hint: str | None = None,
        conversation: Conversation | None = None,
        now: float | None = None,
    ) -> Reply:
        """The reply to `text`. A conversation, if given, is read and then updated."""
        analysis = self.analyse(text, lang_hint, conversation, now)
        if conversation is not None:
            self.remember(conversation, analysis, now)
        return self.decide(analysis)

    @staticmethod
    def remember(conversation: Conversation, analysis: Analysis, now: float | None = None) -> None:
        """Keep what a later message may need: the language, if the text showed it, and the
        turn a follow-up would refer to."""
        if analysis.lang_evidence:
            conversation.lang = analysis.lang
        if analysis.ranked:  # answered or not: "kalau offshore?" may follow a suggestion
            conversation.remember(analysis.terms, analysis.read, analysis.ranked[0].topic_id, now)

    def decide(self, analysis: Analysis) -> Reply:
        if analysis.kind not in (QUESTION, STATEMENT):
            return Reply(SMALLTALK, None, (), analysis.lang, 0.0, analysis.kind)
        ranked = list(analysis.ranked)
        verdict: tuple[Verdict, float] = ("none", 0.0)
        status, confidence = self.decision.decide(analysis.features) if ranked else verdict
        top = ranked[0] if ranked else None
        return Reply(
            status=status,
            topic_id=top.topic_id if top and status == "answer" else None,
            suggestions=suggestions(self.index, ranked) if status == "suggest" else (),
            lang=analysis.lang,
            score=top.score if top else 0.0,
            kind=analysis.kind,
            confidence=confidence,
        )
