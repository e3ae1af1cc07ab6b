"""moto's Step Functions interpreter, stepped: executions run when the test harness says so, one at a time.

moto runs each execution on background threads and waits with real time: a thread per execution, another per
program, one per task state (to time it out), and a callback task waits on an event with its timeout in real
seconds. A test then had to poll and sleep until the workflow had got somewhere, and a timer of ten minutes
could only be tested by making it a second long. :class:`Stepper` keeps moto's interpreter — our real ASL,
its Choice rules, Retry and Catch, history and task tokens — and changes only *when* it runs:

* an execution is a **fiber**: a thread that runs only while the harness hands it the baton and hands it back
  when it has to wait, so exactly one of the harness and its fibers runs at any moment, in a fixed order;
* the program and each task state run **inline** on the execution's fiber instead of on threads of their own;
* a callback task (``.waitForTaskToken``) **waits on a virtual clock**: it wakes when its token is answered or
  when :meth:`Stepper.advance` has moved the clock past its timeout (``TimeoutSecondsPath``), never in real
  time; a ``Wait`` state likewise;
* a ``Retry`` interval is **recorded, not slept** (:attr:`Stepper.retry_waits`): the retry happens on the next
  step, so an outage of half an hour is a test of a second; :meth:`Stepper.hold_retries` holds long ones until
  a test has healed the fault.

:meth:`Stepper.run_due` runs every fiber that can run now until each has finished or waits again; the test
harness calls it from ``World.settle`` together with the stream and queue deliveries. The local stack
(``python3 dev run``) does not install this: there the workflow runs in real time, as a person expects.

``Parallel`` and ``Map`` states (not in our ASL) keep moto's own threads inside a step.
"""

from __future__ import annotations

import functools
import logging
import threading
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_log = logging.getLogger("devstack.stepping")


class FiberKilled(BaseException):
    """Raised inside a waiting fiber when its world is torn down, so its thread ends instead of waiting forever."""


class Fiber:
    """One execution's thread, which runs only between :meth:`resume` and its next :meth:`wait_until`."""

    def __init__(self, target: Callable[[], Any], name: str) -> None:
        self._target = target
        self._go = threading.Semaphore(0)
        self._yielded = threading.Semaphore(0)
        self._killed = False
        self.done = False
        self.ready: Callable[[], bool] = lambda: True  # may run as soon as it is started
        self.thread = threading.Thread(target=self._main, name=name, daemon=True)

    def _main(self) -> None:
        self._go.acquire()
        try:
            if not self._killed:
                self._target()
        except FiberKilled:
            pass
        except Exception:  # moto's interpreter records its own failures; anything else is shown, not lost
            _log.exception("a stepped execution failed outside its program")
        finally:
            self.done = True
            self._yielded.release()

    def resume(self) -> None:
        """Let the fiber run until it waits again or ends (called by the harness, never by a fiber)."""
        self._go.release()
        self._yielded.acquire()

    def wait_until(self, ready: Callable[[], bool]) -> None:
        """Hand the baton back until ``ready()`` holds (called on the fiber's own thread)."""
        self.ready = ready
        self._yielded.release()
        self._go.acquire()
        if self._killed:
            raise FiberKilled

    def kill(self) -> None:
        """End a fiber that waits (or never started): it unwinds and its thread exits."""
        if self.done:
            return
        self._killed = True
        self.resume()


@dataclass
class RetryHold:
    """Retry intervals of at least ``from_seconds`` wait until :meth:`release` (a test heals the fault first)."""

    from_seconds: float
    released: bool = False

    def release(self) -> None:
        self.released = True


