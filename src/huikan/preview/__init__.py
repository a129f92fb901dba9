"""huikan preview: the editor's working loop, outside the build.

    session.py   the state of one preview: rebuilds on change, the web edition first, then the print
                 edition in a process of its own; what the page shows (state.json) and when it changed
    web.py       the web edition in this process, fast: only the edited articles enriched again
    printed.py   the full build (PDF, DOCX, HTML) in a spawned process that a newer edit can stop
    spreads.py   the PDF's pages as thumbnails (pypdfium2), only for pages that changed, drawn when the
                 page asks for them; in facing pairs
    watch.py     the issue folder and its theme watched (watchfiles); a burst of saves is one change
    server.py    HTTP on 127.0.0.1: the preview page, its events, and only the build's own files
"""

from __future__ import annotations

import signal
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path

LOCAL = "127.0.0.1"


def run(folder: Path, out: Path, host: str = LOCAL, port: int = 8000, open_browser: bool = False,
        log: Callable[[str], None] = print) -> None:
    """Preview FOLDER, built into OUT, until Ctrl-C."""
    from huikan.build import check_build_folder
    from huikan.config import load_config
    from huikan.preview.server import serve
    from huikan.preview.session import Session
    from huikan.preview.watch import watch
    from huikan.theme import default_theme_dir, theme_dirs

    folder, out = Path(folder), Path(out)
    check_build_folder(out / load_config(folder).id, folder)  # the build's own rules for its folder
    session = Session(folder, out, log)
    server = serve(session, host, port)
    url = f"http://{host}:{server.server_address[1]}/"
    builder = threading.Thread(target=session.run, name="huikan-builder", daemon=True)
    stop_watching = threading.Event()
    # The issue folder, and a theme of its own outside it; not huikan's default theme, nor the build folder.
    watched = [folder, *(t for t in theme_dirs(folder) if t != default_theme_dir() and not t.is_relative_to(folder))]
    watcher = threading.Thread(target=watch, args=(watched, session.changed, stop_watching, [out]),
                               name="huikan-watcher", daemon=True)
    serving = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    # Ctrl-C, and SIGTERM from a service manager, stop the preview even where SIGINT was ignored when it
    # started (a job started in the background by a shell).
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, signal.default_int_handler)
    builder.start()
    watcher.start()
    serving.start()
    log(f"preview of {folder} at {url} (Ctrl-C stops it)")
    if open_browser:
        webbrowser.open(url)
    try:
        while builder.is_alive():
            builder.join(0.5)
    except KeyboardInterrupt:
        log("stopping")
    finally:
        stop_watching.set()
        session.stop()
        server.shutdown()
        server.server_close()
        builder.join(30)  # it stops a running full build and cleans up after it
        watcher.join(5)
