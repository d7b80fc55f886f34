"""A real HTTP server on 127.0.0.1 that plays partner portals in tests.

Tests register routes (path → :class:`Answer` or a function of the query) and may swap them
between runs to simulate a partner that changes, breaks or recovers.
"""

from __future__ import annotations

import dataclasses
import http.server
import threading
import time
from collections.abc import Callable
from urllib.parse import parse_qs, urlparse


@dataclasses.dataclass
class Answer:
    body: bytes = b""
    content_type: str = "application/xml"
    status: int = 200
    delay: float = 0.0
    # send the body in this many pieces, pausing ``delay`` before each (a slow partner)
    drip: int = 1
    headers: dict = dataclasses.field(default_factory=dict)
    # announce this Content-Length instead of the body's (a body cut short: IncompleteRead)
    declared_length: int | None = None


Route = Answer | Callable[[dict], Answer]


class PartnerServer:
    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.requests: list[str] = []
        self.host_headers: list[str] = []
        self.cookie_headers: list[str] = []
        self.user_agents: list[str] = []
        # (path, body bytes written before the client went away or the body ended)
        self.sent: list[tuple[str, int]] = []
        handler = _handler_for(self)
        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def start(self) -> PartnerServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def reset(self) -> None:
        self.routes.clear()
        self.requests.clear()
        self.host_headers.clear()
        self.cookie_headers.clear()
        self.user_agents.clear()
        self.sent.clear()


def _handler_for(server: PartnerServer):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server naming
            parsed = urlparse(self.path)
            server.requests.append(self.path)
            server.host_headers.append(self.headers.get("Host", ""))
            server.cookie_headers.append(self.headers.get("Cookie", ""))
            server.user_agents.append(self.headers.get("User-Agent", ""))
            route = server.routes.get(parsed.path)
            if route is None:
                self.send_error(404)
                return
            query = {key: values[0] for key, values in parse_qs(parsed.query).items()}
            answer = route(query) if callable(route) else route
            written = 0
            try:
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                length = answer.declared_length or len(answer.body)
                self.send_header("Content-Length", str(length))
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                pieces = max(answer.drip, 1)
                size = -(-len(answer.body) // pieces) or 1
                for start in range(0, max(len(answer.body), 1), size):
                    if answer.delay:
                        time.sleep(answer.delay)
                    self.wfile.write(answer.body[start : start + size])
                    self.wfile.flush()
                    written += len(answer.body[start : start + size])
            except (BrokenPipeError, ConnectionResetError):
                pass
            server.sent.append((parsed.path, written))

        def log_message(self, *args):
            pass

    return Handler
