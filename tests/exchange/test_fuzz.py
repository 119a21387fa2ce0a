"""Property-based fuzzing (Hypothesis) of the text reader and the manifest reader.

Any bytes either decode to acceptable stored text — no NUL, no more control characters than
the binary rule allows, no ``\\r`` (line endings normalised), valid Unicode (SQLite stores it as
UTF-8), every warning one line naming the file — or raise a KzError whose message is one line
naming the file. Nothing else may escape. Valid UTF-8 comes back exactly, after the line
endings are normalised.

The normal suite runs 300 examples per property. For a long run (at least 10,000 examples per
property), set the environment variable ``KZCODER_FUZZ_LONG=1``::

    KZCODER_FUZZ_LONG=1 .venv/bin/python -m pytest -q tests/exchange/test_fuzz.py

Examples are not saved between runs (``database=None``): Hypothesis prints the falsifying
bytes, which become a plain test.
"""

from __future__ import annotations

import codecs
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kzcoder.core.errors import KzError
from kzcoder.exchange.manifest import read_manifest
from kzcoder.exchange.text_reader import decode_bytes, normalise_newlines

LONG = os.environ.get("KZCODER_FUZZ_LONG") == "1"
FUZZ = settings(max_examples=10_000 if LONG else 300, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

_CONTROLS_ALLOWED = frozenset("\t\n\f\v")

# Pieces real files are made of, so that the fuzzing reaches every branch of the reader.
_PIECES = st.one_of(
    st.binary(max_size=24),
    st.sampled_from([codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE,
                     codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, b"\r\n", b"\r", b"\n", b"\x00",
                     b"\x92", b"\x93", b"\x81", b"\xe9", b"\xe2\x80", b"\xc3", b"\xed\xa0\x80",
                     b",", b'"', b"file,title\n"]),
    st.text(max_size=30).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.text(alphabet="абвгдежзийклмнопрстуфхцчшщъыьэюяАБВГДЕЖЗ «»—", max_size=30)
    .map(lambda t: t.encode("cp1251")),
    st.text(alphabet="“”‘’–—…éèàçüößÉ abc", max_size=30).map(lambda t: t.encode("cp1252")),
    st.text(max_size=15).map(lambda t: t.encode("utf-16-le", "surrogatepass")),
    st.text(alphabet="Hello wrd\nҚазақ", max_size=15).map(lambda t: t.encode("utf-16-be")),
)
FILES = st.one_of(st.binary(max_size=4096), st.lists(_PIECES, max_size=40).map(b"".join))

_MANIFEST_CELLS = st.one_of(
    st.sampled_from(["file", "title", " title", "published", "", "a.txt", "b.txt", " a.txt ",
                     '"quoted, comma"', '"two\nlines"', '"un', "x\u2028y", "é", "’"]),
    st.text(max_size=12),
)
MANIFESTS = st.one_of(
    FILES,
    st.lists(st.lists(_MANIFEST_CELLS, max_size=5).map(",".join), max_size=8)
    .map(lambda rows: "\n".join(rows).encode("utf-8", "surrogatepass")),
)


def _assert_one_line_naming(message: str, name: str) -> None:
    assert name in message, message
    assert len(message.splitlines()) == 1, message


def _assert_stored_text(text: str) -> None:
    assert text
    assert "\x00" not in text and "\r" not in text
    text.encode("utf-8")  # no lone surrogate
    sample = text[:65536]
    controls = sum(1 for ch in sample if ch < " " and ch not in _CONTROLS_ALLOWED)
    assert controls <= max(2, len(sample) // 1000)


@FUZZ
@given(FILES)
def test_decode_bytes_never_crashes(data):
    try:
        decoded = decode_bytes(data, "fuzz.txt")
    except KzError as exc:
        _assert_one_line_naming(str(exc), "fuzz.txt")
        assert str(exc).startswith("fuzz.txt: ")
        return
    _assert_stored_text(decoded.text)
    assert decoded.encoding
    for warning in decoded.warnings:
        _assert_one_line_naming(warning, "fuzz.txt")
        assert warning.startswith("fuzz.txt: ")


@FUZZ
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",),
                                      blacklist_characters="\x00")))
def test_valid_utf8_round_trips_exactly(text):
    # A leading U+FEFF is written as a BOM, which goes; the stored text drops one more.
    expected = normalise_newlines(text.removeprefix("\ufeff"))
    try:
        decoded = decode_bytes(text.encode("utf-8"), "u.txt")
    except KzError as exc:
        assert str(exc) in ("u.txt: empty file", "u.txt: binary file, not text")
        controls = sum(1 for ch in expected[:65536] if ch < " " and ch not in "\t\n\f\v")
        assert not expected or controls > 2
        return
    assert decoded.text == expected
    assert (decoded.encoding, decoded.warnings) == ("utf-8", ())


@FUZZ
@given(MANIFESTS)
@example(b"file,\t\n\x01,\x01")  # a header of a tab alone named an attribute ""
def test_read_manifest_never_crashes(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "manifest.csv"
        path.write_bytes(data)
        try:
            rows = read_manifest(path)
        except KzError as exc:
            _assert_one_line_naming(str(exc), "manifest.csv")
            return
    for name, attributes in rows.items():
        assert name and name == name.strip()
        assert all(isinstance(key, str) and key and isinstance(value, str)
                   for key, value in attributes.items())
