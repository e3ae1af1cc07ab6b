"""``python3 dev run``: the whole service on localhost until Ctrl-C."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from pathlib import Path

from devstack.stack import LocalStack
from devstack.template import ROOT


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="dev run", description=__doc__)
    parser.add_argument("--port", type=int, default=8000, help="API port on 127.0.0.1 (default 8000, 0 = any free)")
    parser.add_argument("--moto-port", type=int, default=0, help="port of the emulated AWS endpoint (default: free)")
    parser.add_argument("--quiet", action="store_true", help="no request log")
    parser.add_argument(
        "--empty", action="store_true", help="start without the demo cases (state is in memory: a restart resets it)"
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
        threading.Thread(target=_seed, args=(stack.api_url,), name="demo", daemon=True).start()
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    with contextlib.suppress(KeyboardInterrupt):
        stopped.wait()
    print("Stopping...", flush=True)
    stack.stop()
    return 0


def _seed(api_url: str) -> None:
    from devstack.demo import seed_demo

    try:
        print(f"Demo data: {seed_demo(api_url)} cases filed (one in each state).", flush=True)
    except Exception as error:  # the system still runs; say why the demo is missing
        print(f"Demo data could not be filed: {error}", flush=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
