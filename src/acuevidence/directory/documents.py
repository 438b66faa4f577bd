"""Licence documents: accepted only when their first bytes say PDF, JPEG or PNG.

The file name and the browser's content type are claims; the signature ("magic
number") at the start of the file is what the file is. Signatures: PDF ``%PDF-``
(ISO 32000-1, 7.5.2), JPEG SOI marker ``FF D8 FF`` (ITU T.81, B.1.1.2), PNG's
eight-byte signature (ISO/IEC 15948, 5.2).
"""

from __future__ import annotations

from typing import BinaryIO

SIGNATURES = {
    b"%PDF-": ("pdf", "application/pdf"),
    b"\xff\xd8\xff": ("jpg", "image/jpeg"),
    b"\x89PNG\r\n\x1a\n": ("png", "image/png"),
}


class DocumentRejected(ValueError):
    """The upload is not an accepted document; the message is for the practitioner."""


def document_type(file: BinaryIO, *, max_bytes: int) -> tuple[str, str]:
    """(extension, content type) of an accepted document; raise :class:`DocumentRejected`."""
    size = file.seek(0, 2)
    file.seek(0)
    if size == 0:
        raise DocumentRejected("The file is empty.")
    if size > max_bytes:
        raise DocumentRejected(
            f"The file is {size / 1_048_576:.1f} MB; the limit is {max_bytes / 1_048_576:.0f} MB."
        )
    head = file.read(8)
    file.seek(0)
    for signature, kind in SIGNATURES.items():
        if head.startswith(signature):
            return kind
    raise DocumentRejected("Upload a PDF, JPEG or PNG file (the file's content is none of these).")
