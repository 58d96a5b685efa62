"""Rows of the evaluation and example TSV files:
`lang<TAB>expected<TAB>question[<TAB>tag[<TAB>previous]]`.

`lang` is id, ms, en, or several joined by "/" when each is right; `expected` is a topic id,
"-" for out of scope, or "*" to score the reply language only. `tag` is "inscope", "near-oos"
or "chatter" (left out or empty: "near-oos" for "-", else "inscope"); `previous` is an earlier
question in the same chat, asked first, so the row's question is a follow-up to it.
"""

from __future__ import annotations

import glob
import zlib
from dataclasses import dataclass
from pathlib import Path

from faq.model import LANGS, ExampleQuestion
from faq.normalize import fold

OUT_OF_SCOPE = "-"
LANGUAGE_ONLY = "*"
INSCOPE, NEAR_OOS, CHATTER = "inscope", "near-oos", "chatter"
TAGS = (INSCOPE, NEAR_OOS, CHATTER)


class EvalFileError(ValueError):
    """A malformed evaluation or example file; the message names the file and line."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        super().__init__(f"{file}: {message}" if line is None else f"{file}:{line}: {message}")
        self.file, self.line, self.message = file, line, message


@dataclass(frozen=True)
class EvalRow:
    line: int
    langs: tuple[str, ...]
    expected: str
    question: str
    tag: str = INSCOPE
    previous: str | None = None
    source: str = ""
    """The file the row comes from."""


def expand_paths(patterns: list[str]) -> list[Path]:
    """Files named or matched by glob patterns, in order, each once; EvalFileError if a
    pattern matches nothing."""
    found: dict[Path, None] = {}
    for pattern in patterns:
        matches = sorted(glob.glob(pattern)) if glob.has_magic(pattern) else [pattern]
        if not matches:
            raise EvalFileError(pattern, None, "no such file")
        found.update((Path(m), None) for m in matches)
    return list(found)


def read_eval_file(path: Path | str, known_topics: set[str] | None = None) -> list[EvalRow]:
    """Parse an evaluation TSV; raise EvalFileError naming the first bad line."""
    rows: list[EvalRow] = []
    with Path(path).open(encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            rows.append(_parse_row(str(path), number, line, known_topics))
    return rows


def _parse_row(path: str, number: int, line: str, known_topics: set[str] | None) -> EvalRow:
    fields = [f.strip() for f in line.split("\t")]
    if not 3 <= len(fields) <= 5:
        raise EvalFileError(
            path, number, f"expected 3 to 5 tab-separated fields, got {len(fields)}"
        )
    lang_field, expected, question = fields[:3]
    langs = tuple(lang_field.split("/"))
    if not all(lang in LANGS for lang in langs):
        raise EvalFileError(path, number, f"unknown language {lang_field!r}")
    special = (OUT_OF_SCOPE, LANGUAGE_ONLY)
    if known_topics is not None and expected not in special and expected not in known_topics:
        raise EvalFileError(path, number, f"unknown topic id {expected!r}")
    tag = fields[3] if len(fields) > 3 and fields[3] else None
    if tag is None:
        tag = NEAR_OOS if expected == OUT_OF_SCOPE else INSCOPE
    if tag not in TAGS:
        raise EvalFileError(path, number, f"unknown tag {tag!r} (one of {', '.join(TAGS)})")
    if (tag == INSCOPE) == (expected == OUT_OF_SCOPE):
        raise EvalFileError(path, number, f"tag {tag!r} does not fit expected {expected!r}")
    previous = fields[4] if len(fields) > 4 and fields[4] else None
    return EvalRow(number, langs, expected, question, tag, previous, path)


def read_eval_files(paths: list[Path], known_topics: set[str] | None = None) -> list[EvalRow]:
    return [row for path in paths for row in read_eval_file(path, known_topics)]


def read_examples(
    directory: Path, known_topics: set[str], ranks: bool = True
) -> list[ExampleQuestion]:
    """Every row of the *.tsv files in `directory` (none if it does not exist): what people
    wrote, which the classifier (if `ranks`) and the language model learn from."""
    return [
        ExampleQuestion(row.question, row.expected, row.langs, row.tag, ranks)
        for path in sorted(directory.glob("*.tsv"))
        for row in read_eval_file(path, known_topics)
        if row.expected != LANGUAGE_ONLY
    ]


def text_fold(text: str, folds: int) -> int:
    """The cross-validation fold of a text, by a hash of its folded form: the same question
    typed twice (or in two files) is held out everywhere at once."""
    return zlib.crc32(fold(text).encode()) % folds
