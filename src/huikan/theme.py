"""Where the theme's files come from: the issue's own templates/ first, then the default theme."""

from __future__ import annotations

from pathlib import Path

from huikan.confine import escapes
from huikan.diagnostics import UsageError

PACKAGE_THEME = Path(__file__).parent / "templates"  # inside an installed wheel
SOURCE_THEME = Path(__file__).resolve().parents[2] / "templates"  # in a source checkout


def default_theme_dir() -> Path:
    for folder in (PACKAGE_THEME, SOURCE_THEME):
        if (folder / "issue.html").is_file():
            return folder
    raise FileNotFoundError("the default theme is missing: reinstall huikan")


def theme_dirs(issue_folder: Path | str) -> list[Path]:
    """Folders to look in for a theme file, the issue's overrides first.

    The issue's templates/ and every file in it must lie inside the issue folder: a link out of it
    is refused here, once, for every theme file any stage reads.
    """
    folder = Path(issue_folder)
    own = folder / "templates"
    if not own.is_dir():
        return [default_theme_dir()]
    outside = [p for p in ([own, *sorted(own.rglob("*"))]) if escapes(folder, p)]
    if outside:
        raise UsageError.single(str(outside[0]), 0, "outside-issue",
                                "a theme file that links outside the issue folder is not read")
    return [own, default_theme_dir()]



def theme_file(name: str, dirs: list[Path]) -> Path | None:
    """The first NAME in DIRS (from theme_dirs): the issue's own file if it has one, else the default."""
    return next((d / name for d in dirs if (d / name).is_file()), None)


def required_theme_file(name: str, dirs: list[Path]) -> Path:
    """Like theme_file, for a file the default theme always has."""
    found = theme_file(name, dirs)
    if found is None:
        raise FileNotFoundError(f"the theme has no {name}: reinstall huikan")
    return found
