"""The learning loop's offline half: confirmed questions become FAQ phrasings, and recurring
unanswered questions are grouped into candidate new topics.

Phrasings are written with ruamel.yaml's round-trip mode, so the FAQ file keeps its comments,
quoting and layout; the result is validated like `faqbot check` before it replaces the file.
"""

from __future__ import annotations

import io
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process, utils
from ruamel.yaml import YAML

from bot.learnstore import Candidate
from bot.limits import FAQ_LIMITS
from bot.storage import normalise_text
from faq.loader import check_faq

SAME_QUESTION = 80.0
"""rapidfuzz token_sort_ratio from which two unanswered questions count as one: typos,
punctuation and word order differ, the words do not."""


class LearnError(Exception):
    """The FAQ file was left as it was; `problems` says why, one line each."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class Accepted:
    added: list[Candidate]
    already: list[Candidate]
    """Candidates that were already phrasings of their topic, in their language."""


def _round_trip() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long line that was not folded
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _problems_in(path: Path, shown_as: Path | None = None) -> list[str]:
    faq, problems = check_faq(path, FAQ_LIMITS)
    lines = [str(problem) for problem in problems] if faq is None else []
    if shown_as is not None:
        lines = [line.replace(os.fspath(path), os.fspath(shown_as)) for line in lines]
    return lines


def add_phrasings(faq_path: Path, candidates: Iterable[Candidate]) -> Accepted:
    """Add each candidate's question to its topic's phrasings in its language.

    Raises LearnError, writing nothing, if the file is invalid before or after, or a
    candidate's topic or language is not in it.
    """
    problems = _problems_in(faq_path)
    if problems:
        raise LearnError([f"{faq_path} is invalid, fix it first (faqbot check):", *problems])
    yaml = _round_trip()
    data: Any = yaml.load(faq_path.read_text(encoding="utf-8"))
    topics = {topic["id"]: topic for topic in data["topics"]}
    added: list[Candidate] = []
    already: list[Candidate] = []
    for candidate in candidates:
        topic = topics.get(candidate.topic_id)
        text = topic["text"].get(candidate.lang) if topic is not None else None
        if text is None:
            where = f"topic {candidate.topic_id!r} in language {candidate.lang!r}"
            problems.append(f"candidate {candidate.id}: no {where} in {faq_path}")
            continue
        phrasings = text["phrasings"]
        if normalise_text(candidate.question) in {normalise_text(p) for p in phrasings}:
            already.append(candidate)
            continue
        phrasings.append(candidate.question)
        added.append(candidate)
    if problems:
        raise LearnError(problems)
    if added:
        _replace_checked(faq_path, yaml, data)
    return Accepted(added, already)


def _replace_checked(faq_path: Path, yaml: YAML, data: Any) -> None:
    """Write `data` beside `faq_path`, validate it there (same sources folder), then swap it
    in with one rename, so the FAQ file is never half-written or invalid."""
    out = io.StringIO()
    yaml.dump(data, out)
    draft = faq_path.with_name(f".{faq_path.name}.{os.getpid()}.draft")
    try:
        draft.write_text(out.getvalue(), encoding="utf-8")
        problems = _problems_in(draft, shown_as=faq_path)
        if problems:
            raise LearnError(["the FAQ would become invalid, nothing written:", *problems])
        os.replace(draft, faq_path)
    finally:
        draft.unlink(missing_ok=True)


@dataclass
class Cluster:
    """Unanswered questions that are one question asked several ways."""

    example: str
    """The most frequent wording."""
    count: int = 0
    langs: Counter[str] = field(default_factory=Counter)
    wordings: list[str] = field(default_factory=list)


def cluster_unanswered(
    rows: Iterable[tuple[str, str, int]], threshold: float = SAME_QUESTION
) -> list[Cluster]:
    """Group (question, language, count) rows by rapidfuzz similarity: each question joins the
    cluster of the most similar more frequent one, if close enough. Largest first."""
    clusters: list[Cluster] = []
    leaders: list[str] = []
    for text, lang, count in sorted(rows, key=lambda row: (-row[2], row[0])):
        best = process.extractOne(
            text,
            leaders,
            scorer=fuzz.token_sort_ratio,
            processor=utils.default_process,
            score_cutoff=threshold,
        )
        if best is None:
            leaders.append(text)
            clusters.append(Cluster(example=text))
            cluster = clusters[-1]
        else:
            cluster = clusters[best[2]]
        cluster.count += count
        cluster.langs[lang] += count
        if text not in cluster.wordings:
            cluster.wordings.append(text)
    return sorted(clusters, key=lambda cluster: -cluster.count)


def render_new_topics(clusters: Sequence[Cluster], min_count: int = 2, top: int = 20) -> str:
    """The report section: recurring unanswered questions, as candidate new topics."""
    recurring = [cluster for cluster in clusters if cluster.count >= min_count][:top]
    lines = [f"Candidate new topics (unanswered, asked {min_count}+ times):"]
    for cluster in recurring:
        langs = ", ".join(f"{lang} {n}" for lang, n in sorted(cluster.langs.items()))
        lines.append(f"  {cluster.count}×  {cluster.example}  [{langs}]")
        lines += [f"       ~ {wording}" for wording in cluster.wordings[1:4]]
    if not recurring:
        lines.append("  none")
    return "\n".join(lines)


def render_candidates(candidates: Sequence[Candidate]) -> str:
    """`faqbot learn`: candidate phrasings grouped by topic, most frequent first."""
    if not candidates:
        return "No candidate phrasings yet."
    lines: list[str] = []
    topic = None
    for candidate in candidates:
        if candidate.topic_id != topic:
            topic = candidate.topic_id
            lines.append(f"{topic}:")
        lines.append(
            f"  #{candidate.id:<4} {candidate.times}×  [{candidate.lang}]  {candidate.question}"
        )
    return "\n".join(lines)
