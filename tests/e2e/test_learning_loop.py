"""The learning loop through the real bot process: a tapped suggestion, `faqbot learn
--accept` on the bot's FAQ file, /reload, and the same question answered directly."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakebotapi import FakeBotApi

from bot.strings import t
from e2e.harness import ADMIN_ID, RunningBot, faqbot_command
from faq.engine import Engine
from faq.model import DEFAULT_FAQ_PATH

TIMEOUT = 30.0
VAGUE = (
    "types",
    "work",
    "kerja di bpo enak ga",
    "jenis kerja luar",
    "outsourcing types",
    "bpo work",
)


@pytest.fixture(scope="module")
def faq_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("faq") / "faq.yaml"
    shutil.copyfile(DEFAULT_FAQ_PATH, path)
    return path


@pytest.fixture(scope="module")
def bot(
    api: FakeBotApi, faq_copy: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningBot]:
    env = {"FAQ_PATH": str(faq_copy)}
    with RunningBot(api, tmp_path_factory.mktemp("learn"), env) as running:
        yield running


def candidate_ids(bot: RunningBot) -> list[int]:
    try:
        with sqlite3.connect(bot.database) as db:
            rows = db.execute("SELECT id FROM learn_candidates WHERE status = 'new'").fetchall()
    except sqlite3.OperationalError:  # the table is created on the first use
        return []
    return [row[0] for row in rows]


def test_a_tapped_suggestion_is_answered_directly_after_learn_accept_and_reload(
    api: FakeBotApi, bot: RunningBot, faq_copy: Path
) -> None:
    engine = Engine.from_path(faq_copy)
    question = next(q for q in VAGUE if engine.ask(q, lang_hint="en").status == "suggest")
    lang = engine.ask(question, lang_hint="en").lang
    user = api.user("Trainee", language_code="en")
    chat = api.private_chat(user)
    reply = api.wait_for_reply(api.send_message(chat, user, question), timeout=TIMEOUT)
    chosen = reply.callback_data[-1]
    topic_id = chosen.rsplit(":", 1)[1]
    api.press_button(chat, user, reply, chosen)
    api.wait_for(lambda: len(candidate_ids(bot)) == 1, timeout=TIMEOUT)

    env = {"DATABASE_PATH": str(bot.database), "PATH": "/usr/bin:/bin"}
    listing = subprocess.run(
        [*faqbot_command(), "learn", "--faq", str(faq_copy)],
        env=env, capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    assert f"{topic_id}:" in listing.stdout and question in listing.stdout
    accept = [*faqbot_command(), "learn", "--faq", str(faq_copy), "--accept"]
    subprocess.run(
        [*accept, *map(str, candidate_ids(bot))],
        env=env, capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip

    admin = api.user("Admin", user_id=ADMIN_ID)
    reloaded = api.wait_for_reply(
        api.send_message(api.private_chat(admin), admin, "/reload"), timeout=TIMEOUT
    )
    assert reloaded.text.startswith("FAQ reloaded")
    again = api.wait_for_reply(api.send_message(chat, user, question), timeout=TIMEOUT)
    assert again.text.startswith(engine.faq.topics[topic_id].texts[lang].title)
    assert again.text != t(lang, "did_you_mean")
    assert api.rejections == []
