"""The quiz items the bot serves: loaded beside the FAQ with Telegram's poll limits."""

from __future__ import annotations

import logging
from pathlib import Path

from telegram.constants import PollLimit

from bot.strings import t
from faq.model import LANGS
from faq.quiz import Quiz, QuizError, QuizLimits, QuizProblem, check_quiz

log = logging.getLogger(__name__)

QUIZ_FILE = "quiz.yaml"
"""Its name, in the FAQ file's folder."""

LINK_ROOM = 2 + max(len(t(lang, "quiz_full_answer")) for lang in LANGS)
"""What the link to the full answer adds to an explanation (a space, a label, a margin)."""

LIMITS = QuizLimits(
    question=PollLimit.MAX_QUESTION_LENGTH,
    option=PollLimit.MAX_OPTION_LENGTH,
    explanation=PollLimit.MAX_EXPLANATION_LENGTH - LINK_ROOM,
)


def quiz_path(faq_path: Path) -> Path:
    return faq_path.parent / QUIZ_FILE


def load_bank(faq_path: Path, topics: set[str]) -> tuple[Quiz, list[QuizProblem]]:
    """The quiz beside the FAQ, with its problems; an empty quiz (logged) if it is missing
    or invalid, since the bot answers questions without it."""
    path = quiz_path(faq_path)
    if not path.exists():
        log.info("no quiz at %s: /quiz has nothing to ask", path)
        return Quiz(()), []
    quiz, problems = check_quiz(path, LIMITS, topics)
    if quiz is None:
        log.error("the quiz is invalid, /quiz has nothing to ask:\n%s", QuizError(problems))
        return Quiz(()), problems
    return quiz, []
