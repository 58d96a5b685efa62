"""Admin commands, in-process: refused to everyone else, and /reload keeping the old FAQ
on a bad file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from auxil import build_updates as tg
from auxil.offline_bot import ADMIN_ID, OfflineBot, text_of

from bot.strings import t
from faq.model import DEFAULT_FAQ_PATH

OLD_TITLE = "title: What is BPO?"
NEW_TITLE = "title: What is BPO, version two?"


@pytest.fixture
def faq_copy(tmp_path: Path) -> Path:
    path = tmp_path / "faq.yaml"
    shutil.copyfile(DEFAULT_FAQ_PATH, path)
    assert OLD_TITLE in path.read_text(encoding="utf-8")
    return path


@pytest.fixture
def admin_bot(make_bot, faq_copy: Path) -> OfflineBot:
    return make_bot(FAQ_PATH=str(faq_copy))


@pytest.mark.parametrize("command", ["/stats", "/reload"])
def test_non_admin_gets_no_output_in_private(admin_bot: OfflineBot, command: str) -> None:
    user = tg.user("Nobody")
    assert admin_bot.send(tg.message_update(tg.private_chat(user), user, command)) == []


@pytest.mark.parametrize("command", ["/stats", "/reload", "/stats@faq_test_bot"])
@pytest.mark.parametrize("status", ["member", "administrator"])
def test_non_admin_gets_no_output_in_groups(
    admin_bot: OfflineBot, command: str, status: str
) -> None:
    """Being a chat admin is not enough: /stats and /reload are for ADMIN_IDS only."""
    group = tg.group("Team", supergroup=True)
    user = tg.user("ChatAdmin")
    admin_bot.request.members[(group["id"], user["id"])] = status
    assert admin_bot.send(tg.message_update(group, user, command)) == []


def test_stats_works_for_the_admin(admin_bot: OfflineBot) -> None:
    """The control case: the same command from ADMIN_IDS does answer."""
    asker = tg.user("Asker")
    admin_bot.reply(tg.message_update(tg.private_chat(asker), asker, "what is bpo"))
    admin = tg.user("Admin", user_id=ADMIN_ID)
    reply = admin_bot.reply(tg.message_update(tg.private_chat(admin), admin, "/stats"))
    assert text_of(reply)
    assert reply["text"].startswith("<pre>")


def test_autoanswer_by_a_plain_member_is_refused(admin_bot: OfflineBot) -> None:
    group = tg.group("Autoanswer")
    member = tg.user("Member")
    for choice in ("on", "off"):
        reply = admin_bot.reply(tg.message_update(group, member, f"/autoanswer {choice}"))
        assert text_of(reply) == t("en", "admins_only")
    # Nothing changed: a question without /ask is still not answered.
    assert admin_bot.send(tg.message_update(group, member, "what is bpo")) == []
    # The control case: a group admin may switch it.
    owner = tg.user("Owner")
    admin_bot.request.members[(group["id"], owner["id"])] = "creator"
    reply = admin_bot.reply(tg.message_update(group, owner, "/autoanswer on"))
    assert text_of(reply) == t("en", "autoanswer_on")


def test_reload_with_an_invalid_file_keeps_the_old_faq(
    admin_bot: OfflineBot, faq_copy: Path
) -> None:
    admin = tg.user("Admin", user_id=ADMIN_ID)
    admin_chat = tg.private_chat(admin)
    asker = tg.user("Asker")
    asker_chat = tg.private_chat(asker)

    def answer_to(question: str) -> str:
        return text_of(admin_bot.reply(tg.message_update(asker_chat, asker, question)))

    def reload() -> str:
        return text_of(admin_bot.reply(tg.message_update(admin_chat, admin, "/reload")))

    before = answer_to("what is bpo")
    assert "What is BPO?" in before

    good = faq_copy.read_text(encoding="utf-8")
    faq_copy.write_text(good + "\n  - id: [unclosed\n", encoding="utf-8")
    reply = reload()
    assert reply.startswith(t("en", "reload_failed").split(",")[0])
    assert "faq.yaml" in reply  # the problems are listed, with the file
    assert answer_to("what is bpo") == before

    faq_copy.write_text(good.replace(OLD_TITLE, NEW_TITLE, 1), encoding="utf-8")
    assert reload().startswith("FAQ reloaded")
    assert "What is BPO, version two?" in answer_to("what is bpo")
    assert admin_bot.request.rejections == []


def test_stats_from_the_admin_in_a_group_stays_private(admin_bot: OfflineBot) -> None:
    """/stats lists users' unanswered questions: never into a group, even for the admin."""
    admin = tg.user("Admin", user_id=ADMIN_ID)
    group = tg.group("Admin's team", supergroup=True)
    assert admin_bot.send(tg.message_update(group, admin, "/stats")) == []
