"""The FAQ loader: a valid file loads; each kind of mistake is reported where it is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from faq.loader import FaqError, Problem, check_faq, load_faq, summary
from faq.model import ExampleQuestion, Faq, SourceRef

SOURCE = "The quick brown fox\njumps over the lazy dog.\nPack my box with five dozen jugs.\n"

BETA_PHRASINGS = "[" + ", ".join(f"b{i}" for i in range(1, 16)) + "]"  # MIN_PHRASINGS

VALID = """\
common: [alpha]
topics:
  - id: alpha
    related: [beta]
    sources:
      - file: src.txt
        excerpt: "quick brown fox"
    text:
      id:
        title: "  Apa itu alpha?  "
        answer: Alpha adalah huruf pertama.
        phrasings: [apa itu alpha, alpha itu apa, arti alpha, alpha artinya, definisi alpha, apa,
          a7, a8, a9, a10, a11, a12, a13, a14, a15]
      ms:
        title: Apakah alpha?
        answer: |

          Alpha ialah huruf pertama.
          • Baris kedua.

        phrasings:
          - apakah alpha
          - alpha tu apa
          - "  maksud alpha  "
          - alpha maksudnya
          - takrif alpha
          - terangkan alpha
          - m7
          - m8
          - m9
          - m10
          - m11
          - m12
          - m13
          - m14
          - m15
      en:
        title: What is alpha?
        answer: Alpha is the first letter.
        phrasings: [what is alpha, alpha meaning, define alpha, whats alpha, alpha def, alpha what,
          e7, e8, e9, e10, e11, e12, e13, e14, e15]
  - id: beta
    sources:
      - file: src.txt
        excerpt: five dozen jugs
    text:
      id: {title: Beta, answer: Beta kedua., phrasings: BETA_PHRASINGS}
      ms: {title: Beta, answer: Beta kedua., phrasings: BETA_PHRASINGS}
      en: {title: Beta, answer: Beta is second., phrasings: BETA_PHRASINGS}
