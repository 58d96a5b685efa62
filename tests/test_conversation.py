"""Follow-ups and language memory, through the engine with the shipped FAQ and decision."""

import pytest

from faq.conversation import Conversation, Conversations
from faq.engine import Engine, Reply


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_path()


def test_a_follow_up_is_read_with_the_previous_question(engine):
    chat = Conversation()
    first = engine.ask("apa itu inbound call center?", conversation=chat, now=0.0)
    assert first.topic_id == "inbound-callcenter"
    follow = engine.analyse("kalau yang outbound?", conversation=chat, now=10.0)
    alone = engine.analyse("kalau yang outbound?")
    assert follow.follow_up and not alone.follow_up
    assert follow.ranked[0].topic_id == "outbound-callcenter"
    assert set(follow.terms) > set(alone.terms)  # the previous question's intent came along


def test_a_follow_up_expires(engine):
    chat = Conversation(follow_up_seconds=60)
    engine.ask("apa itu inbound call center?", conversation=chat, now=0.0)
    assert not engine.analyse("kalau yang outbound?", conversation=chat, now=61.0).follow_up


def test_a_full_question_is_not_a_follow_up(engine):
    chat = Conversation()
    engine.ask("apa itu inbound call center?", conversation=chat, now=0.0)
    assert not engine.analyse("apa itu bpo", conversation=chat, now=5.0).follow_up


def test_text_without_language_evidence_takes_the_last_language_shown(engine):
    chat = Conversation()
    engine.ask("apa bezanya bpo dengan pusat panggilan", conversation=chat, now=0.0)
    assert chat.lang == "ms"
    # "BPO?" shows no language: the conversation's beats the Telegram hint and the default
    assert engine.ask("BPO?", lang_hint="en", conversation=chat, now=1.0).lang == "ms"
    assert engine.ask("BPO?", lang_hint="en").lang == "en"
    assert engine.ask("what is a call centre", conversation=chat, now=2.0).lang == "en"
    assert chat.lang == "en"


def test_conversations_are_kept_per_key_and_forgotten_when_idle():
    store = Conversations(idle_seconds=100, limit=2)
    a = store.get(("chat", 1), now=0.0)
    assert store.get(("chat", 1), now=50.0) is a
    assert store.get(("chat", 2), now=50.0) is not a
    assert store.get(("chat", 1), now=200.0) is not a  # idle too long
    store.get(("chat", 3), now=200.0)
    assert len(store) == 2


def test_a_short_question_pointing_back_asks_about_the_previous_subject(engine):
    chat = Conversation()
    engine.ask("what is a back office", conversation=chat, now=0.0)
    follow = engine.analyse("so why would they do that?", conversation=chat, now=5.0)
    alone = engine.analyse("so why would they do that?")
    assert follow.follow_up and "backoffice" in follow.terms
    assert "backoffice" not in alone.terms


@pytest.mark.parametrize(
    ("first", "then", "subject_topic"),
    [
        ("call center itu apa?", "ada berapa macem?", "callcenter-types"),
        ("bpo tu apa ye", "jenis dia ada apa?", "bpo-types"),
        ("what is a call centre", "and its functions?", "callcenter-functions"),
    ],
)
def test_an_aspect_alone_is_asked_of_the_previous_subject(engine, first, then, subject_topic):
    """'ada berapa macem?' names no subject: after a question about one, it asks about it."""
    chat = Conversation()
    engine.ask(first, conversation=chat, now=0.0)
    follow = engine.analyse(then, conversation=chat, now=10.0)
    assert follow.follow_up and not engine.analyse(then).follow_up
    assert follow.ranked[0].topic_id == subject_topic


def reply_after(engine: Engine, first: str, then: str) -> Reply:
    """The reply to `then`, asked in a chat ten seconds after `first`."""
    chat = Conversation()
    engine.ask(first, conversation=chat, now=0.0)
    return engine.ask(then, conversation=chat, now=10.0)


@pytest.mark.parametrize(
    ("first", "then", "topic"),
    [
        ("apa itu back office", "contohnya?", "back-office"),
        ("call center tu termasuk bpo ke?", "kenapa pulak?", "callcenter-subset-of-bpo"),
    ],
)
def test_a_question_without_a_subject_asks_again_about_the_previous_one(engine, first, then, topic):
    """'contohnya?' alone has nothing to match and gets 'I don't know'; after a question it is
    about that question's subject."""
    assert engine.ask(then).status == "none"
    reply = reply_after(engine, first, then)
    assert reply.topic_id == topic or topic in reply.suggestions


@pytest.mark.parametrize(
    ("first", "then", "topic"),
    [
        ("apa itu back office", "contohnya?", "back-office"),
        ("what is an outbound call centre", "example?", "outbound-callcenter"),
        ("apa itu nearshore", "misalnya negara mana?", "offshore-nearshore"),
        ("what does a call centre do", "what else?", "callcenter-functions"),
        ("call center buat nerima komplain ya?", "selain itu apa lagi?", "callcenter-functions"),
        ("kenapa perusahaan pakai bpo, biar hemat?", "trus?", "bpo-benefits"),
    ],
)
def test_asking_for_an_example_or_more_asks_the_previous_question_again(engine, first, then, topic):
    reply = reply_after(engine, first, then)
    assert (reply.status, reply.topic_id) == ("answer", topic)


@pytest.mark.parametrize("chatter", ["udah pada sampe belum?", "what time is it"])
def test_chatter_right_after_a_question_is_not_answered(engine, chatter):
    first = "why are so many BPOs in asia and africa anyway"
    assert reply_after(engine, first, chatter).status != "answer"


def test_the_one_from_before_is_the_previous_subject(engine):
    """'bedanya sama yg tadi apa?' ("and the difference from the earlier one?") compares the
    new subject with the one asked about before."""
    chat = Conversation()
    engine.ask("tadi kan dijelasin inbound, nah kalo outbound itu apa", conversation=chat, now=0)
    follow = engine.analyse("bedanya sama yg tadi apa?", conversation=chat, now=10.0)
    assert follow.follow_up and follow.ranked[0].topic_id == "inbound-vs-outbound"


def test_a_new_subject_is_asked_about_what_the_previous_question_asked(engine):
    """'kalau call centre?' after a question about the types of BPO asks the types of call
    centre, not what a call centre is."""
    chat = Conversation()
    engine.ask("jenis2 bpo ada apa je", conversation=chat, now=0.0)
    follow = engine.analyse("kalau call centre?", conversation=chat, now=10.0)
    assert "@type" in follow.terms and follow.ranked[0].topic_id == "callcenter-types"
