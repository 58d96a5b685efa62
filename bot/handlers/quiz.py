"""/quiz: native Telegram quiz polls in private chats and groups, scored per person per chat.

/quiz [TOPIC] asks one question in the asker's language; /quiz top shows the chat's
leaderboard; /quiz daily HH:MM [+H] (a group's admins) asks one every day at that time, and
/quiz daily off stops it. Polls are not anonymous, so every answer arrives as a poll_answer
update, which is scored against the poll's item. In a group the bot speaks only when asked
or at the time an admin chose.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import logging
import re
from collections.abc import Callable
from typing import Any, TypeVar

from telegram import Bot, InputPollOption, Poll, Update
from telegram.constants import ParseMode
from telegram.ext import Application, JobQueue

from bot.context import BotContext
from bot.delivery import deliver
from bot.handlers.group import _is_chat_admin
from bot.handlers.replies import allowed
from bot.quizbank import load_bank
from bot.quizstore import QuizStore, Schedule
from bot.render import fit
from bot.services import KEY, Services
from bot.share import deep_link
from bot.sidedb import off_loop
from bot.strings import t
from faq.quiz import Quiz, QuizItem

log = logging.getLogger(__name__)
T = TypeVar("T")
AnyApplication = Application[Any, Any, Any, Any, Any, Any]

BANK_KEY = "quiz_bank"
STORE_KEY = "quiz_store"
JOB_PREFIX = "quiz-daily:"
LEADERBOARD_SIZE = 10
DEFAULT_UTC_OFFSET = 7 * 60
"""Minutes east of UTC of a daily time given without an offset: Western Indonesia (WIB)."""
_TIME = re.compile(r"([01]?\d|2[0-3])[:.]([0-5]\d)")
_OFFSET = re.compile(r"(?:utc|gmt)?([+-])(\d{1,2})(?::?([0-5]\d))?", re.IGNORECASE)


def bank(application: AnyApplication) -> Quiz:
    """The quiz being served, loaded on first use (and again after /reload)."""
    found = application.bot_data.get(BANK_KEY)
    if not isinstance(found, Quiz):
        svc: Services = application.bot_data[KEY]
        found, _ = load_bank(svc.settings.faq_path, set(svc.engine.faq.topics))
        application.bot_data[BANK_KEY] = found
    return found


def store(application: AnyApplication) -> QuizStore:
    found = application.bot_data.get(STORE_KEY)
    if not isinstance(found, QuizStore):
        svc: Services = application.bot_data[KEY]
        found = QuizStore(svc.settings.database_path)
        application.bot_data[STORE_KEY] = found
    return found


def _explanation(bot: Bot, item: QuizItem, lang: str) -> str:
    """The item's explanation (shown after answering) with a link to the full answer."""
    link = html.escape(deep_link(bot.username, item.topic))
    label = html.escape(t(lang, "quiz_full_answer"), quote=False)
    return f'{html.escape(item.text[lang].explanation, quote=False)} <a href="{link}">{label}</a>'


async def send_quiz(
    application: AnyApplication,
    chat_id: int,
    item: QuizItem,
    lang: str,
    thread_id: int | None = None,
) -> bool:
    """Send `item` as a quiz poll in `lang` and remember the poll; whether it was sent."""
    bot = application.bot
    text = item.text[lang]
    message = await deliver(
        "quiz",
        lambda: bot.send_poll(
            chat_id,
            text.question,
            [InputPollOption(option, text_parse_mode=None) for option in text.options],
            is_anonymous=False,
            type=Poll.QUIZ,
            correct_option_ids=[item.correct],
            explanation=_explanation(bot, item, lang),
            explanation_parse_mode=ParseMode.HTML,
            question_parse_mode=None,
            message_thread_id=thread_id,
        ),
    )
    if message is None or message.poll is None:
        return False
    poll_id, quiz_store = message.poll.id, store(application)
    await off_loop(
        "remember a quiz",
        None,
        lambda: quiz_store.record_poll(poll_id, chat_id, item.key, item.correct, lang),
    )
    return True


