"""The 公众号 edition's style table (templates/wechat/styles.toml): element name → inline CSS."""

from __future__ import annotations

import tomllib
from pathlib import Path

from markupsafe import Markup, escape

from huikan.diagnostics import UsageError

TABLE = "wechat/styles.toml"


class Styles:
    """The declarations of each element, colours filled in; `attribute(name)` is its style="…"."""

    def __init__(self, declarations: dict[str, str]):
        self.declarations = declarations

    @classmethod
    def load(cls, themes: list[Path]) -> Styles:
        """The default table with each theme's own entries over it (the issue's theme last)."""
        colours: dict[str, str] = {}
        styles: dict[str, str] = {}
        for folder in reversed(themes):
            path = folder / TABLE
            if not path.is_file():
                continue
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise UsageError.single(str(path), 0, "template", f"the 公众号 style table cannot be read: {exc}"
                                        ) from None
            colours.update({str(k): str(v) for k, v in data.get("colours", {}).items()})
            styles.update({str(k): str(v) for k, v in data.get("styles", {}).items()})
        filled = {}
        for name, value in styles.items():
            for colour, code in colours.items():
                value = value.replace("{" + colour + "}", code)
            filled[name] = value
        return cls(filled)

    def attribute(self, name: str) -> Markup:
        """` style="…"` for the element NAME ("" if the table has no such entry)."""
        value = self.declarations.get(name, "")
        return Markup(' style="{}"').format(escape(value)) if value else Markup("")
