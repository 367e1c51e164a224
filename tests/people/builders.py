"""A picture server for the tests of `fetch_avatars`: a real HTTP server on 127.0.0.1 in a
thread, answering each path as a test tells it to."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    # A server that accepts the request and then says nothing until the test ends.
    hold: bool = False
    # A body that never ends: `body` sent again and again, a pause between (`drip`) or not.
    endless: bool = False
    drip: float = 0.0
    # Headers that never end: one more header line after each pause of this many seconds.
    header_drip: float = 0.0


class PictureServer:
    """Answers the paths given to `serve()`, 404 for the others; `close()` releases held
    answers and stops it. Records the paths asked for in `requests`."""

    def __init__(self):
        self.answers: dict[str, Answer] = {}
        self.requests: list[str] = []
        self.released = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.answer(self)

            def log_message(self, format, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def serve(
        self, path: str, body: bytes = b"", content_type: str = "image/png", **kwargs
    ) -> str:
        """Answer `path` with `body` (kwargs as for Answer); returns its URL."""
        headers = {"Content-Type": content_type} if content_type else {}
        headers.update(kwargs.pop("headers", {}))
        if not kwargs.get("endless"):
            headers.setdefault("Content-Length", str(len(body)))
        self.answers[path] = Answer(body=body, headers=headers, **kwargs)
        return self.url(path)

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        self.answers[path] = Answer(status=status, headers={"Location": location})
        return self.url(path)

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        self.requests.append(handler.path)
        answer = self.answers.get(handler.path) or Answer(
            404, b"<h1>Not found</h1>", {"Content-Type": "text/html"}
        )
        if answer.hold:
            self.released.wait(30)
            return
        try:
            if answer.header_drip:
                handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
                while not self.released.wait(answer.header_drip):
                    handler.wfile.write(b"X-Still-Coming: yes\r\n")
                    handler.wfile.flush()
                return
            handler.send_response(answer.status)
            for name, value in answer.headers.items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(answer.body)
            while answer.endless and not self.released.wait(answer.drip):
                handler.wfile.write(answer.body)
                handler.wfile.flush()
        except OSError:
            pass  # the client stopped reading, as it should

    def close(self) -> None:
        self.released.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()
