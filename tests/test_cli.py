"""The faqbot command line, in process and through the installed console script."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from e2e.harness import faqbot_command

from bot.cli import main
from faq.loader import load_faq
from faq.model import DEFAULT_FAQ_PATH

DEV_SET = Path(__file__).parent / "data" / "dev.tsv"


def test_check_valid_faq_prints_a_summary_and_exits_0(capsys):
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    topics = len(load_faq().topics)  # the FAQ grows; the summary counts what is there
    faq_line, quiz_line = out.splitlines()  # the shipped quiz is checked beside the FAQ
    assert faq_line.startswith(f"OK: {topics} topics") and quiz_line.startswith("OK: quiz, ")


def test_check_broken_faq_names_file_line_topic_and_field_and_exits_1(tmp_path, capsys):
    broken = tmp_path / "data" / "faq.yaml"
    broken.parent.mkdir()
    shutil.copytree(DEFAULT_FAQ_PATH.parent.parent / "sources", tmp_path / "sources")
    text = DEFAULT_FAQ_PATH.read_text(encoding="utf-8")
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip().startswith("title:"))
    lines[index] = lines[index].split("title:")[0] + 'title: ""'
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["check", str(broken)]) == 1
    out = capsys.readouterr().out
    assert f"{broken}:{index + 1}: topic " in out
    assert "field 'text." in out and ".title'" in out


def test_ask_json_is_one_object(capsys):
    assert main(["ask", "apa itu bpo", "--json", "--lang-hint", "ms"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record == {
        "status": "answer",
        "kind": "question",
        "id": "bpo-definition",
        "suggestions": [],
        "lang": "ms",
        "score": record["score"],
        "confidence": record["confidence"],
    }
    assert record["confidence"] > 0.5


def test_ask_with_invalid_faq_is_one_clear_error_and_exit_2(tmp_path, capsys):
    bad = tmp_path / "faq.yaml"
    bad.write_text("topics: [\n", encoding="utf-8")
    with pytest.raises(SystemExit) as stop:
        main(["ask", "apa itu bpo", "--faq", str(bad)])
    assert stop.value.code == 2
    assert str(bad) in capsys.readouterr().err


def test_eval_json_has_rows_and_metrics(capsys):
    assert main(["eval", str(DEV_SET), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    rows = [
        line
        for line in DEV_SET.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert len(report["rows"]) == len(rows)
    first = report["rows"][0]
    assert {"lang", "expected", "question", "status", "id", "suggestions", "score"} <= set(first)
    assert {"tag", "previous", "kind", "confidence"} <= set(first)
    assert set(report["metrics"]) >= {
        "in_scope_accuracy",
        "in_scope_offered",
        "in_scope_answered_wrong",
        "near_oos_answered",
        "chatter_answered",
        "language_accuracy",
    }


def _tsv(path: Path, *rows: str) -> Path:
    path.write_text("".join(row.replace("|", "\t") + "\n" for row in rows), encoding="utf-8")
    return path


def test_eval_takes_several_files_and_globs_and_reports_per_tag(tmp_path, capsys):
    _tsv(tmp_path / "a.tsv", "en|bpo-definition|what is bpo", "en|-|how much do agents earn")
    _tsv(
        tmp_path / "b.tsv",
        "id|-|selamat pagi semua, hujan deras nih|chatter",
        "id|outbound-callcenter|kalau yang outbound?|inscope|apa itu inbound call center",
    )
    assert main(["eval", str(tmp_path / "a.tsv"), str(tmp_path / "*.tsv")]) == 0
    out = capsys.readouterr().out
    assert "rows: 4" in out  # a.tsv counted once
    assert "near-oos answered: 0.0% (0/1)" in out
    assert "chatter answered: 0.0% (0/1)" in out
    assert "inscope right topic answered or suggested (top 3): 100.0% (2/2)" in out


def test_eval_summary_splits_in_scope_by_length_and_follow_up_and_language_by_tag(tmp_path, capsys):
    long_question = "jadi gini kak aku baru dua minggu training dan masih bingung, bpo itu apa sih"
    _tsv(
        tmp_path / "bands.tsv",
        "en|bpo-definition|what is bpo",
        f"id|bpo-definition|{long_question}",
        "id|outbound-callcenter|kalau yang outbound?|inscope|apa itu inbound call center",
        "en|-|see you all tomorrow|chatter",
    )
    assert main(["eval", "--summary", "--json", str(tmp_path / "bands.tsv")]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert {key for key in figures if key.startswith("in_scope_accuracy_")} == {
        "in_scope_accuracy_short",
        "in_scope_accuracy_longer",
        "in_scope_accuracy_follow-up",
    }
    assert {key for key in figures if key.startswith("language_accuracy_")} == {
        "language_accuracy_inscope",
        "language_accuracy_chatter",
    }
    assert main(["eval", "--summary", str(tmp_path / "bands.tsv")]) == 0
    out = capsys.readouterr().out
    assert "inscope answered with the right topic, longer: " in out and "(1/1)" in out


def test_eval_reports_the_language_apart_where_the_text_shows_none(tmp_path, capsys):
    """ "👍" read alone takes the fallback (en) against its writer's Indonesian: a miss overall,
    but not among the rows whose words show a language."""
    _tsv(tmp_path / "l.tsv", "id|bpo-definition|bpo itu apa sih kak", "id|-|👍|chatter")
    assert main(["eval", "--summary", "--json", str(tmp_path / "l.tsv")]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["language_accuracy"] == 0.5
    assert (figures["shown_language_rows"], figures["shown_language_accuracy"]) == (1, 1.0)


def test_eval_summary_prints_only_the_figures(tmp_path, capsys):
    question = "berapa gaji agen call center sebulan"
    _tsv(tmp_path / "s.tsv", f"id|bpo-definition|{question}", "id|-|tolong jelaskan bpo")
    assert main(["eval", "--summary", str(tmp_path / "s.tsv")]) == 0
    out = capsys.readouterr().out
    assert "MISS" not in out and question not in out and "bpo" not in out
    assert "inscope answered with the right topic: 0.0% (0/1)" in out
    assert main(["eval", "--summary", "--json", str(tmp_path / "s.tsv")]) == 0
    assert json.loads(capsys.readouterr().out)["in_scope"] == 1


def test_eval_rejects_a_bad_tag_and_a_pattern_matching_nothing(tmp_path, capsys):
    _tsv(tmp_path / "t.tsv", "en|-|hello there|gossip")
    assert main(["eval", str(tmp_path / "t.tsv")]) == 2
    assert f"{tmp_path / 't.tsv'}:1: unknown tag 'gossip'" in capsys.readouterr().err
    assert main(["eval", str(tmp_path / "none*.tsv")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_eval_rejects_a_malformed_line_naming_it(tmp_path, capsys):
    bad = tmp_path / "bad.tsv"
    bad.write_text("# comment\nen\tbpo-definition\twhat is bpo\nen\tno-such-topic\thello\n")
    assert main(["eval", str(bad)]) == 2
    assert f"{bad}:3: unknown topic id 'no-such-topic'" in capsys.readouterr().err


def test_console_script_chat_answers_and_opens_suggestions():
    session = subprocess.run(
        [*faqbot_command(), "chat"],
        input="halo kak\napa perbezaan bpo dan pusat panggilan\n/quit\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "[ms · answer · bpo-vs-callcenter" in session.stdout
    assert "[id · greeting]" in session.stdout


def test_fit_writes_a_decision_file_and_prints_the_calibration(tmp_path, capsys):
    """On a copy of the FAQ without its example questions: the same command, a fraction of
    the fitting time (the shipped fit reads each fold with a classifier of its own)."""
    faq = tmp_path / "data" / "faq.yaml"
    faq.parent.mkdir()
    shutil.copy(DEFAULT_FAQ_PATH, faq)
    shutil.copytree(DEFAULT_FAQ_PATH.parent.parent / "sources", tmp_path / "sources")
    output = tmp_path / "decision.json"
    assert main(["fit", str(DEV_SET), "--faq", str(faq), "--output", str(output)]) == 0
    out = capsys.readouterr().out
    assert "calibration" in out and "0.9-1.0" in out
    record = json.loads(output.read_text())["fitted_on"]
    assert record["files"][0]["path"] == str(DEV_SET) and record["files"][0]["rows"] > 400
    assert {"faq", "lexicon", "phrases"} == set(record["inputs"])


def test_report_groups_unanswered_questions_and_counts_votes(tmp_path, capsys):
    from bot.storage import Storage

    database = tmp_path / "bot.sqlite3"
    with Storage(database) as storage:
        for text in ("Gaji agent berapa?", "gaji  agent berapa?", "resepi nasi lemak"):
            storage.log_question(chat_type="private", lang="id", outcome="none", text=text)
        storage.log_question(chat_type="group", lang="en", outcome="answer", topic_id="bpo-types")
        storage.record_feedback(1, "bpo-types", -1)
        storage.record_feedback(2, "bpo-types", 1)
    assert main(["report", "--database", str(database)]) == 0
    out = capsys.readouterr().out
    assert "Questions logged: 4" in out
    assert "2×  gaji agent berapa?" in out and "1×  resepi nasi lemak" in out
    assert "👍 1  👎 1  bpo-types" in out


def test_report_without_a_database_is_one_line_and_exit_2(tmp_path, capsys):
    assert main(["report", "--database", str(tmp_path / "missing.sqlite3")]) == 2
    assert capsys.readouterr().err.count("\n") == 1
