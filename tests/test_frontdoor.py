"""The front door: small talk, help requests, questions and statements told apart."""

import pytest

from faq.frontdoor import QUESTION, STATEMENT, default_front_door


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("halo kak", "greeting"),
        ("Hai!!", "greeting"),
        ("Selamat pagi semua", "greeting"),
        ("terima kasih banyak ya min", "thanks"),
        ("makasihh", "thanks"),
        ("Thanks a lot!", "thanks"),
        ("tq", "thanks"),
        ("ok makasih ya kak", "thanks"),
        ("ok noted", "ack"),
        ("wkwkwk", "laughter"),
        ("bye semua", "goodbye"),
        ("help", "help"),
        ("butuh bantuan", "help"),
        ("tolong", "help"),
        ("macam mana guna bot ni", "help"),
        ("halo, apa itu BPO?", None),
        ("thanks, now what is a call centre", None),
        ("apa itu call center", None),
        ("tolong jelaskan apa itu bpo", None),
        ("😂😂", "reaction"),
        ("👍", "reaction"),
        ("...", "reaction"),
        ("", None),
        ("   ", None),
    ],
)
def test_small_talk_and_help(text, kind):
    assert default_front_door().kind(text) == kind


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("apa itu BPO", True),
        ("mcm mana nak kerja call centre", True),
        ("BPO tu murah ke?", True),
        ("ok noted", False),
        ("saya sudah sampai kantor", False),
        ("", False),
    ],
)
def test_looks_like_question(text, question):
    assert default_front_door().looks_like_question(text) is question


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("kak bpo itu apa", QUESTION),
        ("dah sampai kantor belum kalian", STATEMENT),
        ("tolong jelaskan bpo", QUESTION),  # a question word anywhere
        ("terima kasih kak", "thanks"),
    ],
)
def test_classify(text, kind):
    assert default_front_door().classify(text) == kind


def test_long_messages_are_never_small_talk():
    door = default_front_door()
    assert door.kind("halo " * (door.max_words + 1)) is None