def _topic(svc: Services, quiz: Quiz, words: list[str]) -> str | None:
    """The quiz topic `/quiz WORDS` names: a topic id, or the best match (scoring at least
    what inline mode lists) that has items."""
    wanted = " ".join(words).strip().lower()
    topics = quiz.topics
    if wanted in topics:
        return wanted
    floor = svc.engine.config.inline_min_score
    ranked = [s.topic_id for s in svc.engine.rank(wanted) if s.score >= floor]
    return next((topic_id for topic_id in ranked if topic_id in topics), None)


async def quiz_command(update: Update, context: BotContext) -> None:
    svc, message, chat = context.services, update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    lang = await svc.ui_lang(update.effective_user)
    args = context.args or []
    if args and args[0].lower() == "top":
        await _leaderboard(update, context, lang)
        return
    if args and args[0].lower() == "daily":
        await _daily(update, context, lang, args[1:])
        return
    if not await allowed(svc, update, lang):
        return
    quiz = bank(context.application)
    topic = _topic(svc, quiz, args) if args else None
    item = quiz.pick(topic) if topic or not args else None
    if item is None:
        key = "quiz_no_topic" if args else "quiz_none"
        await deliver("quiz", lambda: message.reply_text(t(lang, key), do_quote=True))
        return
    thread_id = message.message_thread_id if message.is_topic_message else None
    await send_quiz(context.application, chat.id, item, lang, thread_id)


async def _leaderboard(update: Update, context: BotContext, lang: str) -> None:
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    quiz_store = store(context.application)
    scores = await off_loop(
        "read the leaderboard", None, lambda: quiz_store.leaderboard(chat.id, LEADERBOARD_SIZE)
    )
    if scores is None:
        text = t(lang, "stats_unavailable")
    elif not scores:
        text = t(lang, "quiz_top_empty")
    else:
        lines = [t(lang, "quiz_top_header")]
        for rank, score in enumerate(scores, 1):
            name = html.escape(score.name, quote=False)
            points = t(lang, "quiz_top_line", score=score.right, answered=score.answered)
            lines.append(f"{rank}. {name}: {points}")
        text = "\n".join(lines)
    await deliver("quiz top", lambda: message.reply_text(text, do_quote=False))


def _parse_daily(args: list[str]) -> tuple[int, int, int] | None:
    """(hour, minute, minutes east of UTC) from "HH:MM [+H[:MM]]", or None."""
    if not args or len(args) > 2:
        return None
    time = _TIME.fullmatch(args[0])
    offset = _OFFSET.fullmatch(args[1]) if len(args) == 2 else None
    if time is None or (len(args) == 2 and offset is None):
        return None
    minutes = DEFAULT_UTC_OFFSET
    if offset is not None:
        sign = -1 if offset[1] == "-" else 1
        minutes = sign * (int(offset[2]) * 60 + int(offset[3] or 0))
        if abs(minutes) > 14 * 60:
            return None
    return int(time[1]), int(time[2]), minutes


def _zone(minutes: int) -> str:
    sign = "-" if minutes < 0 else "+"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


