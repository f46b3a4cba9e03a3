"""The pages' own scripts as a phone downloads them: minified by rjsmin on the way out.

The files under static/js stay as written, comments and all (no build step); what travels is
the same code without them, about a third fewer bytes after gzip on a phone's first visit.
Vendored files are already minified and go as they are.
"""
from __future__ import annotations

import functools
import io
from pathlib import Path
from typing import Any

import rjsmin
from flask import Flask, send_file
from werkzeug.exceptions import NotFound
from werkzeug.security import safe_join


def init_app(app: Flask) -> None:
    """Serve static/js/**.js minified; everything else under /static as Flask does."""
    plain = app.view_functions["static"]
    folder = Path(app.static_folder or "")

    def static(filename: str) -> Any:
        if not (filename.startswith("js/") and filename.endswith(".js")):
            return plain(filename=filename)
        path = safe_join(str(folder), filename)
        if path is None or not Path(path).is_file():
            raise NotFound()
        stat = Path(path).stat()
        body = _minified(path, stat.st_mtime_ns)
        return send_file(io.BytesIO(body), mimetype="text/javascript", conditional=True,
                         etag=f"{stat.st_mtime_ns:x}-{len(body):x}", last_modified=stat.st_mtime,
                         max_age=app.get_send_file_max_age(filename))

    app.view_functions["static"] = static


@functools.lru_cache(maxsize=64)
def _minified(path: str, _mtime_ns: int) -> bytes:
    # keyed by the file's time too: an edited script is minified again, never served stale
    return rjsmin.jsmin(Path(path).read_text(encoding="utf-8")).encode("utf-8")
