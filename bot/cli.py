"""The `faqbot` command line: check, ask, eval, fit, chat, bench, report, learn and run."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from faq.model import DEFAULT_FAQ_PATH

if TYPE_CHECKING:
    from faq.engine import Engine

Command = Callable[[argparse.Namespace], int]

EXIT_USAGE = 2


def _load_engine(path: Path) -> Engine:
    """The engine for `path`, or exit 2 with the FAQ's problems (one per line)."""
    from bot.limits import load_engine
    from faq.loader import FaqError

    try:
        return load_engine(path)
    except FaqError as error:
        print(error, file=sys.stderr)
        raise SystemExit(EXIT_USAGE) from None


def cmd_check(args: argparse.Namespace) -> int:
    """The FAQ, then the quiz beside it (if there is one) against the FAQ's topics."""
    from bot.limits import FAQ_LIMITS
    from bot.quizbank import LIMITS, quiz_path
    from faq.loader import check_faq, summary
    from faq.quiz import check_quiz, quiz_summary

    faq, problems = check_faq(args.path, FAQ_LIMITS)
    for problem in problems:
        print(problem)
    if faq is None:
        print(f"{len(problems)} problem(s) in {args.path}", file=sys.stderr)
        return 1
    print(summary(faq))
    path = args.quiz or quiz_path(args.path)
    if args.quiz is None and not path.exists():
        return 0
    quiz, quiz_problems = check_quiz(path, LIMITS, faq.topics)
    for quiz_problem in quiz_problems:
        print(quiz_problem)
    if quiz is None:
        print(f"{len(quiz_problems)} problem(s) in {path}", file=sys.stderr)
        return 1
    print(quiz_summary(quiz))
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from bot.console import describe_reply

    engine = _load_engine(args.faq)
    reply = engine.ask(args.question, lang_hint=args.lang_hint)
    if args.json:
        print(json.dumps(reply.as_json(), ensure_ascii=False))
    else:
        print(describe_reply(engine.faq, reply))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from faq.evaluation import evaluate
    from faq.rows import EvalFileError, expand_paths, read_eval_files

    engine = _load_engine(args.faq)
    try:
        rows = read_eval_files(expand_paths(args.files), set(engine.faq.topics))
    except (OSError, EvalFileError) as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    results, metrics = evaluate(engine, rows)
    if args.summary:
        print(json.dumps(metrics.as_json()) if args.json else "\n".join(metrics.lines()))
        return 0
    if args.json:
        records = [
            {
                "file": r.row.source,
                "line": r.row.line,
                "lang": "/".join(r.row.langs),
                "expected": r.row.expected,
                "tag": r.row.tag,
                "question": r.row.question,
                "previous": r.row.previous,
                **r.reply.as_json(),
            }
            for r in results
        ]
        print(json.dumps({"rows": records, "metrics": metrics.as_json()}, ensure_ascii=False))
        return 0
    for r in results:
        if not (r.topic_right and r.lang_right):
            got = r.reply.topic_id or ",".join(r.reply.suggestions) or "-"
            after = f" (after: {r.row.previous})" if r.row.previous else ""
            print(
                f"MISS {r.row.source}:{r.row.line} {r.row.tag}: expected {r.row.expected} "
                f"[{'/'.join(r.row.langs)}], got {r.reply.status} {got} [{r.reply.lang}] "
                f"p={r.reply.confidence:.2f}: {r.row.question}{after}"
            )
    print("\n".join(metrics.lines()))
    return 0


def cmd_fit(args: argparse.Namespace) -> int:
    from faq.decision import DECISION_PATH
    from faq.fit import fit_decision_file
    from faq.rows import EvalFileError, expand_paths, read_eval_file

    engine = _load_engine(args.faq)
    try:
        paths = expand_paths(args.files)
        rows = [read_eval_file(path) for path in paths]
    except (OSError, EvalFileError) as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    try:
        print(fit_decision_file(engine, paths, rows, args.faq, args.output or DECISION_PATH))
    except ValueError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from bot.console import run_console

    return run_console(_load_engine(args.faq), lang_hint=args.lang_hint)


def cmd_bench(args: argparse.Namespace) -> int:
    from faq.benchmark import run_benchmark
    from faq.rows import EvalFileError, read_eval_file

    engine = _load_engine(args.faq)
    try:
        rows = read_eval_file(args.questions, set(engine.faq.topics)) if args.questions else []
    except (OSError, EvalFileError) as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    name = args.questions.name if args.questions else ""
    return run_benchmark(engine, args.faq, args.topics, args.quick, rows, name)


def cmd_run(args: argparse.Namespace) -> int:
    from bot.runner import main as run_bot

    return run_bot(webhook=args.webhook)


def _database(args: argparse.Namespace) -> Path | None:
    """The bot's database file (--database or DATABASE_PATH), None (told why) if missing."""
    from bot.settings import DEFAULT_DATABASE_PATH

    path: Path = args.database or Path(os.environ.get("DATABASE_PATH") or DEFAULT_DATABASE_PATH)
    if not path.exists():
        print(f"no database at {path} (set DATABASE_PATH or pass --database)", file=sys.stderr)
        return None
    return path


