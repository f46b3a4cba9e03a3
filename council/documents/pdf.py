"""HTML to an A4 PDF with WeasyPrint, fetching nothing.

Imports nothing of the application, so the live server can run it as a child process:
`python -P pdf.py < page.html > page.pdf`. A render allocates millions of objects, and the
garbage collector's pauses (150–200 ms measured) would stop every greenlet of the live server
if the render shared its interpreter; in a child they stop nobody.
"""
from __future__ import annotations

import sys
from typing import Any


def refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """Documents load nothing: no file, no network; everything is in the HTML."""
    raise ValueError(f"documents may not load {url[:80]!r}")


def _offline_fetcher() -> Any:
    """A WeasyPrint fetcher that refuses every URL."""
    from weasyprint.urls import URLFetcher

    class OfflineFetcher(URLFetcher):
        # WeasyPrint asks its fetcher object for every URL: refusing is skipping, not failing.
        def fetch(self, url: str, headers: Any = None) -> Any:
            return refuse_fetch(url)

    return OfflineFetcher(allowed_protocols=())


def write_pdf(page: str) -> bytes:
    """HTML to PDF bytes, fetching nothing."""
    from weasyprint import (
        HTML,  # imported late: the live server starts without loading Pango
    )
    return HTML(string=page, url_fetcher=_offline_fetcher(), base_url=None).write_pdf()


def main() -> None:
    """As a child process: HTML (UTF-8) on standard input, the PDF on standard output."""
    sys.stdout.buffer.write(write_pdf(sys.stdin.buffer.read().decode("utf-8")))


if __name__ == "__main__":
    main()
