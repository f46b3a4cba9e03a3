"""From plain data to paper: a Jinja template to HTML, then WeasyPrint (`pdf.py`) to an A4 PDF,
offline only.

Documents print in Chinese whatever the reader's page language. The fingerprint is a hash of
exactly the data the template receives, printed beside the QR code and shown on the online
record, so a reader can tell whether a posted copy is current.
"""
from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy.orm import Session as Db

from council import qr
from council.documents import pdf
from council.documents.pdf import write_pdf
from council.links import record_url

LOCALE = "zh_CN"
# Not meeting state: a limit on how many render processes run at once (a patched, cooperative
# semaphore under gevent).
_RENDERS = threading.BoundedSemaphore(2)


def fingerprint(data: dict[str, Any]) -> str:
    """Twelve hex digits of a hash of the document's content, in three groups."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:12]
    return f"{digest[:4]}-{digest[4:8]}-{digest[8:]}"


@contextmanager
def chinese() -> Iterator[None]:
    """Words built or rendered inside are Chinese, whatever the requester's language."""
    with force_locale(LOCALE):
        yield


def data(db: Db, build: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """A document's data, built in Chinese."""
    with chinese():
        return build(db, *args)


def gather(db: Db, build: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """A document's data, then the transaction ended: nothing stays locked while it renders.

    A GET commits nothing; on SQLite every transaction holds the write lock from its start.
    """
    try:
        return data(db, build, *args)
    finally:
        db.rollback()


def link(path: str) -> dict[str, str]:
    """A public path as a document prints it: the full address and its QR code. The data keeps
    only the path, so the fingerprint does not depend on the address the laptop is reached at."""
    url = record_url(path)
    return {"url": url, "svg": qr.svg(url)}


def html(template: str, content: dict[str, Any], record_path: str) -> str:
    """The document's HTML; it prints only `content`, its fingerprint and where its record is
    (and the QR codes of the paths `content` names, through `link`)."""
    url = record_url(record_path)
    with chinese():
        return render_template(template, **content, fp=fingerprint(content), record_url=url, qr_svg=qr.svg(url),
                               link=link, font=current_app.config["COUNCIL"]["pdf_font"])


def personal_html(template: str, content: dict[str, Any]) -> str:
    """A document about one person: its fingerprint, and no QR code to a public record (there is none)."""
    with chinese():
        return render_template(template, **content, fp=fingerprint(content),
                               font=current_app.config["COUNCIL"]["pdf_font"])


def html_to_pdf(page: str) -> bytes:
    """The PDF of a page; under gevent it is rendered in a child process, so a render never
    stalls the live session (neither its event loop nor, by garbage collection, its interpreter)."""
    try:
        from gevent import monkey
    except ImportError:
        return write_pdf(page)
    if not monkey.is_module_patched("subprocess"):
        return write_pdf(page)
    with _RENDERS:  # a render child takes a core and ~240 MB: a few at a time, the rest wait their turn
        return _in_child(page)


def _in_child(page: str) -> bytes:
    """Render in `python -P pdf.py`; gevent's patched pipes let other greenlets run meanwhile."""
    import subprocess
    import sys
    child = subprocess.Popen([sys.executable, "-P", pdf.__file__], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    out, err = child.communicate(page.encode("utf-8"), timeout=300)
    if child.returncode != 0:
        raise RuntimeError(f"rendering the PDF failed: {err.decode(errors='replace')[-800:]}")
    return out
