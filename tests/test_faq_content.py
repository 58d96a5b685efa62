"""The real FAQ (faq/data/faq.yaml) is complete and rests on its sources.

Apart from the first test, the file is read with plain `yaml.safe_load` and the
sources are read directly, so these checks do not depend on the loader being right.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.quizbank import LIMITS
from faq.engine import Engine
from faq.loader import check_faq
from faq.quiz import check_quiz

ROOT = Path(__file__).resolve().parents[1]
FAQ_PATH = ROOT / "faq" / "data" / "faq.yaml"
SOURCES = ROOT / "faq" / "sources"
TOPICS_DOC = ROOT / "docs" / "faq-topics.md"
LANGS = ("id", "ms", "en")  # spelled out here rather than imported, on purpose
MIN_PHRASINGS = 15  # issue 7 §6: at least 15 phrasings per topic per language

_TABLE_ID = re.compile(r"^\|\s*`([^`]+)`\s*\|")


def required_ids() -> list[str]:
    """Topic ids in the first column of the table in docs/faq-topics.md."""
    lines = TOPICS_DOC.read_text(encoding="utf-8").splitlines()
    return [match[1] for line in lines if (match := _TABLE_ID.match(line))]


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    data = yaml.safe_load(FAQ_PATH.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def topics(raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {topic["id"]: topic for topic in raw["topics"]}


def test_faq_loads_without_problems() -> None:
    faq, problems = check_faq(FAQ_PATH)
    assert problems == [], "\n".join(str(problem) for problem in problems)
    assert faq is not None


def test_topics_doc_lists_ids() -> None:
    ids = required_ids()
    assert ids, f"no topic ids found in {TOPICS_DOC}"
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("topic_id", required_ids())
def test_required_topic_present_in_all_languages(
    topics: dict[str, dict[str, Any]], topic_id: str
) -> None:
    assert topic_id in topics, f"topic {topic_id!r} from {TOPICS_DOC.name} is missing"
    text = topics[topic_id]["text"]
    for lang in LANGS:
        assert lang in text, f"{topic_id}: no {lang!r} text"
        for part in ("title", "answer"):
            assert str(text[lang].get(part) or "").strip(), f"{topic_id}: {lang} {part} is empty"


def test_ids_unique(raw: dict[str, Any]) -> None:
    ids = [topic["id"] for topic in raw["topics"]]
    duplicates = sorted({topic_id for topic_id in ids if ids.count(topic_id) > 1})
    assert duplicates == []


def test_enough_phrasings(topics: dict[str, dict[str, Any]]) -> None:
    short = [
        f"{topic_id}/{lang}: {len(text.get('phrasings') or [])}"
        for topic_id, topic in topics.items()
        for lang, text in topic["text"].items()
        if len(text.get("phrasings") or []) < MIN_PHRASINGS
    ]
    assert short == [], f"fewer than {MIN_PHRASINGS} phrasings"


def test_related_ids_exist(topics: dict[str, dict[str, Any]]) -> None:
    unknown = [
        f"{topic_id} -> {related}"
        for topic_id, topic in topics.items()
        for related in topic.get("related") or []
        if related not in topics or related == topic_id
    ]
    assert unknown == []


def test_common_topics_exist(raw: dict[str, Any], topics: dict[str, dict[str, Any]]) -> None:
    assert [topic_id for topic_id in raw.get("common") or [] if topic_id not in topics] == []


def test_every_topic_has_a_source(topics: dict[str, dict[str, Any]]) -> None:
    assert [topic_id for topic_id, topic in topics.items() if not topic.get("sources")] == []


def test_excerpts_occur_verbatim_in_sources(topics: dict[str, dict[str, Any]]) -> None:
    missing = []
    for topic_id, topic in topics.items():
        for source in topic.get("sources") or []:
            path = SOURCES / source["file"]
            text = path.read_text(encoding="utf-8") if path.is_file() else ""
            excerpt = str(source.get("excerpt") or "").strip()
            if not excerpt or excerpt not in text:
                missing.append(f"{topic_id}: {source['file']}: {source['excerpt']!r}")
    assert missing == [], "excerpts not found verbatim:\n" + "\n".join(missing)


# The rules below keep the bilingual review's findings fixed (shared/reviews/faq-grounding.md,
# problems P1-P13). Each states a general rule about what users are shown, not one answer.

MAX_TITLE_CHARS = 45  # titles are one-per-row buttons; longer ones get cut on a 360 dp phone
MAX_ANSWER_CHARS = 520  # one phone screen
MAX_FIRST_SENTENCE_CHARS = 220  # the inline-mode snippet and the first thing read

NEW_TOPICS = ("inbound-vs-outbound", "bpo-foreign-clients")


def shown_texts(topics: dict[str, dict[str, Any]]) -> list[tuple[str, str, str, str]]:
    """(topic, lang, field, text) for every title and answer a user can be shown."""
    return [
        (topic_id, lang, field, str(text[field]))
        for topic_id, topic in topics.items()
        for lang, text in topic["text"].items()
        for field in ("title", "answer")
    ]


def offending(
    topics: dict[str, dict[str, Any]], pattern: str, langs: tuple[str, ...] = LANGS
) -> list[str]:
    rx = re.compile(pattern, re.IGNORECASE)
    return [
        f"{topic_id}/{lang} {field}: {match[0]!r}"
        for topic_id, lang, field, text in shown_texts(topics)
        if lang in langs and (match := rx.search(text))
    ]


def test_new_topics_are_required() -> None:
    assert set(NEW_TOPICS) <= set(required_ids())


@pytest.mark.parametrize("topic_id", NEW_TOPICS)
def test_new_topics_are_linked_both_ways(topics: dict[str, dict[str, Any]], topic_id: str) -> None:
    related = topics[topic_id].get("related") or []
    back = [other for other in related if topic_id in (topics[other].get("related") or [])]
    assert len(back) >= 2, f"{topic_id}: only {back} link back"


def test_every_topic_is_reachable_from_another(topics: dict[str, dict[str, Any]]) -> None:
    linked = {related for topic in topics.values() for related in topic.get("related") or []}
    assert sorted(set(topics) - linked) == []


def test_no_claim_that_all_call_centre_work_is_by_phone(
    topics: dict[str, dict[str, Any]],
) -> None:
    """The sources disagree (web-enabled call centres work over the Internet): 'mainly'."""
    absolute = (
        r"\ball (of )?(its|the|their) work\b|\bonly (over|by|on) the (tele)?phone\b"
        r"|\bsemua (pekerjaan|kerja)\w*|\bhanya (lewat|melalui) (telepon|telefon|talian)\b"
        r"|\bseluruh (pekerjaan|kerja)\w*"
    )
    assert offending(topics, absolute) == []


def test_phone_work_is_hedged_where_it_is_stated(topics: dict[str, dict[str, Any]]) -> None:
    hedge = {"id": "terutama", "ms": "terutamanya", "en": "mainly"}
    for topic_id in ("callcenter-definition", "bpo-vs-callcenter"):
        for lang, word in hedge.items():
            assert word in topics[topic_id]["text"][lang]["answer"], f"{topic_id}/{lang}"


def test_answers_never_mention_the_source_article(topics: dict[str, dict[str, Any]]) -> None:
    meta = (
        r"source article|according to the source|the sources? say|artikel sumber|sumber artikel"
        r"|menurut (artikel|sumber)|artikel asal|the article"
    )
    assert offending(topics, meta) == []


def test_toll_free_inbound_keeps_international_calls(topics: dict[str, dict[str, Any]]) -> None:
    """The source's inbound line says 'panggilan internasional'; wherever the FAQ describes
    inbound's toll-free calls, it keeps that fact."""
    word = {"id": "internasional", "ms": "antarabangsa", "en": "international"}
    toll_free = re.compile(r"bebas pulsa|bebas tol|toll-free", re.IGNORECASE)
    dropped = [
        f"{topic_id}/{lang}"
        for topic_id, lang, field, text in shown_texts(topics)
        if field == "answer" and toll_free.search(text) and word[lang] not in text
    ]
    assert dropped == []


