"""Work done in a forked process beside the build's own, on a second core: its result (or the exception it
raised) comes back through a pipe. Where fork is not available, or on one core, the work is done here
when its result is asked for.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import traceback
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class ChildFailed(RuntimeError):
    """The forked work died, or raised an exception that could not be sent back."""


class Beside(Generic[T]):
    """WORK started now in a forked process; `result()` waits for it."""

    def __init__(self, work: Callable[[], T]):
        self.work = work
        self.process = None
        if (os.cpu_count() or 1) >= 2 and "fork" in mp.get_all_start_methods():
            context = mp.get_context("fork")
            self.receiver, sender = context.Pipe(duplex=False)
            self.process = context.Process(target=_child, args=(sender, work))
            self.process.start()
            sender.close()

    @property
    def forked(self) -> bool:
        """Whether the work runs in another process (else here, when its result is asked for)."""
        return self.process is not None

    def result(self) -> T:
        if self.process is None:
            return self.work()
        died = False
        try:
            outcome = self.receiver.recv()
        except EOFError:  # it died without a word: killed, or out of memory
            died = True
        except BaseException:  # stopped while waiting (Ctrl-C, SIGTERM): its work is not wanted
            self.cancel()
            raise
        finally:
            self.process.join()
            self.receiver.close()
        if died:  # (its exit status is known once it has been joined)
            raise ChildFailed(f"the process ended with status {self.process.exitcode}")
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    def cancel(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.terminate()
            self.process.join()


def _child(sender, work: Callable[[], object]) -> None:
    try:
        sender.send(work())
    except BaseException as exc:  # all of it goes back to the build, which reports it as its own
        if os.environ.get("HUIKAN_DEBUG"):
            traceback.print_exc()
        try:
            sender.send(exc)
        except Exception:  # an exception that does not pickle
            sender.send(ChildFailed(f"{type(exc).__name__}: {exc}"))
    finally:
        sender.close()
