"""jieba, loaded once per process, quietly, with the theme's dictionary."""

from __future__ import annotations

import gc
import io
import logging
import os
import pickle
import re
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import ModuleType

from huikan.cache import cache_root

_lock = threading.Lock()
_tables_lock = threading.Lock()
_loaded_dicts: set[str] = set()

CACHE_FORMAT = 1


@dataclass
class Tables:
    """What jieba reads from its shipped files on every start (about 2.5 s); pickled, it loads in 0.6 s."""

    freq: dict[str, int]  # the prefix dictionary
    total: int
    word_tags: dict[str, str]  # the tagger's part of speech for each dictionary word
    idf: dict[str, float]
    median_idf: float


def _import_jieba() -> ModuleType:
    """jieba, imported without pkg_resources. jieba 0.42 imports it only to open its own files, which it
    otherwise opens by path, and pkg_resources alone takes 0.09 s to import: a tenth of enrich's start."""
    if "jieba" not in sys.modules:
        absent = "pkg_resources" not in sys.modules
        if absent:
            sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # `import` raises ImportError
        try:
            import jieba  # noqa: F401
        finally:
            if absent:
                del sys.modules["pkg_resources"]
    return sys.modules["jieba"]


def cache_file() -> Path:
    jieba = _import_jieba()

    return cache_root() / f"jieba-{jieba.__version__}-{CACHE_FORMAT}.pickle"


def tables_from_jieba() -> Tables:
    """The tables as jieba itself loads them (before any user dictionary)."""
    _import_jieba()
    import jieba
    import jieba.analyse
    import jieba.posseg

    jieba.dt.initialize()
    idf = jieba.analyse.default_tfidf.idf_loader
    return Tables(jieba.dt.FREQ, jieba.dt.total, jieba.posseg.dt.word_tag_tab, idf.idf_freq, idf.median_idf)


def _cached_tables() -> Tables | None:
    # A million strings and numbers and no cycles among them: the collector, run every few hundred of
    # them, would only walk them again and again (up to a quarter of the load's time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        with open(cache_file(), "rb") as f:
            tables = pickle.load(f)
        return tables if isinstance(tables, Tables) else None
    except Exception:  # missing, unreadable or from another version: rebuilt from jieba's files
        return None
    finally:
        if collecting:
            gc.enable()


def _save_tables(tables: Tables) -> None:
    try:
        path = cache_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(tables, protocol=5))
        os.replace(tmp, path)
    except (OSError, RuntimeError):  # RuntimeError: no home folder to put it in
        pass  # no writable cache folder: the next start reads jieba's files again


def _install(tables: Tables) -> None:
    """Give jieba the cached tables, so that it does not read its own files."""
    import jieba

    jieba.dt.FREQ, jieba.dt.total, jieba.dt.initialized = tables.freq, tables.total, True
    if "jieba.posseg" not in sys.modules:
        # Importing the tagger reads every dictionary line for its word tags: give it nothing to read.
        jieba.dt.get_dict_file = lambda: io.BytesIO()
        try:
            import jieba.posseg
        finally:
            del jieba.dt.get_dict_file
    import jieba.posseg

    jieba.posseg.dt.word_tag_tab = tables.word_tags


def _tables() -> Tables:
    # Loaded once per process; a second thread that asks meanwhile waits for the first.
    with _tables_lock:
        return _load_tables()


@lru_cache(maxsize=1)
def _load_tables() -> Tables:
    jieba = _import_jieba()

    # jieba announces "Building prefix dict…" on its own logger: keep a build's output to what matters.
    jieba.setLogLevel(logging.WARNING)
    logging.getLogger("jieba").setLevel(logging.WARNING)
    tables = _cached_tables()
    if tables is None:
        tables = tables_from_jieba()
        _save_tables(tables)
    else:
        _install(tables)
    return tables


@lru_cache(maxsize=1)
def _jieba():
    jieba = _import_jieba()

    from huikan.enrich import dag, viterbi

    _tables()
    viterbi.install()
    dag.install()
    from huikan.theme import default_theme_dir

    # The default theme's domain dictionary belongs to every use, the public API included.
    path = default_theme_dir() / "userdict.txt"
    if path.is_file():
        jieba.load_userdict(str(path))
        _loaded_dicts.add(str(path.resolve()))
    return jieba


def load(user_dicts: Iterable[Path] = ()) -> None:
    """Load jieba, its tagger, its IDF table and the user dictionaries now (once per process)."""
    _jieba()  # with the tagger, whose model tables load on import
    background_idf()
    for path in user_dicts:
        load_user_dict(path)


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


def dictionary_tag(word: str) -> str | None:
    """The part of speech jieba's dictionary gives WORD, or None if the word is not in it."""
    _jieba()
    import jieba.posseg

    return jieba.posseg.dt.word_tag_tab.get(word)


def search_words(text: str) -> list[str]:
    """jieba's search-engine cut: long words and the shorter words inside them."""
    return list(_jieba().cut_for_search(text))


# The commonest one-character surnames. jieba's tagger often leaves a rarer one on its own (俞/光耀):
# a surname followed by a given name tagged nr is joined back into one name.
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕"
    "丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严"
    "覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚"
    "符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆"
    "农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋"
    "商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟"
)


# A transliterated name joined by middle dots (雷戈里·H·沃森) is one name, not three words.
DOTTED_NAME = re.compile(r"(?:[\u4e00-\u9fff]{1,6}|[A-Z]\.?)(?:·(?:[\u4e00-\u9fff]{1,6}|[A-Z]\.?))+")


def tagged(text: str) -> list[tuple[str, str]]:
    """(word, part of speech) pairs, with personal names kept whole."""
    out: list[tuple[str, str]] = []
    at = 0
    for m in DOTTED_NAME.finditer(text):
        out.extend(_tagged(text[at:m.start()]))
        out.append((m.group(0), "nrt"))
        at = m.end()
    out.extend(_tagged(text[at:]))
    return out


def _tagged(text: str) -> list[tuple[str, str]]:
    _jieba()
    import jieba.posseg
    out: list[tuple[str, str]] = []
    if not text:
        return out
    for pair in jieba.posseg.lcut(text):
        word, flag = pair.word, pair.flag
        if (out and flag.startswith("nr") and len(word) <= 2 and len(out[-1][0]) == 1
                and out[-1][0] in SURNAMES and not out[-1][1].startswith("nr")):
            out[-1] = (out[-1][0] + word, "nr")
            continue
        out.append((word, flag))
    return out


def background_idf() -> tuple[dict[str, float], float]:
    """jieba's shipped IDF table and its median, the background for keyword weights."""
    tables = _tables()
    return tables.idf, tables.median_idf
