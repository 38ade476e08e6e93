"""The one error base reportgen raises on purpose; anything else is a bug."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

EXIT_BAD_INPUT = 1
EXIT_USAGE = 2


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input file, located as precisely as we know."""

    message: str
    file: Path | str | None = None
    line: int | None = None  # 1-based
    path: str | None = None  # e.g. "sections[2].points[0].speaker"

    def __str__(self) -> str:
        where = str(self.file) if self.file is not None else ""
        if self.line is not None:
            where += f":{self.line}"
        prefix = f"{where}: " if where else ""
        location = f"{self.path}: " if self.path else ""
        return f"{prefix}{location}{self.message}"


class ReportgenError(Exception):
    """An expected failure with a message for the user and an exit status."""

    exit_code = EXIT_BAD_INPUT

    def lines(self) -> list[str]:
        """What the CLI prints, one line per problem."""
        return [str(self)]


class UsageError(ReportgenError):
    """The command line itself is wrong (unknown language, format, option)."""

    exit_code = EXIT_USAGE


class InputError(ReportgenError):
    """An input file is invalid; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class OutputError(ReportgenError):
    """An output could not be written (directory missing, not writable, …)."""


class ResourceError(ReportgenError):
    """A catalog, template or font that should ship with reportgen is missing or broken."""


class TemplateError(ReportgenError):
    """A template is broken: syntax, undefined name, or XML outside the vocabulary."""


@dataclass(frozen=True, slots=True)
class Notice:
    """A non-fatal finding reported on stderr (translation gaps, missing glyphs)."""

    message: str
    path: str | None = None

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message
