"""``python3 dev run``: the whole service on localhost until Ctrl-C."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
from pathlib import Path

from devstack.stack import LocalStack
from devstack.template import ROOT


def _return_freed_memory() -> None:
    """Make glibc give freed memory back to the system, as a long-running server needs.

    Every request arrives on a thread of its own, and glibc gives threads arenas of their own (up to eight per
    core) and, once a large block has been freed, serves later large ones (a 10 MB body, its JSON) from those
    arenas instead of mapping them: memory freed there is rarely returned. The stack grew by tens of megabytes
    per thousand requests and never came down (bench/soak.py). Two arenas, and blocks over 128 KiB always
    mapped (the fixed threshold also turns off glibc's raising of it), keep resident memory flat. Elsewhere
    than glibc this does nothing.
    """
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    if os.name != "posix" or name is None:
        return
    try:
        mallopt = ctypes.CDLL(name).mallopt
    except (OSError, AttributeError):
        return
    m_arena_max, m_mmap_threshold = -8, -3
    mallopt(m_arena_max, 2)
    mallopt(m_mmap_threshold, 128 * 1024)


def main(argv: list[str]) -> int:
    _return_freed_memory()
    parser = argparse.ArgumentParser(prog="dev run", description=__doc__)
    parser.add_argument("--port", type=int, default=8000, help="API port on 127.0.0.1 (default 8000, 0 = any free)")
    parser.add_argument("--moto-port", type=int, default=0, help="port of the emulated AWS endpoint (default: free)")
    parser.add_argument("--quiet", action="store_true", help="no request log")
    parser.add_argument(
        "--empty", action="store_true", help="start without the demo cases (state is in memory: a restart resets it)"
    )
    parser.add_argument(
        "--no-year",
        action="store_true",
        help="the demo's cases of today only, not its year of cases filed on a moved clock (a few minutes)",
    )
    parser.add_argument(
        "--schemas",
        type=Path,
        default=ROOT / "schemas",
        help="the form catalogue to serve (default: schemas/); a copy with a form you are writing previews it",
    )
    parser.add_argument(
        "--webhooks",
        type=Path,
        help="webhook subscribers to deliver to instead of webhooks.yaml's (e.g. a receiver on this machine)",
    )
    args = parser.parse_args(argv)
    if args.webhooks and not args.webhooks.is_file():
        parser.error(f"--webhooks {args.webhooks}: no such file")
    if not args.schemas.is_dir():
        parser.error(f"--schemas {args.schemas}: no such folder")

    stack = LocalStack(
        api_port=args.port,
        moto_port=args.moto_port,
        quiet=args.quiet,
        schemas=args.schemas.resolve(),
        webhooks=args.webhooks.resolve() if args.webhooks else None,
    )
    stack.start()
    personas = ", ".join(stack._server.front.personas)
    print(
        f"""
E-form intake is running on this machine (AWS emulated by moto; nothing leaves 127.0.0.1).

  Web            {stack.api_url}/app/       (sign in as a persona; Swedish, English switch)
  Mailbox        {stack.api_url}/app/#/mailbox   every email the system sent
  API            {stack.api_url}            e.g. GET {stack.api_url}/forms
  Sign in        POST {stack.api_url}/dev/token  {{"persona": "anna"}}  -> bearer token
  Personas       {personas}
  AWS endpoint   {stack.moto_url}   (aws --endpoint-url {stack.moto_url} dynamodb list-tables)

State lives in memory for this process: Ctrl-C stops everything, and the next start is fresh.""",
        flush=True,
    )
    if not args.empty:
        if not args.no_year:
            print(
                "The demo is filing a year of cases on a moved clock (a few minutes): wait for 'Demo data' before"
                " you file anything yourself, or it is dated in the past.",
                flush=True,
            )
        threading.Thread(target=_seed, args=(stack.api_url, not args.no_year), name="demo", daemon=True).start()
    stopped = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopped.set())
    with contextlib.suppress(KeyboardInterrupt):
        while not stopped.wait(1):  # a timeout, so the main thread sees a signal at once on every platform
            pass
    print("Stopping...", flush=True)
    _exit_after(STOP_SECONDS)
    stack.stop()
    return 0


#: However a stop goes, the process is gone after this long: a request or a workflow step still running in a
#: thread (moto's executions wait for decisions on threads of their own) must not keep the ports bound.
STOP_SECONDS = 5


def _exit_after(seconds: float) -> None:
    def force() -> None:
        print(f"Stopped after {seconds} s with work still running; exiting.", flush=True)
        os._exit(0)

    timer = threading.Timer(seconds, force)
    timer.daemon = True
    timer.start()


def _seed(api_url: str, with_year: bool) -> None:
    """The demo: a year of every organisation's cases on a moved clock (devstack/demo_year.py), then one case
    in each state today. The scheduled functions wait until it is filed, so the first monthly service
    reports they make show the year."""
    from datetime import date

    from devstack import dev_clock
    from devstack.demo import Client, seed_demo
    from devstack.demo_year import seed_year

    dev_clock.hold_schedules(True)
    try:
        year = seed_year(Client(api_url), date.today()) if with_year else 0
        today = seed_demo(api_url)
        print(f"Demo data: {today} cases filed (one in each state), {year} over the past year.", flush=True)
    except Exception as error:  # the system still runs; say why the demo is missing
        print(f"Demo data could not be filed: {error}", flush=True)
    finally:
        dev_clock.hold_schedules(False)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