async def _daily(update: Update, context: BotContext, lang: str, args: list[str]) -> None:
    """/quiz daily HH:MM [+H] or /quiz daily off: in a group, for its admins only."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return

    async def say(key: str, **values: object) -> None:
        text = t(lang, key, **values)
        await deliver("quiz daily", lambda: message.reply_text(text, do_quote=True))

    if chat.type != chat.PRIVATE and not await _is_chat_admin(update, context):
        await say("admins_only")
        return
    quiz_store = store(context.application)
    if args and args[0].lower() == "off":
        saved = await off_loop(
            "clear a daily quiz", False, lambda: _done(quiz_store.clear_schedule, chat.id)
        )
        if saved:
            _unschedule(context.application, chat.id)
        await say("quiz_daily_off" if saved else "saved_nowhere")
        return
    parsed = _parse_daily(args)
    if parsed is None:
        await say("quiz_daily_usage")
        return
    schedule = Schedule(chat.id, *parsed, lang)
    saved = await off_loop(
        "save a daily quiz", False, lambda: _done(quiz_store.set_schedule, schedule)
    )
    if not saved:
        await say("saved_nowhere")
        return
    schedule_daily(context.application, schedule)
    time = f"{schedule.hour:02d}:{schedule.minute:02d}"
    await say("quiz_daily_on", time=time, zone=_zone(schedule.utc_offset_minutes))


def _done(write: Callable[[T], None], argument: T) -> bool:
    """Run a write; True once it is saved (a failure raises, and `off_loop` says False)."""
    write(argument)
    return True


def _job_queue(application: AnyApplication) -> JobQueue[Any]:
    queue = application.job_queue
    if queue is None:
        raise RuntimeError("python-telegram-bot[job-queue] is not installed")
    return queue


def _unschedule(application: AnyApplication, chat_id: int) -> None:
    for job in _job_queue(application).get_jobs_by_name(f"{JOB_PREFIX}{chat_id}"):
        job.schedule_removal()


def schedule_daily(application: AnyApplication, schedule: Schedule) -> None:
    """(Re)place the chat's daily quiz job."""
    _unschedule(application, schedule.chat_id)
    zone = dt.timezone(dt.timedelta(minutes=schedule.utc_offset_minutes))
    _job_queue(application).run_daily(
        daily_quiz,
        dt.time(schedule.hour, schedule.minute, tzinfo=zone),
        chat_id=schedule.chat_id,
        data=schedule.lang,
        name=f"{JOB_PREFIX}{schedule.chat_id}",
    )


async def daily_quiz(context: BotContext) -> None:
    """The job: one random quiz in the language of the admin who scheduled it."""
    job = context.job
    if job is None or job.chat_id is None:
        return
    item = bank(context.application).pick()
    if item is None:
        log.warning("daily quiz in chat %s skipped: no quiz items", job.chat_id)
        return
    await send_quiz(context.application, job.chat_id, item, str(job.data))


async def restore_schedules(application: AnyApplication) -> None:
    """At start-up: the quiz is read (off the event loop), and the daily quizzes saved before
    a restart run again."""
    svc: Services = application.bot_data[KEY]
    quiz, _ = await asyncio.to_thread(load_bank, svc.settings.faq_path, set(svc.engine.faq.topics))
    application.bot_data[BANK_KEY] = quiz
    quiz_store = store(application)
    saved: list[Schedule] = await off_loop("read daily quizzes", [], quiz_store.schedules)
    for schedule in saved:
        schedule_daily(application, schedule)
    log.info("%d daily quiz(zes) scheduled", len(_job_queue(application).jobs()))


async def on_poll_answer(update: Update, context: BotContext) -> None:
    """Score an answer to one of the bot's quizzes; the bot says nothing."""
    answer = update.poll_answer
    if answer is None or answer.user is None:
        return  # an anonymous admin answering as the group: nobody to score
    user = answer.user
    name = user.full_name or user.username or str(user.id)
    quiz_store = store(context.application)
    options = list(answer.option_ids)
    await off_loop(
        "score a quiz answer",
        None,
        lambda: quiz_store.record_answer(answer.poll_id, user.id, name, options),
    )


async def reload_quiz(update: Update, context: BotContext) -> None:
    """After /reload (registered for ADMIN_IDS only): the quiz is read again, with the FAQ's
    new topics; its problems, if any, are told like the FAQ's."""
    svc, message = context.services, update.effective_message
    if message is None:
        return
    quiz, problems = await asyncio.to_thread(
        load_bank, svc.settings.faq_path, set(svc.engine.faq.topics)
    )
    context.application.bot_data[BANK_KEY] = quiz
    log.info("quiz reloaded: %d items", len(quiz.items))
    if problems:
        lang = await svc.ui_lang(update.effective_user)
        body = html.escape("\n".join(map(str, problems)), quote=False)
        text = fit(f"{t(lang, 'quiz_reload_failed')}\n<pre>{body}</pre>")
        await deliver("reload", lambda: message.reply_text(text))
