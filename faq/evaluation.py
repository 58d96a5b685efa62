"""Evaluation of the engine on TSV files of rows
`lang<TAB>expected<TAB>question[<TAB>tag[<TAB>previous]]`.

`lang` is id, ms, en, or several joined by "/" when each is right; `expected` is a topic id,
"-" for out of scope, or "*" to score the reply language only. `tag` is "inscope", "near-oos"
or "chatter" (left out or empty: "near-oos" for "-", else "inscope"); `previous` is an earlier
question in the same chat, asked first, so the row's question is a follow-up to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from faq.conversation import Conversation
from faq.engine import Analysis, Engine, Reply
from faq.rows import (
    CHATTER,
    LANGUAGE_ONLY,
    NEAR_OOS,
    OUT_OF_SCOPE,
    TAGS,
    EvalRow,
)

SHORT_WORDS = 8
"""In-scope questions of at most this many words count as short; the quality bars differ."""
SHORT, LONGER, FOLLOW_UP = "short", "longer", "follow-up"
BANDS = (SHORT, LONGER, FOLLOW_UP)


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

    @property
    def shows_language(self) -> bool:
        """The question's own words showed its language (unknown for a baseline)."""
        return self.analysis is not None and self.analysis.lang_evidence

    @property
    def band(self) -> str:
        return band_of(self.row)


def band_of(row: EvalRow) -> str:
    """short (at most SHORT_WORDS words), longer, or follow-up (asked after `previous`)."""
    if row.previous is not None:
        return FOLLOW_UP
    return SHORT if len(row.question.split()) <= SHORT_WORDS else LONGER


@dataclass(frozen=True)
class Share:
    part: int
    whole: int

    @property
    def rate(self) -> float:
        return _share(self.part, self.whole)

    def __str__(self) -> str:
        return f"{self.rate:.1%} ({self.part}/{self.whole})"


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
    right_by_band: dict[str, Share]
    """In-scope answered with the right topic, per band (short, longer, follow-up)."""
    lang_by_tag: dict[str, Share]
    lang_where_shown: Share
    """Reply language right on the rows whose own words showed a language clearly; the others
    ("👍", "ok", "pagi semua") take the fallback when read alone, as in a chat they take the
    user's last language or Telegram's."""

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
            **{
                f"in_scope_accuracy_{band}": round(share.rate, 4)
                for band, share in self.right_by_band.items()
            },
            **{
                f"language_accuracy_{tag}": round(share.rate, 4)
                for tag, share in self.lang_by_tag.items()
            },
            "shown_language_accuracy": round(self.lang_where_shown.rate, 4),
            "shown_language_rows": self.lang_where_shown.whole,
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
            *(
                f"inscope answered with the right topic, {band}: {share}"
                for band, share in self.right_by_band.items()
            ),
            f"reply language right: {self.language_accuracy:.1%} ({self.lang_right}/{self.rows})",
            *(f"reply language right, {tag}: {share}" for tag, share in self.lang_by_tag.items()),
            f"reply language right where the text shows one: {self.lang_where_shown}",
        ]


def _share(part: int, whole: int, empty: float = 1.0) -> float:
    return part / whole if whole else empty


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
    shown = [r for r in results if r.shows_language]
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
        right_by_band={
            band: Share(sum(r.topic_right for r in rows), len(rows))
            for band in BANDS
            if (rows := [r for r in in_scope if r.band == band])
        },
        lang_by_tag={
            tag: Share(sum(r.lang_right for r in rows), len(rows))
            for tag in TAGS
            if (rows := [r for r in results if r.row.tag == tag])
        },
        lang_where_shown=Share(sum(r.lang_right for r in shown), len(shown)),
    )
