"""The full build (PDF, DOCX, HTML) in a spawned process of its own.

WeasyPrint's layout is most of a build: in its own process it leaves the server answering, its memory
goes back when it ends, and a newer edit can stop it (the build folder is replaced only when a build is
done, so a stopped build leaves the last one whole). "spawn", not "fork": the server has threads.
"""

from __future__ import annotations

import multiprocessing as mp
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from huikan.swap import locked, recover


@dataclass
class Outcome:
    status: int  # 0 built (or up to date), 1 content errors, 2 usage errors, 3 a fault
    diagnostics: list[dict]
    folder: str | None  # the build folder, when built
    seconds: float


class PrintBuild:
    """`huikan build` of FOLDER into OUT, started now."""

    def __init__(self, folder: Path, out: Path):
        context = mp.get_context("spawn")
        self.receiver, sender = context.Pipe(duplex=False)
        # Not a daemon: the build forks a process of its own for enrich.
        self.process = context.Process(target=_child, args=(sender, str(folder), str(out)), name="huikan-print")
        self.process.start()
        sender.close()
        self.out = out

    def wait(self, timeout: float) -> Outcome | None:
        """The outcome, if the build ends within TIMEOUT seconds."""
        if not self.receiver.poll(timeout):
            if self.process.is_alive():
                return None
            return Outcome(3, [_fault(f"the build process ended with status {self.process.exitcode}")], None, 0)
        try:
            outcome = self.receiver.recv()
        except EOFError:
            outcome = Outcome(3, [_fault(f"the build process ended with status {self.process.exitcode}")], None, 0)
        self.process.join()
        self.receiver.close()
        return outcome

    def stop(self, issue_id: str | None) -> None:
        """Stop the build; what it had begun to write beside the build folder is removed."""
        if self.process.is_alive():
            self.process.terminate()  # SIGTERM: the build cleans up (its enrich process, its staging folder)
            self.process.join(10)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.receiver.close()
        if issue_id:
            target = self.out / issue_id
            with locked(target):
                recover(target)


def _fault(message: str) -> dict:
    return {"severity": "error", "path": "huikan", "line": 0, "code": "internal", "message": message}


def _child(sender, folder: str, out: str) -> None:
    from huikan.build import FORMATS, build_issue
    from huikan.config import load_config
    from huikan.diagnostics import ContentError, FaultError, UsageError

    # Stopped by a newer edit: unwind as Ctrl-C would, so that the build's own clean-up runs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
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
    sender.send(outcome)
    sender.close()
