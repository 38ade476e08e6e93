"""Translation gaps: which texts of an event lack a language, found from the model alone."""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.model import Event, TextList, iter_texts, language_chain


@dataclass(frozen=True, slots=True)
class LanguageGaps:
    """How many translatable texts an event has, and the paths of those lacking ``lang``."""

    lang: str
    texts: int
    missing: tuple[str, ...]


def find_gaps(event: Event, lang: str) -> LanguageGaps:
    """Every text (and the keyword list) that has no ``lang`` version, in file order."""
    texts = [text for text in iter_texts(event) if text.neutral is None]
    missing = [text.path for text in texts if text.lookup(lang) is None]
    count = len(texts)
    if isinstance(event.keywords, TextList):
        count += 1
        tags = {tag.lower() for tag, _ in event.keywords.translations}
        if not any(candidate.lower() in tags for candidate in language_chain(lang)):
            missing.append(event.keywords.path)
    return LanguageGaps(lang, count, tuple(missing))