def test_coca_cola_outsourced_large_parts_not_most(topics: dict[str, dict[str, Any]]) -> None:
    most = r"sebagian besar rantai|sebahagian besar rantaian|most of its supply chain"
    assert offending(topics, most) == []


# Wordings the review found wrong in one language: calques, drifting terms, the other language.
WRONG_WORDINGS = {
    "ms": (
        r"\bialah apabila\b|\bdalam satu erti\b|\bgaji \(payroll\)|\bboleh jadi kritikal"
        r"|\bkomputer berasingan\b|\bkutipan bayaran\b|\bbil pelanggan\b|\bpekerja tempatan\b"
        # Indonesian words that have a different Malay form
        r"|\b(bisa|karena|kantor|perusahaan|layanan|lewat|telepon|keuangan|akuntansi|karyawan"
        r"|penagihan|utang|yaitu|aktivitas|produktivitas|pulsa|sdm|konsumen)\b"
    ),
    "id": (
        r"\bkonsumen\b|\bkaryawan lokal\b|\bpredictive dialing\b|(?-i:\binternet\b)"
        # Malay words that have a different Indonesian form
        r"|\b(kerana|pejabat|syarikat|perkhidmatan|telefon|kewangan|perakaunan|hutang|kutipan"
        r"|iaitu|aktiviti|pentadbiran|ejen|penyelia|stesen|produktiviti|tinjauan|rantaian"
        r"|pembuatan|perbezaan|beza|sebahagian|semestinya)\b"
    ),
    "en": r"\blocal staff\b|\bgain productivity\b|\bis when\b",
}


