"""Admin commands refused to everyone else, and /reload keeping the old FAQ on a bad file."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakebotapi import FakeBotApi

from bot.strings import t
from e2e.harness import ADMIN_ID, RunningBot, Settled
from faq.model import DEFAULT_FAQ_PATH

TIMEOUT = 30.0
OLD_TITLE = "title: What is BPO?"
NEW_TITLE = "title: What is BPO, version two?"


@pytest.fixture(scope="module")
def faq_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("faq") / "faq.yaml"
    shutil.copyfile(DEFAULT_FAQ_PATH, path)
    assert OLD_TITLE in path.read_text(encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def bot(
    api: FakeBotApi, faq_copy: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningBot]:
    env = {"FAQ_PATH": str(faq_copy)}
    with RunningBot(api, tmp_path_factory.mktemp("admin"), env) as running:
        yield running


@pytest.mark.parametrize("command", ["/stats", "/reload"])
def test_non_admin_gets_no_output_in_private(api: FakeBotApi, bot: RunningBot, command: str):
    settled = Settled(api, TIMEOUT)
    user = api.user("Nobody")
    chat = api.private_chat(user)
    update = api.send_message(chat, user, command)
    settled()
    assert api.sent_messages(chat, after=update) == []
    assert api.rejections == []


@pytest.mark.parametrize("command", ["/stats", "/reload", "/stats@faq_test_bot"])
@pytest.mark.parametrize("status", ["member", "administrator"])
def test_non_admin_gets_no_output_in_groups(
    api: FakeBotApi, bot: RunningBot, command: str, status: str
) -> None:
    """Being a chat admin is not enough: /stats and /reload are for ADMIN_IDS only."""
    settled = Settled(api, TIMEOUT)
    group = api.supergroup("Team")
    api.make_admin(group)  # the bot sees everything
    user = api.user("ChatAdmin")
    api.set_status(group, user, status)
    update = api.send_message(group, user, command)
    settled()
    assert api.sent_messages(group, after=update) == []


def test_stats_works_for_the_admin(api: FakeBotApi, bot: RunningBot) -> None:
    """The control case: the same command from ADMIN_IDS does answer."""
    admin = api.user("Admin", user_id=ADMIN_ID)
    reply = api.wait_for_reply(
        api.send_message(api.private_chat(admin), admin, "/stats"), timeout=TIMEOUT
    )
    assert reply.text


def test_stats_from_the_admin_in_a_group_stays_private(api: FakeBotApi, bot: RunningBot) -> None:
    """/stats lists users' unanswered questions: never into a group, even for the admin."""
    admin = api.user("Admin", user_id=ADMIN_ID)
    group = api.supergroup("Admin's team")
    api.make_admin(group)
    update = api.send_message(group, admin, "/stats")
    bot.wait_handled(update, TIMEOUT)
    Settled(api, TIMEOUT)()
    assert api.sent_messages(group, after=update) == []


def test_autoanswer_by_a_plain_member_is_refused(api: FakeBotApi, bot: RunningBot) -> None:
    group = api.group("Autoanswer")
    member = api.user("Member")
    api.set_status(group, member, "member")
    for choice in ("on", "off"):
        update = api.send_message(group, member, f"/autoanswer {choice}")
        reply = api.wait_for_reply(update, timeout=TIMEOUT)
        assert reply.text == t("en", "admins_only")
    # Nothing changed: a question without /ask is still not answered.
    settled = Settled(api, TIMEOUT)
    api.make_admin(group)
    question = api.send_message(group, member, "what is bpo")
    settled()
    assert api.sent_messages(group, after=question) == []
    # The control case: a group admin may switch it.
    owner = api.user("Owner")
    api.make_creator(group, owner)
    reply = api.wait_for_reply(api.send_message(group, owner, "/autoanswer on"), timeout=TIMEOUT)
    assert reply.text == t("en", "autoanswer_on")


def test_reload_with_an_invalid_file_keeps_the_old_faq(
    api: FakeBotApi, bot: RunningBot, faq_copy: Path
) -> None:
    admin = api.user("Admin", user_id=ADMIN_ID)
    admin_chat = api.private_chat(admin)
    asker = api.user("Asker")
    asker_chat = api.private_chat(asker)

    def answer_to(question: str) -> str:
        update = api.send_message(asker_chat, asker, question)
        return api.wait_for_reply(update, timeout=TIMEOUT).text

    before = answer_to("what is bpo")
    assert "What is BPO?" in before

    good = faq_copy.read_text(encoding="utf-8")
    faq_copy.write_text(good + "\n  - id: [unclosed\n", encoding="utf-8")
    reply = api.wait_for_reply(api.send_message(admin_chat, admin, "/reload"), timeout=TIMEOUT)
    assert reply.text.startswith(t("en", "reload_failed").split(",")[0])
    assert "faq.yaml" in reply.text  # the problems are listed, with the file
    assert answer_to("what is bpo") == before

    faq_copy.write_text(good.replace(OLD_TITLE, NEW_TITLE, 1), encoding="utf-8")
    reply = api.wait_for_reply(api.send_message(admin_chat, admin, "/reload"), timeout=TIMEOUT)
    assert reply.text.startswith("FAQ reloaded")
    assert "What is BPO, version two?" in answer_to("what is bpo")
    assert api.rejections == []
    assert bot.alive()
