"""The quiz file's validation: every problem with its file, line, item and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.quizbank import LIMITS
from faq.loader import load_faq
from faq.quiz import DEFAULT_QUIZ_PATH, QuizLimits, check_quiz

QUIZ = Path(__file__).parent / "data" / "quiz.yaml"
TOPICS = set(load_faq().topics)


def broken(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    """The test quiz with the first `old` replaced by `new`; the line it is on."""
    text = QUIZ.read_text(encoding="utf-8")
    assert old in text
    line = text[: text.index(old)].count("\n") + 1
    path = tmp_path / "data" / "quiz.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path, line


def problems(path: Path, limits: QuizLimits = LIMITS) -> list[str]:
    quiz, found = check_quiz(path, limits, TOPICS)
    assert (quiz is None) == bool(found)
    return [str(problem) for problem in found]


def test_the_test_quiz_is_valid_with_telegrams_limits() -> None:
    assert problems(QUIZ) == []


@pytest.mark.skipif(not DEFAULT_QUIZ_PATH.exists(), reason="faq/data/quiz.yaml not written yet")
def test_the_shipped_quiz_is_valid() -> None:
    assert problems(DEFAULT_QUIZ_PATH) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "topic: callcenter-definition",
            "topic: no-such-topic",
            "item 'callcenter-definition-1', field 'topic': no FAQ topic 'no-such-topic'",
        ),
        (
            "correct: 2",
            "correct: 3",
            "item 'callcenter-definition-1', field 'correct': no option 3: options count from 0",
        ),
        (
            "correct: 2",
            'correct: "2"',
            "item 'callcenter-definition-1', field 'correct': expected a valid integer",
        ),
        (
            "key: bpo-definition-2",
            "key: bpo-definition-1",
            "item 'bpo-definition-1', field 'key': duplicate key (first used on line 3)",
        ),
        (
            'excerpt: "Pusat panggilan digunakan untuk',
            'excerpt: "Pusat panggilan dipakai untuk',
            "field 'source.excerpt': excerpt not found verbatim in ms-bpo-vs-call-center.txt",
        ),
        (
            'question: "What is a call centre used for?"',
            'question: "What is a call centre used for?"\n        hint: "x"',
            "item 'callcenter-definition-1', field 'text.en.hint': unknown field",
        ),
        (
            'options: ["Making products", "Shipping goods", ',
            'options: ["Shipping goods", "Shipping goods", ',
            "field 'text.en.options[1]': same as option 0",
        ),
        (
            '      en:\n        question: "What is a call centre used for?"',
            '      fr:\n        question: "What is a call centre used for?"',
            "field 'text.fr': unknown language; expected id, ms, en",
        ),
    ],
)
def test_each_problem_names_file_line_item_and_field(tmp_path, old, new, expected) -> None:
    path, line = broken(tmp_path, old, new)
    line += new.count("\n") - old.count("\n")  # an added field is on a line of its own
    found = problems(path)
    assert any(p.endswith(expected) or expected in p for p in found), found
    assert any(p.startswith(f"{path}:{line}: ") for p in found), (line, found)


def test_lengths_are_checked_against_the_callers_limits(tmp_path) -> None:
    tight = QuizLimits(question=20, option=100, explanation=200)
    found = problems(QUIZ, tight)
    assert any(
        "item 'callcenter-definition-1', field 'text.ms.question': question is 39 characters; "
        "at most 20 fit in a quiz" in p
        for p in found
    ), found
    long_option = "x" * (LIMITS.option + 1)
    path, line = broken(tmp_path, '"Hanya menjual telepon"', f'"{long_option}"')
    assert any(
        p.startswith(f"{path}:{line}: ") and "field 'text.id.options[2]': option is 101" in p
        for p in problems(path)
    )


def test_a_missing_language_and_invalid_yaml(tmp_path) -> None:
    text = QUIZ.read_text(encoding="utf-8")
    start = text.index('      ms:\n        question: "Apakah maksud singkatan BPO?"')
    end = text.index("      en:", start)
    path = tmp_path / "quiz.yaml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    assert any("item 'bpo-definition-1', field 'text': missing language(s): ms" in p
               for p in problems(path))  # fmt: skip
    path.write_text("items: [\n", encoding="utf-8")
    (problem,) = problems(path)
    assert problem.startswith(f"{path}:2: invalid YAML")


def test_faqbot_check_validates_the_quiz_beside_the_faq(tmp_path, capsys) -> None:
    path, line = broken(tmp_path, "correct: 2", "correct: 7")
    faq = path.parent / "faq.yaml"
    faq.write_bytes(load_faq().path.read_bytes())  # type: ignore[union-attr]
    assert main(["check", str(faq)]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("OK: ")
    assert f"{path}:{line}: item 'callcenter-definition-1'" in out
    assert main(["check", str(faq), "--quiz", str(QUIZ)]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "OK: quiz, 3 items on 2 topics"
