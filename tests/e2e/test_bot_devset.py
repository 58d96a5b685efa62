"""The whole dev evaluation set through the real bot, each reply checked against the engine."""

from __future__ import annotations

from pathlib import Path

from fakebotapi import FakeBotApi

from bot.strings import smalltalk, t
from e2e.harness import RunningBot
from faq.conversation import Conversation
from faq.engine import Engine
from faq.evaluation import read_eval_file

DEV_SET = Path(__file__).resolve().parents[1] / "data" / "dev.tsv"
NO_THROTTLE = {"THROTTLE_USER_PER_MINUTE": "100000", "THROTTLE_CHAT_PER_MINUTE": "100000"}


def test_every_dev_question_gets_the_reply_faqbot_eval_scores(tmp_path) -> None:
    engine = Engine.from_path()
    rows = read_eval_file(DEV_SET, set(engine.faq.topics))
    with FakeBotApi() as api, RunningBot(api, tmp_path, env=NO_THROTTLE):
        user = api.user("Eval", language_code=None)
        chat = api.private_chat(user)
        conversation = Conversation()  # the bot keeps one for the chat: follow-ups, language
        for row in rows:
            reply = api.wait_for_reply(api.send_message(chat, user, row.question), timeout=15)
            expected = engine.ask(row.question, conversation=conversation)
            if expected.status == "smalltalk":
                assert reply.text == smalltalk(expected.lang, expected.kind), row
            elif expected.status == "answer":
                topic = engine.faq.topics[expected.topic_id].texts[expected.lang]
                assert reply.text.startswith(topic.title), row
            elif expected.status == "suggest":
                assert reply.text == t(expected.lang, "did_you_mean"), row
                buttons = [f"a:{expected.lang}:{s}" for s in expected.suggestions]
                assert reply.callback_data == buttons, row
            else:
                assert reply.text == t(expected.lang, "dont_know"), row
        assert api.rejections == []
