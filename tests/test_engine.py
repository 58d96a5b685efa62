"""Behaviour of the engine with the shipped FAQ."""

import pytest

from faq.decision import FEATURES
from faq.engine import Engine
from faq.model import LANGS


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_path()


def test_every_title_answers_its_own_topic(engine):
    for topic in engine.faq.topics.values():
        for lang in LANGS:
            reply = engine.ask(topic.texts[lang].title)
            assert (reply.status, reply.topic_id) == ("answer", topic.id), topic.texts[lang].title


def test_english_titles_are_answered_in_english(engine):
    for topic in engine.faq.topics.values():
        assert engine.ask(topic.texts["en"].title).lang == "en"


@pytest.mark.parametrize(
    "variants",
    [
        ["apa itu bpo", "APAAA ITU BPO???", "apa itu BPO 🤔🤔", "  apa   itu bpo  "],
        [
            "apa beza pusat panggilan dengan bpo",
            "apa beza callcenter dgn bpo",
            "apa beza call centre dengan BPO!!",
        ],
        ["what is a call centre", "what is a callcenter", "what is a call-center?"],
    ],
)
def test_spelling_spacing_case_and_emoji_do_not_change_the_reply(engine, variants):
    replies = {(r.status, r.topic_id, r.suggestions) for r in map(engine.ask, variants)}
    assert len(replies) == 1, replies
    assert replies.pop()[0] == "answer"


@pytest.mark.parametrize(
    "question",
    [
        "how much does a call centre agent earn",
        "cara daftar kerja di BPO",
        "berapa gaji agent call center di jakarta",
        "syarikat bpo mana yang terbaik di KL",
        "resepi nasi lemak",
        "who won the football last night",
    ],
)
def test_near_misses_and_unrelated_questions_get_no_confident_answer(engine, question):
    assert engine.ask(question).status in ("suggest", "none")


@pytest.mark.parametrize("question", ["", "   ", "x"])
def test_empty_or_meaningless_input_is_out_of_scope(engine, question):
    reply = engine.ask(question)
    assert reply.status == "none"
    assert reply.lang in LANGS


@pytest.mark.parametrize("message", ["🤔🤔🤔", "?!?", "👍", "🙏🙏"])
def test_a_message_without_words_is_a_reaction_not_an_unanswered_question(engine, message):
    reply = engine.ask(message)
    assert (reply.status, reply.kind) == ("smalltalk", "reaction")
    assert reply.lang in LANGS


def test_suggestions_are_distinct_topics_best_first(engine):
    for question in ("jenis", "office", "bpo call center", "outsourcing"):
        reply = engine.ask(question)
        if reply.status == "suggest":
            assert 1 <= len(reply.suggestions) <= 3
            assert len(set(reply.suggestions)) == len(reply.suggestions)
            assert all(s in engine.faq.topics for s in reply.suggestions)


def test_hint_picks_between_indonesian_and_malay_only_when_text_cannot(engine):
    assert engine.ask("apa itu bpo?", lang_hint="ms").lang == "ms"
    assert engine.ask("apa itu bpo?", lang_hint="id").lang == "id"
    assert engine.ask("apa perbezaan bpo dan pusat panggilan", lang_hint="id").lang == "ms"
    assert engine.ask("what is bpo", lang_hint="ms").lang == "en"


def test_json_record_shape(engine):
    record = engine.ask("apa itu bpo").as_json()
    assert set(record) == {"status", "kind", "id", "suggestions", "lang", "score", "confidence"}
    assert record["status"] == "answer" and record["id"] == "bpo-definition"
    assert isinstance(record["score"], float)


@pytest.mark.parametrize("question", ["why?", "kenapa", "gimana", "what", "berapa"])
def test_question_words_alone_get_suggestions_at_most(engine, question):
    assert engine.ask(question).status != "answer"


def test_what_no_topic_answers_about_call_centres_is_not_answered(engine):
    """Applying, requirements, vacancies, night shifts, pay: about the FAQ's subject, but no
    topic answers them (the lexicon's unanswered intents, weighed by the fitted decision)."""
    assert engine.ask("apa saja fungsi call center").status == "answer"
    for question in (
        "cara melamar kerja di call center gimana",
        "syarat kerja call center apa aja",
        "ada lowongan call center di jakarta?",
        "shift malam di call center jam berapa",
        "how do i apply for a call centre job",
        "macam mana nak mohon kerja call centre",
    ):
        assert engine.ask(question).status != "answer", question


def test_the_same_question_gets_the_same_reply_in_another_process(engine, tmp_path):
    import json
    import os
    import subprocess
    import sys

    questions = ["tipe bpo ada apa ajaa???", "bek ofis itu apaan", "callcentr tu aper"]
    script = (
        "import json,sys\nfrom faq.engine import Engine\ne=Engine.from_path()\n"
        "print(json.dumps([e.ask(q).as_json() for q in json.loads(sys.argv[1])]))"
    )
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script, json.dumps(questions)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            stdout=subprocess.PIPE,
            text=True,
        )
        for seed in ("1", "2")  # at once: each spends its time loading the engine
    ]
    expected = [engine.ask(q).as_json() for q in questions]
    for run in runs:
        out, _ = run.communicate(timeout=120)
        assert run.returncode == 0
        assert json.loads(out) == expected


def test_the_tag_evidence_reaches_the_decision_as_fitted(engine):
    """A question carries its asking evidence twice (as evidence and as a question's), a
    statement once; the strengths are the evidence's signed squares over the clip."""
    clip = engine.config.tag_evidence_clip
    texts = {"apa itu bpo?": True, "aku ditaruh di front office, doain ya": False}
    for text, is_question in texts.items():
        values = dict(zip(FEATURES, engine.analyse(text).features, strict=True))
        asking, scope = values["asking"], values["scope"]
        assert values["asking_in_question"] == (asking if is_question else 0.0)
        assert values["asking_strength"] == pytest.approx(asking * abs(asking) / clip)
        assert values["scope_strength"] == pytest.approx(scope * abs(scope) / clip)
        assert abs(values["asking_strength"]) <= clip
