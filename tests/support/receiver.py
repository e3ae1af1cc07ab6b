"""A webhook receiver on this machine: what a municipality's case-management or archive system would run.

It records every POST (path, headers, raw body, the status it answered) and answers 204, or 503 to the first
``fail_first[path]`` requests at a path (a receiver that is down for a while).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    answered: int


@dataclass
class Receiver:
    url: str = ""
    fail_first: dict[str, int] = field(default_factory=dict)
    requests: list[Received] = field(default_factory=list)

    def clear(self) -> None:
        """Forget what was received and answer every request again (a receiver shared by a module's tests)."""
        self.fail_first.clear()
        self.requests.clear()

    def at(self, path: str) -> list[Received]:
        return [r for r in self.requests if r.path == path]


@contextmanager
def receiving() -> Iterator[Receiver]:
    state = Receiver()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with lock:
                status = 503 if len(state.at(self.path)) < state.fail_first.get(self.path, 0) else 204
                headers = {k.lower(): v for k, v in self.headers.items()}
                state.requests.append(Received(self.path, headers, body, status))
            self.send_response(status)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, name="receiver", daemon=True).start()
    try:
        yield state
    finally:
        server.shutdown()
