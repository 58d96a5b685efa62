"""The learning loop: taps that tie a question to a topic, `faqbot learn`, /learn, and
recurring unanswered questions grouped into candidate new topics."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from inprocess import ADMIN_ID, OfflineBot, Person, callback_data

from bot.cli import main
from bot.learning import cluster_unanswered
from bot.learnstore import LearnStore
from bot.storage import Storage
from bot.strings import t
from faq.engine import Engine
from faq.model import DEFAULT_FAQ_PATH, EXAMPLES_DIRNAME

VAGUE = {
    "id": [
        "kerja di bpo enak ga",
        "gaji call center",
        "kerja apa",
        "gimana outsourcing buat perusahaan",
    ],
    "ms": [
        "jenis kerja luar",
        "kerja apa",
        "bpo tu ok ke",
        "macam mana outsourcing untuk syarikat",
    ],
    "en": [
        "types",
        "work",
        "bpo jobs any good",
        "outsourcing types",
        "bpo work",
        "how does outsourcing work for a company",
        "what about the workers",
    ],
}


@pytest.fixture
def faq_file(tmp_path: Path) -> Path:
    """A copy of the real FAQ file and its example questions (its sources are found beside the
    installed FAQ)."""
    path = tmp_path / "data" / "faq.yaml"
    path.parent.mkdir()
    shutil.copy(DEFAULT_FAQ_PATH, path)
    shutil.copytree(DEFAULT_FAQ_PATH.parent / EXAMPLES_DIRNAME, path.parent / EXAMPLES_DIRNAME)
    return path


@pytest.fixture
def bot(tmp_path: Path, faq_file: Path) -> Iterator[OfflineBot]:
    offline = OfflineBot(tmp_path, faq_path=faq_file)
    yield offline
    offline.close()


def vague_question(engine: Engine, lang: str) -> str:
    """A question the FAQ can only offer suggestions for (no fixed result assumed)."""
    return next(q for q in VAGUE[lang] if engine.ask(q, lang_hint=lang).status == "suggest")


def candidates(bot: OfflineBot) -> list[tuple[str, str, str, int]]:
    store = LearnStore(bot.settings.database_path)
    try:
        return [(c.question, c.topic_id, c.lang, c.times) for c in store.candidates()]
    finally:
        store.close()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_tapped_suggestion_becomes_a_phrasing_the_engine_then_answers(
    bot, faq_file, lang, capsys
) -> None:
    person = Person(21, "Rina", lang)
    chat = bot.private_chat(person)
    question = vague_question(bot.engine, lang)
    (reply,) = bot.message(chat, person, question)
    assert reply.params["text"] == t(lang, "did_you_mean")
    chosen = callback_data(reply)[-1]  # not the engine's first guess
    topic_id = chosen.rsplit(":", 1)[1]
    bot.tap(person, reply, chosen)
    assert candidates(bot) == [(question, topic_id, lang, 1)]

    database = str(bot.settings.database_path)
    assert main(["learn", "--database", database, "--faq", str(faq_file)]) == 0
    listing = capsys.readouterr().out
    assert f"{topic_id}:" in listing and question in listing
    (candidate_id,) = [c.id for c in LearnStore(database).candidates()]

    before = faq_file.read_text(encoding="utf-8").splitlines()
    assert main(["learn", "--database", database, "--faq", str(faq_file), "--accept",
                 str(candidate_id)]) == 0  # fmt: skip
    after = faq_file.read_text(encoding="utf-8").splitlines()
    added = [line for line in after if line not in before]
    assert len(after) == len(before) + 1 and [line.strip() for line in added] == [f"- {question}"]
    assert main(["check", str(faq_file)]) == 0
    assert LearnStore(database).candidates() == []  # accepted, no longer listed

    admin = Person(ADMIN_ID, "Admin", "en")
    (reloaded,) = bot.message(bot.private_chat(admin), admin, "/reload")
    assert reloaded.params["text"].startswith(t("en", "reload_ok", summary="")[:10])
    (answer,) = bot.message(chat, person, question)
    title = bot.engine.faq.topics[topic_id].texts[lang].title
    if answer.params["text"] == t(lang, "did_you_mean"):
        # a vague question may stay too vague to answer outright ("types": of BPO or of call
        # centre?), but what was learned now comes first
        assert callback_data(answer)[0].rsplit(":", 1)[1] == topic_id
    else:
        assert answer.params["text"].startswith(f"<b>{title}</b>")
    assert bot.request.rejections == []


def test_downvote_then_another_topic_is_a_candidate(bot) -> None:
    person = Person(22, "Sue", "en")
    chat = bot.private_chat(person)
    question = "what does a call centre agent do all day"
    decision = bot.engine.ask(question, lang_hint="en")
    assert decision.status == "answer"
    (reply,) = bot.message(chat, person, question)
    calls = bot.tap(person, reply, f"v:en:{decision.topic_id}:down")
    (offer,) = [call for call in calls if call.method == "sendMessage"]
    assert offer.params["text"] == t("en", "learn_which_topic")
    assert f"a:en:{decision.topic_id}" not in callback_data(offer)
    other = callback_data(offer)[0]
    bot.tap(person, offer, other)
    assert candidates(bot) == [(question, other.rsplit(":", 1)[1], "en", 1)]


def test_only_the_askers_taps_count_and_plain_topic_buttons_do_not(bot) -> None:
    asker, other = Person(23, "Budi", "id"), Person(24, "Citra", "id")
    group = bot.group(-100500)
    question = vague_question(bot.engine, "id")
    (reply,) = bot.message(group, asker, f"/ask {question}")
    bot.tap(other, reply, callback_data(reply)[0])
    (listing,) = bot.message(bot.private_chat(asker), asker, "/topics")
    bot.tap(asker, listing, callback_data(listing)[0])
    assert candidates(bot) == []
    bot.tap(asker, reply, callback_data(reply)[0])
    bot.tap(asker, reply, callback_data(reply)[0])
    assert [row[3] for row in candidates(bot)] == [2]


def test_admins_review_candidates_with_learn_in_a_private_chat(bot, faq_file) -> None:
    person = Person(25, "Ani", "ms")
    question = vague_question(bot.engine, "ms")
    (reply,) = bot.message(bot.private_chat(person), person, question)
    bot.tap(person, reply, callback_data(reply)[0])
    bot.tap(person, reply, callback_data(reply)[1])

    assert bot.message(bot.private_chat(person), person, "/learn") == []  # not an admin
    admin = Person(ADMIN_ID, "Admin", "en")
    (notice,) = bot.message(bot.group(-100600), admin, "/learn")
    assert notice.params["text"] == t("en", "learn_private_only")
    (review,) = bot.message(bot.private_chat(admin), admin, "/learn")
    assert question in review.params["text"]
    review_buttons = [d for d in callback_data(review) if d.startswith("learn:")]
    assert len(review_buttons) == 4 and all(len(d.encode()) <= 64 for d in review_buttons)
    accept = review_buttons[0]
    assert accept.startswith("learn:accept:")
    first_id = int(accept.rsplit(":", 1)[1])
    second_id = int(review_buttons[3].rsplit(":", 1)[1])
    calls = bot.tap(admin, review, accept)
    assert any("reload" in call.params.get("text", "") for call in calls)
    assert question in faq_file.read_text(encoding="utf-8")
    bot.tap(admin, review, f"learn:reject:{second_id}")
    store = LearnStore(bot.settings.database_path)
    assert {c.id: c.status for c in store.candidates(ids=[first_id, second_id])} == {
        first_id: "accepted",
        second_id: "rejected",
    }


def test_learn_refuses_to_write_an_invalid_faq(bot, faq_file, capsys) -> None:
    store = LearnStore(bot.settings.database_path)
    store.add_candidate("apa itu bpo sebenarnya", "bpo-definition", "id")
    store.add_candidate("kerja shift", "no-such-topic", "id")
    ids = [c.id for c in store.candidates()]
    database = str(bot.settings.database_path)
    original = faq_file.read_text(encoding="utf-8")

    args = ["learn", "--database", database, "--faq", str(faq_file), "--accept"]
    assert main([*args, *map(str, ids)]) == 1
    assert "no-such-topic" in capsys.readouterr().err
    faq_file.write_text(original.replace("title: Apa itu BPO?", "title:", 1), encoding="utf-8")
    broken = faq_file.read_text(encoding="utf-8")
    assert main([*args, str(ids[0])]) == 1
    err = capsys.readouterr().err
    assert "is invalid" in err and f"{faq_file}:" in err and "title" in err
    assert faq_file.read_text(encoding="utf-8") == broken
    assert {c.status for c in store.candidates(ids=ids)} == {"new"}


def test_recurring_unanswered_questions_are_grouped_with_counts_and_languages() -> None:
    rows = [
        ("berapa gaji agen call center", "id", 3),
        ("berapa gaji agen call centre?", "ms", 1),
        ("gaji agen call center berapa", "id", 1),
        ("apakah ada shift malam", "id", 2),
        ("what is the weather today", "en", 1),
    ]
    clusters = cluster_unanswered(rows)
    assert [(c.count, dict(c.langs)) for c in clusters] == [
        (5, {"id": 4, "ms": 1}),
        (2, {"id": 2}),
        (1, {"en": 1}),
    ]
    assert clusters[0].example == "berapa gaji agen call center"


def test_report_lists_candidate_new_topics(tmp_path, capsys) -> None:
    database = tmp_path / "faqbot.sqlite3"
    with Storage(database) as storage:
        for text, lang in [
            ("berapa gaji agen call center", "id"),
            ("Berapa gaji agen call centre?", "ms"),
            ("berapa gaji agen call center", "id"),
            ("siapa presiden", "id"),
        ]:
            storage.log_question(chat_type="private", lang=lang, outcome="none", text=text)
    assert main(["report", "--database", str(database)]) == 0
    out = capsys.readouterr().out
    section = out.split("Candidate new topics")[1]
    assert "3×  berapa gaji agen call center  [id 2, ms 1]" in section
    assert "siapa presiden" not in section
    with sqlite3.connect(database) as db:  # the report only reads
        assert db.execute("SELECT COUNT(*) FROM questions").fetchone() == (4,)
