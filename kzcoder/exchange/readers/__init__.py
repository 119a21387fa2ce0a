"""Document readers: one registry from which the file dialog, the command-line help and the
folder walk take the accepted file types.

Adding a format: write ``readers/<family>.py`` defining ``READER = Reader(name, suffixes, read,
sniff)`` and add the module to ``_FAMILIES`` below (their order is the registration order, which
is also the order of sniffing and of the help texts). Import heavy libraries inside ``read`` so
that starting kzcoder stays quick.
"""

from __future__ import annotations

from kzcoder.exchange.readers import docx, epub, html, odt, pdf, rtf, text
from kzcoder.exchange.readers.registry import (
    DEFAULT_MAX_BYTES,
    HEAD_SIZE,
    MIB,
    ReadDocument,
    Reader,
    accepted_suffixes,
    check_size,
    describe_accepted,
    dialog_filters,
    is_accepted,
    read_document,
    read_with,
    reader_for,
    readers,
    register,
    registered,
    unregister,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "HEAD_SIZE",
    "MIB",
    "ReadDocument",
    "Reader",
    "accepted_suffixes",
    "describe_accepted",
    "dialog_filters",
    "is_accepted",
    "check_size",
    "read_document",
    "read_with",
    "reader_for",
    "readers",
    "register",
    "registered",
    "unregister",
]

_FAMILIES = (pdf, docx, odt, rtf, html, epub, text)

for _family in _FAMILIES:
    register(_family.READER)
