"""Input: read a path, standard input or a string, tell HTML from text, and extract HTML.

What comes out is a :class:`Source`: the text to analyse, held once, and the metadata the
HTML gave. Everything about bytes, encodings and markup stays in this module.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from unspun.errors import InputError

#: Inputs above this many bytes are refused: a news page is well under 1 MB, and a larger
#: input is almost always a mistake (a dump, a binary) that would only make a useless report.
MAX_INPUT_BYTES = 5_000_000

# Markup that only an HTML document starts with, or carries near its start.
_HTML_START = re.compile(rb"^\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<\?xml[^>]*>\s*<html)", re.I)
_HTML_TAGS = re.compile(rb"<(?:html|head|body|div|p|article|meta|script|title)[\s>/]", re.I)


@dataclass(slots=True)
class Source:
    text: str
    name: str = "<text>"
    format: str = "text"  # "text" or "html"
    html_metadata: dict[str, str | None] = field(default_factory=dict)


def looks_like_html(data: bytes) -> bool:
    """HTML is recognised by its content: a doctype or root tag, or many block tags."""
    head = data[:4096]
    if _HTML_START.match(head):
        return True
    return len(_HTML_TAGS.findall(data[:65536])) >= 3


def _decode(data: bytes, name: str) -> str:
    if b"\x00" in data[:8192]:
        raise InputError(name, "binary data (NUL bytes), not text or HTML")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older pages are often cp1252; charset_normalizer (a trafilatura dependency) guesses.
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise InputError(name, "cannot be decoded as text in any known encoding") from None
        text = str(best)
    sample = text[:8192]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f")
    if sample and controls / len(sample) > 0.01:
        raise InputError(name, "binary data (control characters), not text or HTML")
    return text


def from_bytes(data: bytes, name: str = "<bytes>") -> Source:
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(name, f"input is {len(data):,} bytes, over the limit of {MAX_INPUT_BYTES:,}")
    if looks_like_html(data):
        return _from_html(data, name)
    text = _decode(data, name).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(name, "empty: no text to analyse")
    return Source(text, name, "text")


def from_string(text_or_html: str, name: str = "<text>") -> Source:
    if not isinstance(text_or_html, str):
        raise InputError(name, f"expected a str of text or HTML, got {type(text_or_html).__name__}")
    data = text_or_html.encode("utf-8", "surrogatepass")
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(name, f"input is {len(data):,} bytes, over the limit of {MAX_INPUT_BYTES:,}")
    if looks_like_html(data):
        return _from_html(text_or_html, name)
    if "\x00" in text_or_html:
        raise InputError(name, "binary data (NUL characters), not text or HTML")
    text = text_or_html.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(name, "empty: no text to analyse")
    return Source(text, name, "text")


def read_path(path: str | Path) -> Source:
    """Read a file, or standard input for ``-``."""
    if str(path) == "-":
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        return from_bytes(data, "<stdin>")
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise InputError(name, "no such file")
    if p.is_dir():
        raise InputError(name, "is a directory, not a file")
    try:
        size = p.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise InputError(name, f"file is {size:,} bytes, over the limit of {MAX_INPUT_BYTES:,}")
        data = p.read_bytes()
    except PermissionError:
        raise InputError(name, "permission denied") from None
    except OSError as e:
        raise InputError(name, f"cannot be read ({e.strerror or e})") from None
    return from_bytes(data, name)


def _from_html(html: bytes | str, name: str) -> Source:
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=True
        )
    except Exception as e:  # trafilatura raises a variety of parser errors
        raise InputError(name, f"HTML could not be parsed ({type(e).__name__}: {e})") from None
    text = (doc.text if doc is not None else "") or ""
    if not text.strip():
        raise InputError(name, "empty: no article text found in the HTML")
    meta = {"title": doc.title, "author": doc.author, "date": doc.date}
    return Source(text, name, "html", {k: v for k, v in meta.items() if v})
