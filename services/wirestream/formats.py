"""What an input value is (plain text, a JSON envelope, an HTML page) and how an HTML page's
bytes become text.

Pure: bytes and the producer's `content-type` header in, a verdict or a string out. A
UTF-8 byte-order mark, whitespace, HTML comments (`<!-- saved from url=... -->`) and an XML
declaration in front of a document do not hide what it is.

HTML is decoded as a browser would, with one deliberate difference: a byte-order mark wins,
then the header's `charset`, then UTF-8 when the bytes are valid UTF-8, then the page's own
`<meta charset>`, then detection. A browser trusts the meta tag over valid UTF-8, but pages
reach Kafka through crawlers that re-encode them to UTF-8 and keep the old meta tag (3 of the
439 pages of the development corpora declare ISO-8859-1, ISO-8859-15 or GB2312 and are UTF-8),
while text in another encoding with any byte over 0x7F is almost never valid UTF-8 by chance.
Plain text and JSON are UTF-8 only, and are not decoded here.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence
from dataclasses import dataclass

BOM_UTF8 = codecs.BOM_UTF8
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))

JSON_TYPES = frozenset({"application/json", "text/json"})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})

# Labels that browsers read as another, wider encoding (WHATWG Encoding Standard): pages labelled
# ISO-8859-1 are written in windows-1252, GB2312 pages in GB18030, and so on.
_BROWSER_ENCODINGS = {
    **dict.fromkeys(
        ("ascii", "us-ascii", "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "cp819"),
        "cp1252",
    ),
    **dict.fromkeys(("iso-8859-9", "iso8859-9", "iso_8859-9", "latin5", "l5"), "cp1254"),
    **dict.fromkeys(("iso-8859-11", "iso8859-11", "tis-620", "tis620"), "cp874"),
    **dict.fromkeys(("gb2312", "gbk", "x-gbk", "gb_2312-80", "chinese", "csgb2312"), "gb18030"),
    **dict.fromkeys(("shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "windows-31j"), "cp932"),
    **dict.fromkeys(("euc-kr", "ks_c_5601-1987", "ksc5601", "windows-949"), "cp949"),
    **dict.fromkeys(("big5", "big5-hkscs", "x-x-big5", "cn-big5"), "big5hkscs"),
    **dict.fromkeys(("utf-16", "utf16", "unicode", "ucs-2"), "utf-16-le"),
}
# Encodings no browser decodes a page in (UTF-7 smuggles markup past filters).
_REFUSED = frozenset({"utf_7", "utf_32", "utf_32_le", "utf_32_be"})

_WHITESPACE = b" \t\r\n\x0c"
_HTML_TAG = re.compile(rb"<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
_META_SCAN_BYTES = 64 * 1024
_SNIFF_BYTES = 64 * 1024
_DETECT_BYTES = 512 * 1024
# What opens a JSON object or array, as opposed to text that begins with a bracket
# (`[UPDATE] Police say ...`, `{Update} ...`): `{"`, `{'`, `{}`, `{key: "`, `[{`, `[[`, `["`, `[]`.
_JSON_OPENING = re.compile(r"""\{\s*(?:["'}]|[A-Za-z_$][\w$]*\s*:\s*["'{\[])|\[\s*[\[{"\]]""")


@dataclass(frozen=True, slots=True)
class ContentType:
    """The producer's `content-type` header: the media type and its charset, both lower case."""

    media_type: str | None = None
    charset: str | None = None

    @property
    def is_json(self) -> bool:
        return self.media_type in JSON_TYPES

    @property
    def is_html(self) -> bool:
        return self.media_type in HTML_TYPES

    @property
    def is_text(self) -> bool:
        return self.media_type in TEXT_TYPES


def content_type(headers: Sequence[tuple[str, bytes]]) -> ContentType:
    """The first `content-type` header (any case), e.g. `text/html; charset=iso-8859-1`."""
    for name, raw in headers:
        if name.lower() == "content-type" and raw:
            media_type, *params = raw.decode("latin-1").split(";")
            charset = None
            for param in params:
                key, _, value = param.partition("=")
                if key.strip().lower() == "charset" and value.strip(" \t\"'"):
                    charset = value.strip(" \t\"'").lower()
            return ContentType(media_type.strip().lower() or None, charset)
    return ContentType()


def strip_bom(value: bytes) -> bytes:
    """The value without a leading UTF-8 byte-order mark."""
    return value[len(BOM_UTF8) :] if value.startswith(BOM_UTF8) else value


def looks_like_html(value: bytes) -> bool:
    """Whether the value starts like an HTML document (`<!doctype html`, `<html`, `<head`,
    `<body`), after any byte-order mark, whitespace, comments and XML declaration."""
    head = value[:_SNIFF_BYTES]
    for bom, encoding in _BOMS[1:]:
        if head.startswith(bom):  # UTF-16: look at it as ASCII-compatible text
            head = head[len(bom) :].decode(encoding, "ignore").encode("utf-8", "ignore")
            break
    head = strip_bom(head)
    position = 0
    while True:
        while position < len(head) and head[position] in _WHITESPACE:
            position += 1
        if head.startswith(b"<!--", position):
            end = head.find(b"-->", position + 4)
        elif head.startswith(b"<?xml", position):
            end = head.find(b"?>", position + 5)
        else:
            return _HTML_TAG.match(head, position) is not None
        if end < 0:
            return False
        position = end + 3 if head[end] == ord("-") else end + 2


def looks_like_json(text: str) -> bool:
    """Whether text opens like a JSON object or array; text that merely starts with a bracket,
    such as `[UPDATE] Police say ...` or `{Update} ...`, does not."""
    return _JSON_OPENING.match(text.lstrip()) is not None


def decode_html(value: bytes, *, charset: str | None = None) -> str:
    """An HTML page's bytes as text: byte-order mark, else the declared `charset`, else UTF-8
    when valid, else the page's `<meta charset>`, else a detected encoding, else windows-1252.
    Bytes the encoding cannot map become U+FFFD, as in a browser; this never raises."""
    for bom, encoding in _BOMS:
        if value.startswith(bom):
            return value[len(bom) :].decode(encoding, "replace")
    declared = _encoding(charset) if charset else None
    if declared:
        return value.decode(declared, "replace")
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        pass
    encoding = _meta_encoding(value) or _detected_encoding(value) or "cp1252"
    return value.decode(encoding, "replace")


def _encoding(label: str, *, in_page: bool = False) -> str | None:
    """The Python codec a browser would use for a charset label; None for an unknown label."""
    label = label.strip().lower()
    label = _BROWSER_ENCODINGS.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name.replace("-", "_") in _REFUSED:
        return None
    if in_page and name.startswith("utf-16"):
        return "utf-8"  # a page cannot declare itself UTF-16 from inside (HTML standard)
    return name


def _meta_encoding(value: bytes) -> str | None:
    match = _META_CHARSET.search(value, 0, _META_SCAN_BYTES)
    return _encoding(match.group(1).decode("ascii"), in_page=True) if match else None


def _detected_encoding(value: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(value[:_DETECT_BYTES]).best()
    return _encoding(best.encoding) if best is not None else None
