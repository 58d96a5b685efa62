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

from faq.loader import check_faq

ROOT = Path(__file__).resolve().parents[1]
FAQ_PATH = ROOT / "faq" / "data" / "faq.yaml"
SOURCES = ROOT / "faq" / "sources"
TOPICS_DOC = ROOT / "docs" / "faq-topics.md"
LANGS = ("id", "ms", "en")  # spelled out here rather than imported, on purpose
MIN_PHRASINGS = 6

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
