"""The preview over HTTP: the page, its state and events, and the build's own files, nothing else.

    /                      the preview page (the print edition's spreads, the web edition, the findings)
    /_preview/<file>       its script and style, from the theme's preview/ folder
    /_preview/state.json   what the page shows; /_preview/events says when it changed (server-sent events)
    /site/…                the web edition            → <out>/.preview/site/
    /pages/…               the pages' thumbnails      → <out>/.preview/pages/
    /print/…               the PDF and the Word file  → <out>/<issue id>/

A path that leaves its folder (`..`, `%2e%2e`, a symlink to elsewhere) or is not a file is a 404.
"""

from __future__ import annotations

import errno
import http.server
import json
import mimetypes
import socketserver
from pathlib import Path
from urllib.parse import unquote, urlsplit

from huikan.preview.session import Session
from huikan.theme import default_theme_dir

KEEP_ALIVE = 15  # seconds between the event stream's comments, which keep proxies from closing it
PORTS_TRIED = 20  # a busy port: the next ones are tried


def inside(root: Path, url_path: str) -> Path | None:
    """The file URL_PATH names under ROOT, or None if it is not a file there (or leads out of it)."""
    text = unquote(url_path)
    if "\\" in text or "\0" in text:
        return None
    parts = [part for part in text.split("/") if part]
    if any(part in (".", "..") for part in parts):
        return None
    base = root.resolve()
    path = base.joinpath(*parts).resolve()  # symlinks followed: one that leads out is refused below
    return path if path.is_relative_to(base) and path.is_file() else None


class Handler(http.server.BaseHTTPRequestHandler):
    session: Session
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # the terminal shows rebuilds, not requests
        pass

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == "/":
            return self._file(default_theme_dir() / "preview" / "index.html")
        if path == "/_preview/state.json":
            return self._send(200, "application/json", json.dumps(self.session.snapshot(),
                                                                  ensure_ascii=False).encode())
        if path == "/_preview/events":
            return self._events()
        for prefix, root in self._roots().items():
            if path.startswith(prefix):
                found = inside(root, path[len(prefix):]) if root is not None else None
                if found is None and prefix == "/pages/" and path.endswith(".png"):
                    found = self.session.thumbnails.get(path[len(prefix):-len(".png")])  # drawn when asked for
                return self._file(found) if found is not None else self._not_found()
        return self._not_found()

    def _roots(self) -> dict[str, Path | None]:
        session = self.session
        return {"/_preview/": default_theme_dir() / "preview", "/site/": session.site, "/pages/": session.pages,
                "/print/": session.out / session.issue_id if session.issue_id else None}

    def _file(self, path: Path) -> None:
        try:
            data = path.read_bytes()
        except OSError:
            return self._not_found()
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
            kind += "; charset=utf-8"
        self._send(200, kind, data)

    def _not_found(self) -> None:
        self._send(404, "text/plain; charset=utf-8", b"not found\n")

    def _send(self, status: int, kind: str, data: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")  # every look is the newest
        self.end_headers()
        self.wfile.write(data)

    def _events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = -1
        try:
            while not self.session.stopping.is_set():
                version = self.session.wait_for_change(seen, KEEP_ALIVE)
                message = f"data: {version}\n\n" if version != seen else ": still here\n\n"
                self.wfile.write(message.encode())
                self.wfile.flush()
                seen = version
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page was closed
        self.close_connection = True


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True  # an open event stream does not keep the preview from stopping
    allow_reuse_address = False  # a port another preview holds is busy, not shared


def serve(session: Session, host: str, port: int) -> Server:
    """A server for SESSION on HOST at PORT, or the next free port after it."""
    handler = type("BoundHandler", (Handler,), {"session": session})
    for candidate in range(port, port + PORTS_TRIED):
        try:
            return Server((host, candidate), handler)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE or port == 0:
                raise
    raise OSError(errno.EADDRINUSE, f"ports {port}–{port + PORTS_TRIED - 1} are all in use")
