"""The full build (PDF, DOCX, HTML) in a spawned process of its own.

WeasyPrint's layout is most of a build: in its own process it leaves the server answering, its memory
goes back when it ends, and a newer edit can stop it (the build folder is replaced only when a build is
done, so a stopped build leaves the last one whole). "spawn", not "fork": the server has threads.
Each process is started ahead of its build and imports WeasyPrint and loads jieba while the preview
waits for the next edit, so that a build after an edit costs what `huikan build` costs, not more.
"""

from __future__ import annotations

import multiprocessing as mp
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from huikan.diagnostics import Diagnostic
from huikan.swap import locked, recover


@dataclass
class Outcome:
    status: int  # 0 built (or up to date), 1 content errors, 2 usage errors, 3 a fault
    diagnostics: list[dict]
    folder: str | None  # the build folder, when built
    seconds: float  # the build's own, in its process


class PrintBuild:
    """A process ready for one `huikan build`: `start` it, then `wait` for its outcome (or `stop` it)."""

    def __init__(self) -> None:
        context = mp.get_context("spawn")
        self.connection, child = context.Pipe()
        # Not a daemon: the build forks a process of its own for enrich.
        self.process = context.Process(target=_child, args=(child,), name="huikan-print")
        self.process.start()
        child.close()
        self.out: Path | None = None

    def start(self, folder: Path, out: Path) -> None:
        """Build FOLDER into OUT."""
        self.out = out
        self.connection.send((str(folder), str(out)))

    def wait(self, timeout: float) -> Outcome | None:
        """The outcome, if the build ends within TIMEOUT seconds."""
        if not self.connection.poll(timeout):
            if self.process.is_alive():
                return None
            return Outcome(3, [_fault(f"the build process ended with status {self.process.exitcode}")], None, 0)
        try:
            outcome = self.connection.recv()
        except EOFError:  # it died without a word; its status is known once it has been joined
            self.process.join()
            outcome = Outcome(3, [_fault(f"the build process ended with status {self.process.exitcode}")], None, 0)
        # Not joined here: an interpreter that holds WeasyPrint and jieba takes a quarter of a second to end,
        # and the outcome is all the preview waits for (multiprocessing reaps it when the next one starts).
        self.connection.close()
        return outcome

    def stop(self, issue_id: str | None) -> None:
        """Stop the build; what it had begun to write beside the build folder is removed."""
        if self.process.is_alive():
            self.process.terminate()  # SIGTERM: the build cleans up (its enrich process, its staging folder)
            self.process.join(10)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.connection.close()
        if issue_id and self.out is not None:
            target = self.out / issue_id
            with locked(target):
                recover(target)


def _fault(message: str) -> dict:
    return Diagnostic("error", "huikan", 0, "internal", message).to_json()


def _child(connection) -> None:
    # Stopped by a newer edit: unwind as Ctrl-C would, so that the build's own clean-up runs. Ctrl-C
    # itself is the preview's to handle: it stops this process the same way.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from huikan.build import FORMATS, build_issue
    from huikan.config import load_config
    from huikan.diagnostics import ContentError, FaultError, UsageError
    from huikan.enrich.tokenizer import load as load_tokenizer
    from huikan.render.pdf import render_pdf  # noqa: F401  (imports WeasyPrint now, before the edit)

    load_tokenizer()  # the build's enrich process, forked from this one, finds jieba loaded
    try:
        folder, out = connection.recv()
    except EOFError:  # the preview stopped before an edit came
        return
    started = time.perf_counter()
    try:
        config = load_config(Path(folder))
        formats = tuple(dict.fromkeys(("pdf", *(config.formats or FORMATS))))
        result = build_issue(Path(folder), Path(out), formats)
        diagnostics = [d.to_json() for d in result.report.items] if not result.up_to_date else \
            result.manifest.get("diagnostics", [])
        outcome = Outcome(0, diagnostics, str(result.folder), time.perf_counter() - started)
    except UsageError as exc:
        outcome = Outcome(2, [d.to_json() for d in exc.diagnostics], None, time.perf_counter() - started)
    except FaultError as exc:
        outcome = Outcome(3, [d.to_json() for d in exc.diagnostics], None, time.perf_counter() - started)
    except ContentError as exc:
        outcome = Outcome(1, [d.to_json() for d in exc.diagnostics], None, time.perf_counter() - started)
    except Exception as exc:  # a fault in huikan: said on the page, the server goes on
        outcome = Outcome(3, [_fault(f"{type(exc).__name__}: {exc}")], None, time.perf_counter() - started)
    connection.send(outcome)
    connection.close()
