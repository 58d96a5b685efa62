"""`faqbot bench`: latency, build time, memory, and accuracy against a naive baseline.

Prints figures; asserts nothing. Timings are wall-clock per call on this machine.
"""

from __future__ import annotations

import gc
import random
import resource
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from rapidfuzz import fuzz, process

from faq.engine import Engine
from faq.evaluation import OUT_OF_SCOPE, EvalRow, evaluate, read_eval_file
from faq.model import LANGS, Faq, Topic, TopicText

DEV_SET = Path(__file__).resolve().parents[1] / "tests" / "data" / "dev.tsv"
BASELINE_CUTOFF = 80


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def latencies_ms(
    call: Callable[[str], object], questions: Sequence[str], rounds: int
) -> list[float]:
    timings: list[float] = []
    gc.collect()
    for _ in range(rounds):
        for question in questions:
            start = time.perf_counter_ns()
            call(question)
            timings.append((time.perf_counter_ns() - start) / 1e6)
    return timings


def percentiles(timings: list[float]) -> str:
    cuts = statistics.quantiles(timings, n=100, method="inclusive")
    return (
        f"p50 {cuts[49]:.3f} ms, p99 {cuts[98]:.3f} ms, "
        f"max {max(timings):.3f} ms (n={len(timings)})"
    )


def synthetic_faq(base: Faq, topic_count: int, seed: int = 7) -> Faq:
    """`topic_count` topics whose texts recombine the real FAQ's words, so the index sees
    a realistic vocabulary and realistic term frequencies at a much larger scale."""
    rng = random.Random(seed)
    vocabulary = sorted(
        {
            w
            for topic in base.topics.values()
            for text in topic.texts.values()
            for phrasing in text.phrasings
            for w in phrasing.split()
        }
    )
    vocabulary += [f"term{n}" for n in range(topic_count)]  # rare words, as a big FAQ has

    def sentence(length: int) -> str:
        return " ".join(rng.choice(vocabulary) for _ in range(length))

    topics: dict[str, Topic] = {}
    for number in range(topic_count):
        texts = {
            lang: TopicText(
                title=sentence(5),
                answer=sentence(40),
                phrasings=tuple(sentence(rng.randint(3, 9)) for _ in range(8)),
            )
            for lang in LANGS
        }
        topic_id = f"synthetic-{number}"
        topics[topic_id] = Topic(topic_id, texts)
    return Faq(topics=topics)


def baseline(faq: Faq) -> Callable[[str], tuple[str | None, str | None]]:
    """Naive matcher: rapidfuzz extractOne with WRatio over every question string, cut-off 80."""
    choices: list[str] = []
    owners: list[tuple[str, str]] = []
    for topic in faq.topics.values():
        for lang, text in topic.texts.items():
            for question in (text.title, *text.phrasings):
                choices.append(question)
                owners.append((topic.id, lang))

    def match(question: str) -> tuple[str | None, str | None]:
        found = process.extractOne(
            question,
            choices,
            scorer=fuzz.WRatio,
            score_cutoff=BASELINE_CUTOFF,
            processor=str.lower,
        )
        return owners[found[2]] if found else (None, None)

    return match


def baseline_metrics(
    match: Callable[[str], tuple[str | None, str | None]], rows: list[EvalRow]
) -> str:
    in_scope = [r for r in rows if r.expected not in (OUT_OF_SCOPE, "*")]
    out_of_scope = [r for r in rows if r.expected == OUT_OF_SCOPE]
    right = sum(match(r.question)[0] == r.expected for r in in_scope)
    false_answers = sum(match(r.question)[0] is not None for r in out_of_scope)
    lang_right = sum((match(r.question)[1] or "en") in r.langs for r in rows)
    return (
        f"in-scope right {right / len(in_scope):.1%}, out-of-scope answered "
        f"{false_answers / max(1, len(out_of_scope)):.1%}, language {lang_right / len(rows):.1%}"
    )


