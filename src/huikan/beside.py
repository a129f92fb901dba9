"""Work done in a forked process beside the build's own, on a second core: its result (or the exception it
raised) comes back through a pipe, and before it any news the work tells of its progress. Where fork is
not available, or on one core, the work is done here when its news or its result is asked for.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import threading
import traceback
from collections.abc import Callable
from multiprocessing.reduction import ForkingPickler
from typing import Generic, TypeVar

T = TypeVar("T")
NEWS, RESULT = "news", "result"


class ChildFailed(RuntimeError):
    """The forked work died, or raised an exception that could not be sent back."""


class Beside(Generic[T]):
    """WORK started now in a forked process; `result()` waits for it.

    With NEWS, WORK is called with a function `tell` and may tell what it has made so far before it
    returns; NEWS is called here with each, in order, as `listen()` and `result()` read them.
    With GIVEN, WORK is called (after `tell`) with a function `receive` that waits for what is given to it
    here by `give()`: the work can start on what needs nothing of this process's (loading tables) while
    this process makes what the rest needs.
    """

    def __init__(self, work: Callable[..., T], news: Callable[[object], None] | None = None, given: bool = False):
        self.work, self.news = work, news
        self.process = None
        self.over = False  # the result (or the exception) is in
        self.outcome: object = None
        self.gift: list[object] = []  # what was given, for work done here
        self.giver = None  # the pipe's end that gives to the forked work
        self.giving: threading.Thread | None = None  # sends what was given
        if (os.cpu_count() or 1) >= 2 and "fork" in mp.get_all_start_methods():
            context = mp.get_context("fork")
            self.receiver, sender = context.Pipe(duplex=False)
            inbox = None
            if given:
                inbox, self.giver = context.Pipe(duplex=False)
            self.process = context.Process(target=_child, args=(sender, work, news is not None, inbox, self.giver))
            self.process.start()
            sender.close()
            if inbox is not None:
                inbox.close()
        self.given = given

    def give(self, value: object) -> None:
        """Hand VALUE to the work, which waits for it in `receive()`. It is sent by a thread of this process:
        VALUE may be more than the pipe holds, and this process goes on while the work is still busy with
        what comes before (loading jieba's tables, one C call that leaves no room for a thread of its own to
        read the pipe)."""
        if self.giver is None:
            self.gift.append(value)
            return
        giver, self.giver = self.giver, None
        data = ForkingPickler.dumps(value)  # (here: VALUE may change once this returns)

        def send() -> None:
            try:
                giver.send_bytes(data)
            except OSError:  # the work is gone: its end is reported by `result()`
                pass
            finally:  # (a process forked after this must not hold the pipe open: the work would wait for ever)
                giver.close()

        self.giving = threading.Thread(target=send, daemon=True)
        self.giving.start()

    @property
    def forked(self) -> bool:
        """Whether the work runs in another process (else here, when its result is asked for)."""
        return self.process is not None

    def listen(self, enough: Callable[[], bool]) -> None:
        """Take in the news until ENOUGH() holds or the work is over (here: do all the work now)."""
        if self.process is None:
            if not self.over:
                self.over = True
                arguments: list = [self.news] if self.news else []
                if self.given:
                    arguments.append(self.gift.pop)
                try:
                    self.outcome = self.work(*arguments)
                except BaseException as exc:
                    self.outcome = exc
                    raise
            return
        while not self.over and not enough():
            self._read()

    def result(self) -> T:
        self.listen(lambda: False)
        if isinstance(self.outcome, BaseException):
            raise self.outcome
        return self.outcome  # type: ignore[return-value]

    def _read(self) -> None:
        assert self.process is not None
        try:
            kind, payload = self.receiver.recv()
        except EOFError:  # it died without a word: killed, or out of memory
            self._end()
            raise ChildFailed(f"the process ended with status {self.process.exitcode}") from None
        except BaseException:  # stopped while waiting (Ctrl-C, SIGTERM): its work is not wanted
            self.cancel()
            raise
        if kind == NEWS:
            assert self.news is not None
            self.news(payload)
            return
        self.outcome = payload
        self._end()

    def _end(self) -> None:
        assert self.process is not None
        self.over = True
        self.process.join()  # (its exit status is known once it has been joined)
        self.receiver.close()

    def cancel(self) -> None:
        if self.giver is not None:
            self.giver.close()
            self.giver = None
        if self.process is not None and self.process.is_alive():
            self.process.terminate()
            self.process.join()
        if self.giving is not None:  # (its pipe broken with the work ended)
            self.giving.join()


def _child(sender, work: Callable[..., object], telling: bool, inbox, giver) -> None:
    # The parent's objects are the child's too, shared until written: a collection that walked them all
    # would copy every page of them. Only what the work makes is collected.
    gc.freeze()
    arguments: list = [lambda news: sender.send((NEWS, news))] if telling else []
    if inbox is not None:
        giver.close()  # (else, the parent gone, `receive` would wait for ever instead of ending)
        arguments.append(inbox.recv)
    try:
        outcome = work(*arguments)
        sender.send((RESULT, outcome))
    except (SystemExit, KeyboardInterrupt):
        # Stopped (cancel: SIGTERM, where a handler inherited from the preview's build unwinds), perhaps
        # while it waited to send on a full pipe: its work is not wanted, and no one may read it any more.
        raise
    except BaseException as exc:  # all of it goes back to the build, which reports it as its own
        if os.environ.get("HUIKAN_DEBUG"):
            traceback.print_exc()
        try:
            sender.send((RESULT, exc))
        except Exception:  # an exception that does not pickle
            sender.send((RESULT, ChildFailed(f"{type(exc).__name__}: {exc}")))
    finally:
        sender.close()
