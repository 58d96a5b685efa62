"""`faqbot bench`: index build time, peak memory and latency of the engine beside a plain
BM25 index (faq/bm25.py) on the same data, with the shipped FAQ and a large synthetic one.

Each measurement runs in a fresh process that reads its own peak RSS, so one index's memory
never shows up in another's figure. Prints figures; asserts nothing. Timings are wall-clock
on this machine, while whatever else runs on it runs too.
"""

from __future__ import annotations

import gc
import multiprocessing
import random
import resource
import statistics
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from faq.bm25 import Bm25
from faq.engine import Engine
from faq.evaluation import Answerer, Metrics, evaluate
from faq.loader import load_faq
from faq.model import LANGS, Faq, Topic, TopicText
from faq.rows import EvalRow

MATCHERS: dict[str, Callable[[Faq], Answerer]] = {"faqbot": Engine, "BM25 baseline": Bm25}
SYNTHETIC_PHRASINGS = 8


@dataclass(frozen=True)
class Setup:
    """What one fresh process measures."""

    matcher: str
    """A key of MATCHERS."""
    faq_path: Path
    synthetic_topics: int
    """0: the FAQ itself; otherwise a synthetic FAQ of this many topics built from it."""
    questions: tuple[str, ...]
    rounds: int
    eval_rows: tuple[EvalRow, ...] = ()


@dataclass(frozen=True)
class Figures:
    build_seconds: float
    build_cpu_seconds: float
    data_rss_mib: float
    """Peak RSS before the index was built: interpreter, libraries and the FAQ itself."""
    peak_rss_mib: float
    latencies_ms: tuple[float, ...]
    cpu_ms: tuple[float, ...]
    """CPU time of each call: what the call costs, without the waits of a busy machine."""
    metrics: Metrics | None


def peak_rss_mib() -> float:
    """This process's peak resident memory. Linux's VmHWM belongs to the process image, so it
    starts afresh at exec; getrusage's ru_maxrss (the fallback elsewhere) carries over the
    high-water mark of the process that forked it (the benchmark's parent, with its own
    engine)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kib = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(kib) / 1024


def latencies_ms(
    call: Callable[[str], object], questions: Sequence[str], rounds: int
) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each call."""
    wall: list[float] = []
    cpu: list[float] = []
    gc.collect()
    for _ in range(rounds):
        for question in questions:
            start, start_cpu = time.perf_counter_ns(), time.thread_time_ns()
            call(question)
            cpu.append((time.thread_time_ns() - start_cpu) / 1e6)
            wall.append((time.perf_counter_ns() - start) / 1e6)
    return wall, cpu


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
                phrasings=tuple(sentence(rng.randint(3, 9)) for _ in range(SYNTHETIC_PHRASINGS)),
            )
            for lang in LANGS
        }
        topic_id = f"synthetic-{number}"
        topics[topic_id] = Topic(topic_id, texts)
    return Faq(topics=topics)


def measure(setup: Setup) -> Figures:
    """Load the data, build one matcher, time its answers (run in a fresh process)."""
    faq = load_faq(setup.faq_path)
    if setup.synthetic_topics:
        faq = synthetic_faq(faq, setup.synthetic_topics)
    gc.collect()
    data_rss = peak_rss_mib()
    start, start_cpu = time.perf_counter(), time.process_time()
    matcher = MATCHERS[setup.matcher](faq)
    build_seconds, build_cpu = time.perf_counter() - start, time.process_time() - start_cpu
    wall, cpu = latencies_ms(matcher.ask, setup.questions, setup.rounds)
    metrics = evaluate(matcher, list(setup.eval_rows))[1] if setup.eval_rows else None
    return Figures(
        build_seconds, build_cpu, data_rss, peak_rss_mib(), tuple(wall), tuple(cpu), metrics
    )


def measure_apart(setups: Sequence[Setup]) -> list[Figures]:
    """`measure` each setup in its own fresh process, one after another."""
    context = multiprocessing.get_context("spawn")
    figures = []
    for setup in setups:
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            figures.append(pool.submit(measure, setup).result())
    return figures


def percentile(timings: Sequence[float], percent: int) -> float:
    return statistics.quantiles(timings, n=100, method="inclusive")[percent - 1]


def figures_table(named: Sequence[tuple[str, Figures]], unit: str) -> list[str]:
    """One line per matcher: build time (wall, CPU), peak RSS (before the index), latency
    percentiles (wall; the p99 of CPU time last)."""
    scale = 1000.0 if unit == "ms" else 1.0
    lines = [
        f"  {'':<15}{'build (CPU)':>19}  {'peak RSS (data)':>18}"
        f"  {'p50':>6} {'p99':>6} {'max':>6}  {'p99 CPU':>7}"
    ]
    for name, f in named:
        lines.append(
            f"  {name:<15}{f.build_seconds * scale:7.2f} ({f.build_cpu_seconds * scale:6.2f}) "
            f"{unit:<2}  {f.peak_rss_mib:6.1f} ({f.data_rss_mib:5.1f}) MiB"
            f"  {percentile(f.latencies_ms, 50):6.2f} {percentile(f.latencies_ms, 99):6.2f} "
            f"{max(f.latencies_ms):6.2f}  {percentile(f.cpu_ms, 99):7.2f} ms"
        )
    return lines


def metrics_line(metrics: Metrics) -> str:
    return (
        f"in-scope right {metrics.in_scope_accuracy:6.1%}, out-of-scope answered "
        f"{metrics.out_of_scope_false_answer_rate:6.1%}, language {metrics.language_accuracy:6.1%}"
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


def language_comparison(engine: Engine, rows: Sequence[EvalRow]) -> list[str]:
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


def run_benchmark(
    engine: Engine,
    faq_path: Path,
    topics: int = 10_000,
    quick: bool = False,
    rows: Sequence[EvalRow] = (),
    rows_name: str = "",
) -> int:
    """Print the figures. Evaluation `rows` (from the file `rows_name`) supply the questions
    and the accuracy figures; without them the FAQ's own phrasings are the questions."""
    rows = tuple(rows)
    questions = tuple(r.question for r in rows) or tuple(
        p for t in engine.faq.topics.values() for x in t.texts.values() for p in x.phrasings
    )
    rounds, big_rounds = (3, 1) if quick else (20, 3)
    names = list(MATCHERS)

    print(
        f"Shipped FAQ ({faq_path.name}): {len(engine.faq.topics)} topics; "
        f"{len(questions)} questions x {rounds} rounds; each matcher in a fresh process"
    )
    small = measure_apart([Setup(name, faq_path, 0, questions, rounds, rows) for name in names])
    for line in figures_table(list(zip(names, small, strict=True)), "ms"):
        print(line)
    if rows:
        print(f"\nAccuracy on {rows_name} ({len(rows)} rows):")
        for name, figures in zip(names, small, strict=True):
            if figures.metrics:
                print(f"  {name:<15}{metrics_line(figures.metrics)}")
        print("\nReply language (general detectors restricted to id/ms/en):")
        for line in language_comparison(engine, rows):
            print(line)

    print(
        f"\nSynthetic FAQ: {topics} topics x {len(LANGS)} languages x {SYNTHETIC_PHRASINGS} "
        f"phrasings; {len(questions)} questions x {big_rounds} rounds"
    )
    big = measure_apart([Setup(name, faq_path, topics, questions, big_rounds) for name in names])
    for line in figures_table(list(zip(names, big, strict=True)), "s"):
        print(line)
    return 0