@pytest.mark.parametrize("lang", LANGS)
def test_no_wrong_wordings(topics: dict[str, dict[str, Any]], lang: str) -> None:
    assert offending(topics, WRONG_WORDINGS[lang], (lang,)) == []


def test_titles_fit_a_phone_button(topics: dict[str, dict[str, Any]]) -> None:
    long = [
        f"{topic_id}/{lang}: {len(text)}"
        for topic_id, lang, field, text in shown_texts(topics)
        if field == "title" and len(text) > MAX_TITLE_CHARS
    ]
    assert long == []


def test_answers_fit_a_phone_screen(topics: dict[str, dict[str, Any]]) -> None:
    long = [
        f"{topic_id}/{lang}: {len(text)}"
        for topic_id, lang, field, text in shown_texts(topics)
        if field == "answer" and len(text.strip()) > MAX_ANSWER_CHARS
    ]
    assert long == []


def test_answers_open_with_a_short_sentence_not_a_heading(
    topics: dict[str, dict[str, Any]],
) -> None:
    """The first line answers the title; a list answer gets a sentence before its bullets."""
    bad = []
    for topic_id, lang, field, text in shown_texts(topics):
        if field != "answer":
            continue
        first_line = text.strip().splitlines()[0]
        first_sentence = re.split(r"(?<=[.!?])\s", first_line)[0]
        if first_line.rstrip().endswith(":") or first_line.startswith("•"):
            bad.append(f"{topic_id}/{lang}: opens with a heading")
        elif len(first_sentence) > MAX_FIRST_SENTENCE_CHARS:
            bad.append(f"{topic_id}/{lang}: first sentence is {len(first_sentence)} characters")
    assert bad == []


# Phrasings: how trainees really ask (issue 7 §6), in the right language, one topic each.

LONG_PHRASING_WORDS = 12  # run-on and voice-to-text questions
SHORT_PHRASING_WORDS = 4  # slang and typo'd one-liners

# Words only the sibling language uses; Indonesian and Malay phrasings must not borrow them.
SIBLING_ONLY = {
    "id": (
        r"\b(syarikat|pejabat|perkhidmatan|kerana|ejen|penyelia|camne|mcm|kat|nak|je|jugak|ye|ek"
        r"|perbezaan|beza|bezanya|telefon|kewangan|sahaja|macam mana)\b"
    ),
    "ms": (
        r"\b(perusahaan|kantor|karyawan|gimana|gmn|nggak|gak|ga|banget|dong|sih|kok|aja|bisa"
        r"|telepon|telpon|keuangan|bedanya|beda|perbedaan|nelpon|ngurus|kayak)\b"
    ),
}