def cmd_report(args: argparse.Namespace) -> int:
    from bot.learning import cluster_unanswered, render_new_topics
    from bot.report import render_report
    from bot.storage import Storage, StorageError

    path = _database(args)
    if path is None:
        return EXIT_USAGE
    try:
        with Storage(path, read_only=True) as storage:
            print(render_report(storage.stats(top=args.top)))
            print()
            print(render_new_topics(cluster_unanswered(storage.unanswered_by_language())))
    except StorageError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    return 0


def cmd_learn(args: argparse.Namespace) -> int:
    import sqlite3

    from bot.learning import LearnError, add_phrasings, render_candidates
    from bot.learnstore import LearnStore

    path = _database(args)
    if path is None:
        return EXIT_USAGE
    store = LearnStore(path)
    try:
        if args.reject:
            store.set_status(args.reject, "rejected")
            print(f"set aside: {', '.join(f'#{i}' for i in args.reject)}")
        if not args.accept:
            if not args.reject:
                print(render_candidates(store.candidates()))
            return 0
        chosen = store.candidates(ids=args.accept)
        missing = sorted(set(args.accept) - {candidate.id for candidate in chosen})
        if missing:
            print(f"no candidate {', '.join(f'#{i}' for i in missing)}", file=sys.stderr)
            return EXIT_USAGE
        try:
            accepted = add_phrasings(args.faq, chosen)
        except LearnError as error:
            print(error, file=sys.stderr)
            return 1
        store.set_status([candidate.id for candidate in chosen], "accepted")
    except sqlite3.Error as error:
        print(f"cannot use the database {path}: {error}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        store.close()
    for candidate in accepted.added:
        print(f"added #{candidate.id} to {candidate.topic_id} [{candidate.lang}]")
    for candidate in accepted.already:
        print(f"#{candidate.id} was already a phrasing of {candidate.topic_id} [{candidate.lang}]")
    print(f"{args.faq} is valid; /reload (or a restart) serves it")
    return 0


def cmd_health(args: argparse.Namespace) -> int:
    from bot.healthcheck import check

    return check(args.url)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="faqbot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(
        name: str, handler: Command, help_text: str, faq_option: bool = True
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        if faq_option:
            sub.add_argument("--faq", type=Path, default=DEFAULT_FAQ_PATH, help="FAQ YAML file")
        return sub

    check = add("check", cmd_check, "validate an FAQ file and its quiz", faq_option=False)
    check.add_argument("path", nargs="?", type=Path, default=DEFAULT_FAQ_PATH)
    check.add_argument("--quiz", type=Path, help="quiz YAML file (default: quiz.yaml beside it)")

    ask = add("ask", cmd_ask, "show what the bot would reply to a question")
    ask.add_argument("question")
    ask.add_argument("--lang-hint", choices=("id", "ms", "en"), help="the user's language code")
    ask.add_argument("--json", action="store_true", help="print one JSON object")

    evaluation = add(
        "eval",
        cmd_eval,
        "score the engine on TSV files (lang, expected, question[, tag[, previous]])",
    )
    evaluation.add_argument("files", nargs="+", metavar="FILE", help="TSV files or glob patterns")
    evaluation.add_argument("--json", action="store_true", help="print one JSON object")
    evaluation.add_argument(
        "--summary", action="store_true", help="only the figures: no misses, no question text"
    )

    from faq.decision import DEFAULT_TRAINING

    fitting = add("fit", cmd_fit, "fit the answer/suggest decision to tagged TSV files")
    fitting.add_argument(
        "files", nargs="*", metavar="FILE", default=list(DEFAULT_TRAINING),
        help=f"TSV files or glob patterns (default: {' '.join(DEFAULT_TRAINING)})",
    )  # fmt: skip
    fitting.add_argument("--output", type=Path, help="decision file (default: the shipped one)")

    chat = add("chat", cmd_chat, "a local console that answers like the bot")
    chat.add_argument("--lang-hint", choices=("id", "ms", "en"))

    bench = add("bench", cmd_bench, "print latency, memory and accuracy figures")
    bench.add_argument("--topics", type=int, default=10_000, help="size of the synthetic FAQ")
    bench.add_argument("--quick", action="store_true", help="fewer repetitions")
    bench.add_argument(
        "--questions",
        type=Path,
        help="evaluation TSV to time and score (default: time the FAQ's own phrasings)",
    )
    run = add("run", cmd_run, "run the Telegram bot (settings from the environment)", False)
    run.add_argument("--webhook", action="store_true", help="insist on webhook mode")

    report = add(
        "report", cmd_report, "unanswered questions and feedback, for FAQ maintainers", False
    )
    report.add_argument("--database", type=Path, help="SQLite file (default: DATABASE_PATH)")
    report.add_argument("--top", type=int, default=50, help="unanswered questions to list")

    learn = add("learn", cmd_learn, "candidate phrasings users confirmed; add them to the FAQ")
    learn.add_argument("--database", type=Path, help="SQLite file (default: DATABASE_PATH)")
    learn.add_argument("--accept", type=int, nargs="+", metavar="ID", help="add to the FAQ file")
    learn.add_argument("--reject", type=int, nargs="+", metavar="ID", help="set aside")

    health = add("health", cmd_health, "exit 0 if the running bot reports healthy", False)
    health.add_argument("--url", help="health URL (default: from HEALTH_PORT or WEBHOOK_PORT)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        handler: Command = args.handler
        return handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