@dataclass
class Stepper:
    """The fibers of one emulated AWS world and the virtual clock their timers read."""

    #: Seconds the virtual clock has moved (:meth:`advance`) since the world was last reset.
    elapsed: float = 0.0
    #: Every ``Retry`` interval the interpreter would have slept, in order.
    retry_waits: list[float] = field(default_factory=list)
    #: While True, :meth:`run_due` runs nothing: executions are recorded but not run (benchmarks).
    paused: bool = False
    _fibers: list[Fiber] = field(default_factory=list)
    _by_thread: dict[int, Fiber] = field(default_factory=dict)
    _hold: RetryHold | None = None
    _undo: list[Callable[[], None]] = field(default_factory=list)

    # ------------------------------------------------------------------ what the harness calls
    def run_due(self) -> int:
        """Run every fiber that can run now, in the order they were started, until each ends or waits for
        something that has not happened; returns how many times a fiber ran."""
        if self.paused:
            return 0
        ran = 0
        while ready := [f for f in self._fibers if not f.done and f.ready()]:
            for fiber in ready:
                if not fiber.done and fiber.ready():
                    fiber.resume()
                    ran += 1
            self._fibers = [f for f in self._fibers if not f.done]
        self._by_thread = {ident: f for ident, f in self._by_thread.items() if not f.done}
        return ran

    def advance(self, seconds: float) -> None:
        """Move the virtual clock: a callback whose timeout has passed times out on the next :meth:`run_due`."""
        self.elapsed += seconds

    def hold_retries(self, from_seconds: float) -> RetryHold:
        """From now until the world is reset, retry intervals of ``from_seconds`` or more wait until the
        returned hold is released (the hour in which a test heals the fault it injected)."""
        self._hold = RetryHold(from_seconds)
        return self._hold

    def waiting(self) -> int:
        """How many executions are started and not ended (waiting for a token, a timer or their turn)."""
        return sum(1 for f in self._fibers if not f.done)

    def reset(self) -> None:
        """End every execution's fiber and put the clock and the record of retries back (between tests)."""
        for fiber in self._fibers:
            fiber.kill()
        self._fibers.clear()
        self._by_thread.clear()
        self.elapsed = 0.0
        self.retry_waits.clear()
        self._hold = None

    # ------------------------------------------------------------------ what moto's interpreter calls
    def spawn(self, target: Callable[[], Any], name: str) -> None:
        fiber = Fiber(target, name)
        self._fibers.append(fiber)
        fiber.thread.start()
        self._by_thread[fiber.thread.ident or 0] = fiber

    def current(self) -> Fiber | None:
        return self._by_thread.get(threading.get_ident())

    def block(self, ready: Callable[[], bool]) -> None:
        """Wait, on a fiber, until ``ready()``; on any other thread (not stepped) only check it once."""
        fiber = self.current()
        if fiber is not None and not ready():
            fiber.wait_until(ready)

    def sleep_until(self, seconds: float, interrupted: Callable[[], bool] = lambda: False) -> None:
        """A wait of ``seconds`` on the virtual clock (a ``Wait`` state)."""
        deadline = self.elapsed + seconds
        self.block(lambda: interrupted() or self.elapsed >= deadline)

    def retry_sleep(self, seconds: float) -> None:
        """A ``Retry`` interval: recorded; the fiber lets others run, and goes on at once unless held."""
        self.retry_waits.append(seconds)
        hold = self._hold
        if hold is not None and seconds >= hold.from_seconds:
            self.block(lambda: hold.released)
        elif (fiber := self.current()) is not None:
            fiber.wait_until(lambda: True)  # hand the baton back once: others due now run before the retry

    # ------------------------------------------------------------------ installing into moto
    def install(self) -> None:
        """Patch moto's interpreter (idempotent per stepper; :meth:`uninstall` undoes it)."""
        if self._undo:
            return
        from moto.stepfunctions.parser.asl.component.common.retry import retrier_decl
        from moto.stepfunctions.parser.asl.component.program import program
        from moto.stepfunctions.parser.asl.component.state.exec import execute_state
        from moto.stepfunctions.parser.asl.component.state.wait.wait_function import wait_function
        from moto.stepfunctions.parser.asl.eval.callback import callback
        from moto.stepfunctions.parser.asl.parse import asl_parser
        from moto.stepfunctions.parser.backend import execution_worker

        stepper = self

        class ExecutionFiber:
            """``execution_worker.Thread``: the execution's logic becomes a fiber of this stepper."""

            def __init__(self, target: Callable[[], Any], daemon: bool = True, **_: Any) -> None:
                self._target = target

            def start(self) -> None:
                stepper.spawn(self._target, "stepped-execution")
                del self._target  # moto keeps every thread it starts (TMP_THREADS); the fiber holds the work

            def is_alive(self) -> bool:
                return False  # the stepper owns the fiber's thread

        def callback_wait(endpoint: Any, timeout: float | None = None) -> Any:
            deadline = None if timeout is None else stepper.elapsed + timeout
            event = endpoint._notify_event
            if stepper.current() is None:
                event.wait(timeout=timeout)  # not on a fiber: as moto does
            else:
                stepper.block(lambda: event.is_set() or (deadline is not None and stepper.elapsed >= deadline))
            return endpoint._outcome

        def wait_interval(_: Any, env: Any, wait_seconds: int) -> None:
            stepper.sleep_until(wait_seconds, interrupted=lambda: not env.is_running())

        # Parsing the ASL (ANTLR, tens of milliseconds) once per world, not per execution: the program is not
        # changed by running it (an execution's state lives in its environment), and here one runs at a time.
        parse = functools.lru_cache(maxsize=16)(asl_parser.AmazonStateLanguageParser.parse)
        self._patch(execution_worker, "AmazonStateLanguageParser", types.SimpleNamespace(parse=parse))
        self._patch(execution_worker, "Thread", ExecutionFiber)
        self._patch(execute_state, "Thread", _InlineThread)
        self._patch(program, "threading", types.SimpleNamespace(Thread=_InlineThread))
        self._patch(callback.CallbackEndpoint, "wait", callback_wait)
        self._patch(wait_function.WaitFunction, "_wait_interval", wait_interval)
        self._patch(retrier_decl, "time", types.SimpleNamespace(sleep=self.retry_sleep))

    def uninstall(self) -> None:
        self.reset()
        while self._undo:
            self._undo.pop()()

    def _patch(self, owner: Any, name: str, value: Any) -> None:
        original = getattr(owner, name)
        setattr(owner, name, value)
        self._undo.append(lambda: setattr(owner, name, original))


class _InlineThread:
    """A ``threading.Thread`` that runs its target when started, on the caller's thread: moto starts a thread
    per program and per task state only to time them out, which the virtual clock does instead."""

    def __init__(self, target: Callable[..., Any], args: tuple[Any, ...] = (), daemon: bool = True, **_: Any) -> None:
        self._target, self._args = target, args

    def start(self) -> None:
        target, args = self._target, self._args
        del self._target, self._args  # moto keeps every thread it starts (TMP_THREADS); keep it small
        target(*args)

    def join(self, timeout: float | None = None) -> None:
        return None

    def is_alive(self) -> bool:
        return False