def general_detectors() -> dict[str, Callable[[str], str]]:
    """Installed general language identifiers (`pip install .[bench]`), limited to id/ms/en."""
    found: dict[str, Callable[[str], str]] = {}
    try:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
        identifier.set_languages(list(LANGS))
        found["py3langid"] = lambda text: identifier.classify(text)[0]
    except ImportError:
        pass
    try:
        import langid

        langid.set_languages(list(LANGS))
        found["langid.py"] = lambda text: langid.classify(text)[0]
    except ImportError:
        pass
    try:
        from lingua import Language, LanguageDetectorBuilder

        codes = {Language.INDONESIAN: "id", Language.MALAY: "ms", Language.ENGLISH: "en"}
        detector = LanguageDetectorBuilder.from_languages(*codes).build()

        def lingua_detect(text: str) -> str:
            language = detector.detect_language_of(text)
            return codes.get(language, "en") if language else "en"

        found["lingua"] = lingua_detect
    except ImportError:
        pass
    return found


def language_comparison(engine: Engine, rows: list[EvalRow]) -> list[str]:
    detectors: dict[str, Callable[[str], str]] = {"faqbot (ours)": engine.language}
    detectors.update(general_detectors())
    lines = []
    for name, detect in detectors.items():
        start = time.perf_counter()
        right = sum(detect(r.question) in r.langs for r in rows)
        per_row_ms = (time.perf_counter() - start) * 1000 / len(rows)
        lines.append(f"  {name:<14} {right / len(rows):6.1%}  ({per_row_ms:.3f} ms/question)")
    if len(detectors) == 1:
        lines.append("  (install the general detectors with `pip install .[bench]` to compare)")
    return lines


def run_benchmark(engine: Engine, topics: int = 10_000, quick: bool = False) -> int:
    rounds = 3 if quick else 20
    rows = read_eval_file(DEV_SET) if DEV_SET.exists() else []
    questions = [r.question for r in rows] or [
        p for t in engine.faq.topics.values() for x in t.texts.values() for p in x.phrasings
    ]
    print(
        f"Shipped FAQ: {len(engine.faq.topics)} topics; "
        f"{len(questions)} questions x {rounds} rounds"
    )
    start = time.perf_counter()
    Engine(engine.faq)
    print(f"  index build: {(time.perf_counter() - start) * 1000:.1f} ms")
    print(f"  faqbot ask:  {percentiles(latencies_ms(engine.ask, questions, rounds))}")
    naive = baseline(engine.faq)
    print(f"  baseline:    {percentiles(latencies_ms(naive, questions, rounds))}")
    print(f"  peak RSS so far: {peak_rss_mib():.1f} MiB")

    if rows:
        _, metrics = evaluate(engine, rows)
        m = metrics
        print(f"\nDev set ({DEV_SET.name}, {len(rows)} rows), side by side:")
        print(
            f"  faqbot:   in-scope right {m.in_scope_accuracy:.1%}, out-of-scope answered "
            f"{m.out_of_scope_false_answer_rate:.1%}, language {m.language_accuracy:.1%}"
        )
        print(
            f"  baseline: {baseline_metrics(naive, rows)}  "
            f"(extractOne, WRatio, cut-off {BASELINE_CUTOFF})"
        )
        print("\nReply language on the dev set (general detectors restricted to id/ms/en):")
        for line in language_comparison(engine, rows):
            print(line)

    print(f"\nSynthetic FAQ: {topics} topics x 3 languages x 8 phrasings")
    big_faq = synthetic_faq(engine.faq, topics)
    start = time.perf_counter()
    big = Engine(big_faq)
    print(f"  index build: {time.perf_counter() - start:.2f} s")
    big_rounds = 1 if quick else 3
    print(f"  faqbot ask:  {percentiles(latencies_ms(big.ask, questions, big_rounds))}")
    print(f"  peak RSS: {peak_rss_mib():.1f} MiB")
    return 0