def all_phrasings(topics: dict[str, dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [
        (topic_id, lang, str(phrasing))
        for topic_id, topic in topics.items()
        for lang, text in topic["text"].items()
        for phrasing in text.get("phrasings") or []
    ]


def test_phrasings_come_in_short_and_long_styles(topics: dict[str, dict[str, Any]]) -> None:
    missing = []
    for topic_id, topic in topics.items():
        for lang, text in topic["text"].items():
            sizes = [len(str(phrasing).split()) for phrasing in text.get("phrasings") or []]
            if not any(size >= LONG_PHRASING_WORDS for size in sizes):
                missing.append(f"{topic_id}/{lang}: no phrasing of {LONG_PHRASING_WORDS}+ words")
            if not any(size <= SHORT_PHRASING_WORDS for size in sizes):
                missing.append(f"{topic_id}/{lang}: no phrasing of {SHORT_PHRASING_WORDS} words")
    assert missing == []


def test_a_phrasing_belongs_to_one_topic(topics: dict[str, dict[str, Any]]) -> None:
    owner: dict[str, str] = {}
    shared = []
    for topic_id, _, phrasing in all_phrasings(topics):
        folded = " ".join(phrasing.casefold().split())
        if owner.setdefault(folded, topic_id) != topic_id:
            shared.append(f"{phrasing!r}: {owner[folded]} and {topic_id}")
    assert shared == []


@pytest.mark.parametrize("lang", ["id", "ms"])
def test_phrasings_use_their_own_language(topics: dict[str, dict[str, Any]], lang: str) -> None:
    rx = re.compile(SIBLING_ONLY[lang], re.IGNORECASE)
    borrowed = [
        f"{topic_id}: {phrasing!r}"
        for topic_id, phrasing_lang, phrasing in all_phrasings(topics)
        if phrasing_lang == lang and rx.search(phrasing)
    ]
    assert borrowed == []


def test_phrasings_name_no_intent_the_faq_does_not_answer(
    topics: dict[str, dict[str, Any]],
) -> None:
    """A topic whose phrasings mention pay, hiring, shifts... may answer such questions outright
    (see `unanswered_intents` in faq/data/lexicon.yaml); its phrasings must not invite them."""
    engine = Engine.from_path(FAQ_PATH)
    intents = [
        f"{topic_id}/{lang}: {phrasing!r} {sorted(set(terms) & engine.lexicon.unanswered)}"
        for topic_id, lang, phrasing in all_phrasings(topics)
        if set(terms := engine.analyzer.terms(phrasing)) & engine.lexicon.unanswered
    ]
    assert intents == []


# The quiz (faq/data/quiz.yaml): grounded like the FAQ, the same item in every language.

QUIZ_PATH = ROOT / "faq" / "data" / "quiz.yaml"
MIN_QUIZ_ITEMS_PER_TOPIC = 2


@pytest.fixture(scope="module")
def quiz_items() -> list[dict[str, Any]]:
    data = yaml.safe_load(QUIZ_PATH.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return list(data["items"])


def test_quiz_passes_the_bots_own_checks(topics: dict[str, dict[str, Any]]) -> None:
    """With the limits the bot sends polls with (Telegram's, less the link it adds)."""
    quiz, problems = check_quiz(QUIZ_PATH, LIMITS, topics)
    assert problems == [], "\n".join(str(problem) for problem in problems)
    assert quiz is not None


def test_every_topic_has_quiz_items(quiz_items: list[dict[str, Any]]) -> None:
    counts = {topic_id: 0 for topic_id in required_ids()}
    for item in quiz_items:
        counts[item["topic"]] = counts.get(item["topic"], 0) + 1
    few = {topic_id: n for topic_id, n in counts.items() if n < MIN_QUIZ_ITEMS_PER_TOPIC}
    assert few == {}


def test_quiz_excerpts_occur_verbatim_in_sources(quiz_items: list[dict[str, Any]]) -> None:
    missing = []
    for item in quiz_items:
        path = SOURCES / item["source"]["file"]
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        if not item["source"]["excerpt"].strip() or item["source"]["excerpt"] not in text:
            missing.append(item["key"])
    assert missing == []


def test_quiz_items_are_the_same_in_every_language(quiz_items: list[dict[str, Any]]) -> None:
    """One `correct` index serves all languages, so each has the same number of options,
    in the same order; explanations are one line."""
    bad = []
    for item in quiz_items:
        texts = item["text"]
        if sorted(texts) != sorted(LANGS):
            bad.append(f"{item['key']}: languages {sorted(texts)}")
            continue
        counts = {len(texts[lang]["options"]) for lang in LANGS}
        if len(counts) != 1 or not 3 <= min(counts) <= 4:
            bad.append(f"{item['key']}: option counts {counts}")
        if not 0 <= item["correct"] < min(counts):
            bad.append(f"{item['key']}: correct {item['correct']}")
        if any("\n" in texts[lang]["explanation"] for lang in LANGS):
            bad.append(f"{item['key']}: explanation spans lines")
    assert bad == []


def test_the_right_option_moves_around(quiz_items: list[dict[str, Any]]) -> None:
    """Players must not learn that the first (or any one) option is usually right."""
    positions = [item["correct"] for item in quiz_items]
    most = max(positions.count(position) for position in set(positions))
    assert len(set(positions)) >= 3 and most <= len(positions) / 2


@pytest.mark.parametrize("lang", LANGS)
def test_quiz_has_no_wrong_wordings(quiz_items: list[dict[str, Any]], lang: str) -> None:
    rx = re.compile(WRONG_WORDINGS[lang], re.IGNORECASE)
    found = [
        f"{item['key']}: {match[0]!r}"
        for item in quiz_items
        for piece in (
            item["text"][lang]["question"],
            *item["text"][lang]["options"],
            item["text"][lang]["explanation"],
        )
        if (match := rx.search(piece))
    ]
    assert found == []