""".replace("BETA_PHRASINGS", BETA_PHRASINGS)

BETA_TEXT = VALID[VALID.index("    text:\n      id: {title: Beta") :]
LONG = "x" * 4097
NEAR_LIMIT = "x" * 4090


def write_faq(tmp_path: Path, text: str) -> Path:
    """Write `text` as data/faq.yaml next to a sources/ folder holding src.txt."""
    (tmp_path / "sources").mkdir(exist_ok=True)
    (tmp_path / "sources" / "src.txt").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "data").mkdir(exist_ok=True)
    path = tmp_path / "data" / "faq.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# Without references to beta, so that breaking beta's id gives no second problem.
UNREFERENCED = VALID.replace("related: [beta]", "related: []")


def mutate(old: str, new: str, base: str = VALID) -> str:
    assert base.count(old) == 1, old
    return base.replace(old, new)


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the `occurrence`-th line containing `needle`."""
    hits = [number for number, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[occurrence - 1]


def test_valid_faq_loads(tmp_path: Path) -> None:
    path = write_faq(tmp_path, VALID)
    faq, problems = check_faq(path)
    assert problems == []
    assert isinstance(faq, Faq)
    assert list(faq.topics) == ["alpha", "beta"]
    assert faq.common == ("alpha",)
    assert faq.path == path
    alpha = faq.topics["alpha"]
    assert alpha.related == ("beta",)
    assert faq.topics["beta"].related == ()
    assert alpha.sources == (SourceRef("src.txt", "quick brown fox"),)
    assert list(alpha.texts) == ["id", "ms", "en"]
    assert alpha.texts["id"].title == "Apa itu alpha?"
    assert alpha.texts["ms"].answer == "Alpha ialah huruf pertama.\n• Baris kedua."
    assert alpha.texts["ms"].phrasings[2] == "maksud alpha"
    assert len(alpha.texts["en"].phrasings) == 15
    assert load_faq(str(path)) == faq
    assert summary(faq) == "OK: 2 topics, 3 languages (id, ms, en), 90 phrasings"


# Each case: the broken text, the line (needle, occurrence) the problem must point at,
# the topic and field it must name, and a fragment of its message.
CASES = {
    "yaml syntax": (
        mutate("title: What is alpha?", "title: What: is alpha?"),
        ("title: What: is alpha?", 1),
        None,
        None,
        "invalid YAML",
    ),
    "top level not a mapping": ("- alpha\n- beta\n", ("- alpha", 1), None, None, "mapping"),
    "no topics": ("common: []\n", ("common", 1), None, "topics", "topics is missing"),
    "topics not a list": ("topics: alpha\n", ("topics", 1), None, "topics", "expected a list"),
    "topics empty": ("topics: []\n", ("topics", 1), None, "topics", "empty"),
    "unknown top-level key": (
        mutate("common:", "comon:"),
        ("comon:", 1),
        None,
        "comon",
        "unknown key 'comon'",
    ),
    "topic not a mapping": (
        VALID + "  - just a string\n",
        ("just a string", 1),
        None,
        None,
        "topic must be a mapping",
    ),
    "missing id": (
        mutate("  - id: beta\n    sources:", "  - sources:", UNREFERENCED),
        ("  - sources:", 1),
        None,
        "id",
        "id is missing",
    ),
    "empty id": (
        mutate("- id: beta", '- id: ""', UNREFERENCED),
        ('- id: ""', 1),
        None,
        "id",
        "id is empty",
    ),
    "id not a string": (
        mutate("- id: beta", "- id: 42", UNREFERENCED),
        ("- id: 42", 1),
        None,
        "id",
        "number",
    ),
    "invalid id": (
        mutate("- id: beta", "- id: Beta_Topic", UNREFERENCED),
        ("Beta_Topic", 1),
        "Beta_Topic",
        "id",
        "kebab-case",
    ),
    "id too long": (
        mutate("- id: beta", "- id: " + "b" * 41, UNREFERENCED),
        ("b" * 41, 1),
        "b" * 41,
        "id",
        "41 bytes",
    ),
    "duplicate id": (
        mutate("- id: beta", "- id: alpha", UNREFERENCED),
        ("- id: alpha", 2),
        "alpha",
        "id",
        "duplicate id 'alpha' (also on line 3)",
    ),
    "missing text": (
        mutate(BETA_TEXT, ""),
        ("- id: beta", 1),
        "beta",
        "text",
        "text is missing",
    ),
    "text not a mapping": (
        mutate(BETA_TEXT, "    text: [x]\n"),
        ("text: [x]", 1),
        "beta",
        "text",
        "expected a mapping, got a list",
    ),
    "missing language": (
        mutate(
            "      en: {title: Beta, answer: Beta is second., phrasings: " + BETA_PHRASINGS + "}\n",
            "",
        ),
        ("text:", 2),
        "beta",
        "text.en",
        "language 'en' is missing",
    ),
    "unknown language": (
        VALID + "      EN: {title: Beta, answer: Beta is second., phrasings: [b1, b2]}\n",
        ("EN:", 1),
        "beta",
        "text.EN",
        "unknown language 'EN'",
    ),
    "language not a mapping": (
        mutate(
            "en: {title: Beta, answer: Beta is second., phrasings: " + BETA_PHRASINGS + "}",
            "en: Beta is second.",
        ),
        ("en: Beta is second.", 1),
        "beta",
        "text.en",
        "expected a mapping, got a string",
    ),
    "missing title": (
        mutate("        title: Apakah alpha?\n", ""),
        ("      ms:", 1),
        "alpha",
        "text.ms.title",
        "title is missing",
    ),
    "empty title": (
        mutate("title: What is alpha?", "title: '   '"),
        ("title: '   '", 1),
        "alpha",
        "text.en.title",
        "title is empty",
    ),
    "null title": (
        mutate("title: What is alpha?", "title:"),
        ("title:", 3),
        "alpha",
        "text.en.title",
        "title is empty",
    ),
    "title not a string": (
        mutate("title: What is alpha?", "title: 3.5"),
        ("title: 3.5", 1),
        "alpha",
        "text.en.title",
        "expected a string, got a number (3.5)",
    ),
    "missing answer": (
        mutate("        answer: Alpha is the first letter.\n", ""),
        ("      en:", 1),
        "alpha",
        "text.en.answer",
        "answer is missing",
    ),
    "empty answer": (
        mutate("answer: Alpha is the first letter.", 'answer: ""'),
        ('answer: ""', 1),
        "alpha",
        "text.en.answer",
        "answer is empty",
    ),
    "answer too long": (
        mutate("answer: Alpha is the first letter.", f"answer: {LONG}"),
        (LONG, 1),
        "alpha",
        "text.en.answer",
        "answer is 4097 characters",
    ),
    "title and answer too long": (
        mutate("answer: Alpha is the first letter.", f"answer: {NEAR_LIMIT}"),
        (NEAR_LIMIT, 1),
        "alpha",
        "text.en.answer",
        "title and answer together are 4106 characters",
    ),
    "missing phrasings": (
        mutate(
            "id: {title: Beta, answer: Beta kedua., phrasings: " + BETA_PHRASINGS + "}",
            "id: {title: Beta, answer: Beta kedua.}",
        ),
        ("id: {title: Beta", 1),
        "beta",
        "text.id.phrasings",
        "phrasings is missing",
    ),
    "unknown text key": (
        mutate("b14, b15]}\n      en:", "b14, b15], phrasing: b16}\n      en:"),
        ("phrasing: b16", 1),
        "beta",
        "text.ms.phrasing",
        "unknown key 'phrasing' (expected one of: title, answer, phrasings)",
    ),
    "phrasings not a list": (
        mutate(
            "kedua., phrasings: " + BETA_PHRASINGS + "}\n      ms:",
            "kedua., phrasings: b1}\n      ms:",
        ),
        ("phrasings: b1}", 1),
        "beta",
        "text.id.phrasings",
        "expected a list, got a string",
    ),
    "too few phrasings": (
        mutate("          - terangkan alpha\n", ""),
        ("        phrasings:", 2),
        "alpha",
        "text.ms.phrasings",
        "14 phrasings; at least 15 are needed",
    ),
    "empty phrasing": (
        mutate("          - takrif alpha\n", "          - takrif alpha\n          - ' '\n"),
        ("- ' '", 1),
        "alpha",
        "text.ms.phrasings[5]",
        "phrasing is empty",
    ),
    "phrasing not a string": (
        mutate("          - takrif alpha\n", "          - takrif alpha\n          - yes\n"),
        ("- yes", 1),
        "alpha",
        "text.ms.phrasings[5]",
        "expected a string, got a boolean (yes); put it in quotes",
    ),
    "duplicate phrasing": (
        mutate(
            "          - takrif alpha\n", "          - takrif alpha\n          - Apakah  Alpha\n"
        ),
        ("Apakah  Alpha", 1),
        "alpha",
        "text.ms.phrasings[5]",
        "duplicate phrasing 'Apakah  Alpha' (same as phrasings[0])",
    ),
    "related not a list": (
        mutate("related: [beta]", "related: beta"),
        ("related: beta", 1),
        "alpha",
        "related",
        "expected a list, got a string",
    ),
    "unknown related id": (
        mutate("related: [beta]", "related: [beta, gamma]"),
        ("related:", 1),
        "alpha",
        "related[1]",
        "unknown topic id 'gamma'",
    ),
    "self-reference": (
        mutate("related: [beta]", "related:\n      - beta\n      - alpha"),
        ("- alpha", 1),
        "alpha",
        "related[1]",
        "related to itself",
    ),
    "missing sources": (
        mutate(
            """    sources:
      - file: src.txt
        excerpt: five dozen jugs
""",
            "",
        ),
        ("- id: beta", 1),
        "beta",
        "sources",
        "sources is missing",
    ),
    "empty sources": (
        mutate(
            """    sources:
      - file: src.txt
        excerpt: five dozen jugs
""",
            "    sources: []\n",
        ),
        ("sources: []", 1),
        "beta",
        "sources",
        "sources list is empty",
    ),
    "source without file": (
        mutate("      - file: src.txt\n        excerpt: five", "      - excerpt: five"),
        ("- excerpt: five", 1),
        "beta",
        "sources[0].file",
        "file is missing",
    ),
    "source without excerpt": (
        mutate(
            "      - file: src.txt\n        excerpt: five dozen jugs\n", "      - file: src.txt\n"
        ),
        ("- file: src.txt", 2),
        "beta",
        "sources[0].excerpt",
        "excerpt is missing",
    ),
    "source not a mapping": (
        mutate("      - file: src.txt\n        excerpt: five dozen jugs\n", "      - src.txt\n"),
        ("- src.txt", 1),
        "beta",
        "sources[0]",
        "expected a mapping, got a string",
    ),
    "unknown source file": (
        mutate(
            "- file: src.txt\n        excerpt: five", "- file: other.txt\n        excerpt: five"
        ),
        ("other.txt", 1),
        "beta",
        "sources[0].file",
        "source file 'other.txt' not found",
    ),
    "source file given as a path": (
        mutate(
            "- file: src.txt\n        excerpt: five",
            "- file: ../sources/src.txt\n        excerpt: five",
        ),
        ("../sources/src.txt", 1),
        "beta",
        "sources[0].file",
        "expected a file name",
    ),
    "excerpt not in source": (
        mutate("excerpt: five dozen jugs", "excerpt: six dozen jugs"),
        ("six dozen jugs", 1),
        "beta",
        "sources[0].excerpt",
        "excerpt not found verbatim in src.txt",
    ),
    "excerpt across a line break": (
        mutate("excerpt: five dozen jugs", "excerpt: fox jumps"),
        ("fox jumps", 1),
        "beta",
        "sources[0].excerpt",
        "it would match if line breaks and spaces were ignored",
    ),
    "unknown common id": (
        mutate("common: [alpha]", "common: [alpha, gamma]"),
        ("common:", 1),
        None,
        "common[1]",
        "unknown topic id 'gamma'",
    ),
    "common not a list": (
        mutate("common: [alpha]", "common: alpha"),
        ("common:", 1),
        None,
        "common",
        "expected a list",
    ),
    "unknown topic key": (
        mutate("    related: [beta]\n", "    related: [beta]\n    relate: [beta]\n"),
        ("relate:", 1),
        "alpha",
        "relate",
        "unknown key 'relate' (expected one of: id, related, sources, text)",
    ),
    "duplicate key": (
        mutate("    related: [beta]\n", "    related: [beta]\n    related: [beta]\n"),
        ("related:", 2),
        "alpha",
        "related",
        "duplicate key 'related' (first on line 4)",
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_each_mistake_is_located(tmp_path: Path, case: str) -> None:
    text, (needle, occurrence), topic, field, message = CASES[case]
    path = write_faq(tmp_path, text)
    faq, problems = check_faq(path)
    assert faq is None
    assert len(problems) == 1, "\n".join(map(str, problems))
    problem = problems[0]
    line = line_of(text, needle, occurrence)
    assert (problem.file, problem.line, problem.topic, problem.field) == (
        str(path),
        line,
        topic,
        field,
    )
    assert message in problem.message
    named = [f"topic '{topic}'"] if topic is not None else []
    named += [f"field '{field}'"] if field is not None else []
    where = [f"{path}:{line}", ", ".join(named)] if named else [f"{path}:{line}"]
    assert str(problem) == ": ".join([*where, problem.message])


def test_problem_str_omits_missing_parts() -> None:
    assert (
        str(Problem("faq.yaml", None, None, None, "file not found")) == "faq.yaml: file not found"
    )
    full = Problem("faq/data/faq.yaml", 42, "bpo-types", "text.ms.answer", "answer is empty")
    assert str(full) == (
        "faq/data/faq.yaml:42: topic 'bpo-types', field 'text.ms.answer': answer is empty"
    )
    assert str(Problem("f.yaml", 3, None, "common[0]", "x")) == "f.yaml:3: field 'common[0]': x"


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    faq, problems = check_faq(path)
    assert faq is None
    assert [(p.file, p.line, p.topic, p.field) for p in problems] == [(str(path), None, None, None)]
    assert str(problems[0]) == f"{path}: file not found"


def test_unreadable_file(tmp_path: Path) -> None:
    faq, problems = check_faq(tmp_path)  # a directory
    assert faq is None
    assert len(problems) == 1
    assert problems[0].message.startswith("cannot read file")


def test_empty_file(tmp_path: Path) -> None:
    _, problems = check_faq(write_faq(tmp_path, ""))
    assert [p.message for p in problems] == [
        "file is empty; expected a mapping with a 'topics' list"
    ]


def test_path_is_reported_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_faq(tmp_path, "topics: []\n")
    monkeypatch.chdir(tmp_path)
    _, problems = check_faq("data/faq.yaml")
    assert str(problems[0]).startswith("data/faq.yaml:1: ")


def test_sources_dir_falls_back_to_packaged_sources(tmp_path: Path) -> None:
    real = Path(__file__).parents[1] / "faq" / "sources" / "id-bpo-vs-call-center.txt"
    excerpt = real.read_text(encoding="utf-8").splitlines()[1][:60]
    packaged = f"- file: {real.name}\n        excerpt: {json.dumps(excerpt)}"
    text = mutate("- file: src.txt\n        excerpt: five dozen jugs", packaged)
    faq, problems = check_faq(write_faq(tmp_path, text))
    assert problems == []
    assert faq is not None
    assert faq.topics["beta"].sources == (SourceRef(real.name, excerpt),)


def test_all_problems_are_reported(tmp_path: Path) -> None:
    text = VALID.replace("title: What is alpha?", "title: 7")
    text = text.replace("related: [beta]", "related: [gamma]")
    text = text.replace("          - takrif alpha\n", "")
    text = text.replace("- id: beta", "- id: Beta")
    text = text.replace("excerpt: five dozen jugs", "excerpt: six dozen jugs")
    text = text.replace("common: [alpha]", "common: [alpha, delta]")
    path = write_faq(tmp_path, text)
    faq, problems = check_faq(path)
    assert faq is None
    located = [(p.line, p.topic, p.field) for p in problems]
    assert located == [
        (1, None, "common[1]"),
        (4, "alpha", "related[0]"),
        (line_of(text, "        phrasings:", 2), "alpha", "text.ms.phrasings"),
        (line_of(text, "title: 7"), "alpha", "text.en.title"),
        (line_of(text, "- id: Beta"), "Beta", "id"),
        (line_of(text, "six dozen"), "Beta", "sources[0].excerpt"),
    ]
    with pytest.raises(FaqError) as raised:
        load_faq(path)
    assert raised.value.problems == problems
    assert str(raised.value) == "\n".join(str(p) for p in problems)
    assert str(raised.value).count("\n") == len(problems) - 1


def test_misspelt_key_is_not_ignored(tmp_path: Path) -> None:
    text = mutate("phrasings:\n          - apakah alpha", "phrasing:\n          - apakah alpha")
    _, problems = check_faq(write_faq(tmp_path, text))
    line = line_of(text, "phrasing:")
    unknown = "unknown key 'phrasing' (expected one of: title, answer, phrasings)"
    assert [(p.line, p.topic, p.field, p.message) for p in problems] == [
        (line_of(text, "      ms:"), "alpha", "text.ms.phrasings", "phrasings is missing"),
        (line, "alpha", "text.ms.phrasing", unknown),
    ]


def test_load_faq_raises_for_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FaqError) as raised:
        load_faq(tmp_path / "missing.yaml")
    assert [p.message for p in raised.value.problems] == ["file not found"]


def test_summary_counts_singular() -> None:
    from faq.model import Topic, TopicText

    text = TopicText("T", "A", ("p",))
    faq = Faq(topics={"t": Topic("t", {"en": text})})
    assert summary(faq) == "OK: 1 topic, 1 language (en), 1 phrasing"
    taught = Faq(topics=faq.topics, examples=(ExampleQuestion("what is t", "t", ("en",)),))
    assert summary(taught) == "OK: 1 topic, 1 language (en), 1 phrasing, 1 example question"


def test_example_questions_beside_the_faq_are_loaded(tmp_path: Path) -> None:
    path = write_faq(tmp_path, VALID)
    (path.parent / "examples").mkdir()
    (path.parent / "examples" / "a.tsv").write_text(
        "# comment\nen\talpha\twhat is this alpha thing\tinscope\n"
        "en\t-\tnice weather today\tchatter\n",
        encoding="utf-8",
    )
    (path.parent / "examples" / "unranked").mkdir()
    (path.parent / "examples" / "unranked" / "b.tsv").write_text(
        "ms\talpha\tapa benda alpha ni\n", encoding="utf-8"
    )
    faq = load_faq(path)
    assert faq.examples == (
        ExampleQuestion("what is this alpha thing", "alpha", ("en",)),
        ExampleQuestion("nice weather today", "-", ("en",), "chatter"),
        ExampleQuestion("apa benda alpha ni", "alpha", ("ms",), "inscope", ranks=False),
    )


def test_a_broken_example_file_is_named_with_its_line(tmp_path: Path) -> None:
    path = write_faq(tmp_path, VALID)
    (path.parent / "examples").mkdir()
    broken = path.parent / "examples" / "b.tsv"
    broken.write_text("en\talpha\tfine row\nen\tno-such-topic\twhat is gamma\n", encoding="utf-8")
    faq, problems = check_faq(path)
    assert faq is None
    assert [str(p) for p in problems] == [f"{broken}:2: unknown topic id 'no-such-topic'"]
