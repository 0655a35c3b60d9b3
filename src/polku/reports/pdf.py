"""HTML to PDF with WeasyPrint, reading nothing but Polku's own static files.

Imported only when a PDF is made: WeasyPrint and its fonts take a moment to load, which no other
request should pay for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import weasyprint

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"


class LocalFilesOnly(weasyprint.URLFetcher):
    """Lets WeasyPrint read Polku's own static files (fonts, a stylesheet) and nothing else:
    nothing from the network, so a document's text can never make the server fetch a URL someone
    wrote into it, and no other file of the server, which WeasyPrint would otherwise embed in
    the PDF (an <img>, or a <link rel="attachment">) were markup ever to slip through."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"file"}, allow_redirects=False)

    def fetch(self, url: str, headers: Any = None) -> Any:
        parsed = urlsplit(url)
        if parsed.scheme.lower() == "file":
            path = Path(url2pathname(parsed.path)).resolve()
            if not path.is_relative_to(STATIC_DIR.resolve()):
                raise ValueError(f"URI outside Polku's static files: {url}")
        return super().fetch(url, headers)


def render_pdf(html: str) -> bytes:
    document = weasyprint.HTML(
        string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=LocalFilesOnly()
    )
    pdf: bytes = document.write_pdf()
    return pdf
