"""The whole dev evaluation set through the bot's handlers, each reply checked against the
engine."""

from __future__ import annotations

from pathlib import Path

from auxil import build_updates as tg
from auxil.offline_bot import buttons_of, text_of

from bot.strings import smalltalk, t
from faq.conversation import Conversation
from faq.rows import read_eval_file

DEV_SET = Path(__file__).resolve().parents[1] / "data" / "dev.tsv"


def test_every_dev_question_gets_the_reply_faqbot_eval_scores(make_bot, engine) -> None:
    rows = read_eval_file(DEV_SET, set(engine.faq.topics))
    bot = make_bot(unlimited=True)
    user = tg.user("Eval", language_code=None)
    chat = tg.private_chat(user)
    conversation = Conversation()  # the bot keeps one for the chat: follow-ups, language
    for row in rows:
        reply = bot.reply(tg.message_update(chat, user, row.question))
        expected = engine.ask(row.question, conversation=conversation)
        if expected.status == "smalltalk":
            assert text_of(reply) == text_of({"text": smalltalk(expected.lang, expected.kind)})
        elif expected.status == "answer":
            topic = engine.faq.topics[expected.topic_id].texts[expected.lang]
            assert text_of(reply).startswith(topic.title), row
        elif expected.status == "suggest":
            assert reply["text"] == t(expected.lang, "did_you_mean"), row
            buttons = [f"a:{expected.lang}:{s}" for s in expected.suggestions]
            assert buttons_of(reply) == buttons, row
        else:
            assert reply["text"] == t(expected.lang, "dont_know"), row
    assert bot.request.rejections == []
