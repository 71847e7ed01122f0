"""A small, valid certificate PDF built by hand (no PDF library needed).

One A4 page in Helvetica with the order's title, id, asset and confidence; a correct xref
table so that any viewer opens it. Text is reduced to printable Latin-1 and escaped, so even a
hostile title gives a well-formed file.
"""

from __future__ import annotations

_MAX_LINE = 90


def _pdf_text(value: str) -> bytes:
    """A PDF literal string body: printable Latin-1, with ``\\ ( )`` escaped, length capped."""
    printable = "".join(ch if " " <= ch <= "~" or "\xa0" <= ch <= "\xff" else "?" for ch in value)
    if len(printable) > _MAX_LINE:
        printable = printable[: _MAX_LINE - 3] + "..."
    raw = printable.encode("latin-1", "replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def certificate_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF: a heading, the order ``title`` and a few ``lines`` of detail."""
    content = bytearray(b"BT\n/F1 22 Tf\n72 760 Td\n(Certificate of Human Authorship) Tj\n")
    content += b"/F1 16 Tf\n0 -40 Td\n(" + _pdf_text(title) + b") Tj\n/F1 11 Tf\n"
    for line in lines:
        content += b"0 -20 Td\n(" + _pdf_text(line) + b") Tj\n"
    content += b"0 -40 Td\n(Issued by the Artistree demo API. Not a real certificate.) Tj\nET\n"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + bytes(content) + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Title (" + _pdf_text(title) + b") /Producer (artistree-tui demo) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)
