"""Diagnostics: what the tool tells an editor about the sources, with file and line."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

ERROR = "error"
WARNING = "warning"
NOTE = "note"  # a repair that is all but certain (a rejoined paragraph): shown by `check`, not by `build`


@dataclass(frozen=True)
class Diagnostic:
    severity: str
    path: str
    line: int
    code: str
    message: str

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message} [{self.code}]"

    def to_json(self) -> dict:
        return asdict(self)

    def github(self, root: Path | None = None) -> str:
        """The diagnostic as a GitHub Actions annotation, shown on the file's line in a pull request.

        The path is made relative to ROOT (the repository: $GITHUB_WORKSPACE, else the current folder),
        as GitHub matches annotations to the files of the change by that path.
        """
        command = {ERROR: "error", WARNING: "warning"}.get(self.severity, "notice")
        path = Path(self.path)
        root = Path(root or os.environ.get("GITHUB_WORKSPACE") or Path.cwd()).resolve()
        absolute = (path if path.is_absolute() else Path.cwd() / path).resolve()
        shown = absolute.relative_to(root).as_posix() if absolute.is_relative_to(root) else self.path
        properties = [f"file={_escape_property(shown)}"]
        if self.line:
            properties.append(f"line={self.line}")
        properties.append(f"title={_escape_property(f'[{self.code}]')}")
        return f"::{command} {','.join(properties)}::{_escape_data(self.message)}"


def _escape_data(text: str) -> str:
    # The workflow-command escapes (actions/toolkit's command.ts): a newline would end the command.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


@dataclass
class Report:
    """Collects diagnostics so that all of them are shown before a build fails."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, severity: str, path: str, line: int, code: str, message: str) -> None:
        self.items.append(Diagnostic(severity, str(path), line, code, message))

    def error(self, path: str, line: int, code: str, message: str) -> None:
        self.add(ERROR, path, line, code, message)

    def note(self, path: str, line: int, code: str, message: str) -> None:
        self.add(NOTE, path, line, code, message)

    def warning(self, path: str, line: int, code: str, message: str) -> None:
        self.add(WARNING, path, line, code, message)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == WARNING]


class UsageError(Exception):
    """A problem with the command line or the issue's configuration: exit status 2."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("; ".join(d.format() for d in diagnostics))

    def __reduce__(self):  # sent back whole from a forked process (beside.py)
        return type(self), (self.diagnostics,)

    @classmethod
    def single(cls, path: str, line: int, code: str, message: str) -> UsageError:
        return cls([Diagnostic(ERROR, str(path), line, code, message)])


class ContentError(Exception):
    """The sources cannot be turned into an issue: exit status 1."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("; ".join(d.format() for d in diagnostics))

    def __reduce__(self):  # sent back whole from a forked process (beside.py)
        return type(self), (self.diagnostics,)


class FaultError(ContentError):
    """huikan itself failed on these sources (a bug, not a mistake in them): exit status 3."""
