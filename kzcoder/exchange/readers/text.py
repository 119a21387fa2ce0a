"""Plain text (``.txt``, ``.md``): the decoded file, BOM removed, line endings normalised."""

from __future__ import annotations

from pathlib import Path

from kzcoder.exchange.readers.registry import MIB, ReadDocument, Reader
from kzcoder.exchange.text_reader import TEXT_SUFFIXES, read_plain_text


def read(path: Path) -> ReadDocument:
    """Read *path* exactly as ``read_text_file`` does, with its warnings; no attributes."""
    decoded = read_plain_text(path)
    return ReadDocument(decoded.text, decoded.encoding, warnings=decoded.warnings)


# No sniff: plain text has no signature, and it must never claim a binary format.
# Plain text is read in a streaming way at about 2x its size (kzcoder.exchange.text_reader).
READER = Reader("Plain text", TEXT_SUFFIXES, read, media_type="text/plain",
                max_bytes=1024 * MIB)
