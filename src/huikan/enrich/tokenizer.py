"""jieba, loaded once per process, quietly, with the theme's dictionary."""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from pathlib import Path

_lock = threading.Lock()
_loaded_dicts: set[str] = set()


@lru_cache(maxsize=1)
def _jieba():
    import jieba
    import jieba.posseg

    # jieba announces "Building prefix dict…" on its own logger: keep a build's output to what matters.
    jieba.setLogLevel(logging.WARNING)
    logging.getLogger("jieba").setLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def load_user_dict(path: Path) -> None:
    """Add a user dictionary (jieba format: word [freq] [pos] per line) once per process."""
    key = str(Path(path).resolve())
    with _lock:
        if key in _loaded_dicts or not Path(path).is_file():
            return
        _jieba().load_userdict(key)
        _loaded_dicts.add(key)


def words(text: str) -> list[str]:
    return _jieba().lcut(text)


def tagged(text: str) -> list[tuple[str, str]]:
    import jieba.posseg

    _jieba()
    return [(p.word, p.flag) for p in jieba.posseg.lcut(text)]


@lru_cache(maxsize=1)
def background_idf() -> tuple[dict[str, float], float]:
    """jieba's shipped IDF table and its median, the background for keyword weights."""
    import jieba.analyse

    _jieba()
    table = jieba.analyse.default_tfidf.idf_loader
    return table.idf_freq, table.median_idf
