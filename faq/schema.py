"""The shape of the FAQ file, as pydantic models: keys, types, required and empty fields.

`faq.loader` validates the YAML with `FaqFile` and turns pydantic's errors into problems
that name the file, line, topic and field; the checks that span several entries (unique
ids, references, phrasings, sources) are the loader's. `FaqFile.model_json_schema()` gives
editors a JSON Schema of the file.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, create_model

from faq.model import LANGS

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""A non-blank string, stripped."""


class Entry(BaseModel):
    """Strict: a number or a boolean is not text, and a misspelt key is an error."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class SourceEntry(Entry):
    file: Text
    excerpt: Text


class LangEntry(Entry):
    title: Text
    answer: Text
    phrasings: list[Text]


TextsEntry: type[Entry] = create_model(
    "TextsEntry",
    __base__=Entry,
    **{lang: (LangEntry, ...) for lang in LANGS},  # type: ignore[call-overload]
)
"""One `LangEntry` per reply language."""


class TopicEntry(Entry):
    id: Annotated[str, StringConstraints(min_length=1)]
    related: list[Text] = []
    sources: Annotated[list[SourceEntry], Field(min_length=1)]
    text: TextsEntry  # type: ignore[valid-type]

    def texts(self) -> dict[str, LangEntry]:
        values: dict[str, Any] = dict(self.text)
        return {lang: values[lang] for lang in LANGS}


class FaqFile(Entry):
    common: list[Text] = []
    topics: Annotated[list[TopicEntry], Field(min_length=1)]
