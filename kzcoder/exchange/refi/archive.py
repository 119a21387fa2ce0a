"""The ``.qdpx`` archive: a zip of ``project.qde`` and ``sources/``.

Writing (``QdpxWriter``) goes member by member into a file the caller opened (a temporary file
that the caller renames into place), each member streamed.

Reading (``SafeArchive``) refuses, before anything is read, an archive that is not a zip or
whose members could do harm if a program unpacked them: a path that is absolute, has a drive
letter, a backslash, a NUL or a ``..`` step; a symbolic link; an encrypted member; two members
of the same name (in any case); more than ``MAX_MEMBERS`` members; declared sizes that add up
to far more than the archive could hold (a zip bomb: more than ``RATIO`` times the archive's
size, with a floor of ``FLOOR`` bytes). While reading, every member is counted again: more bytes
than declared, or more in all than the budget, and the archive is refused. Nothing is ever
extracted by member name (``extractall`` is never called): a member is read into memory, or
copied to a file whose name the caller chose.

Every refusal is one KzError line naming the archive and the reason.
"""

from __future__ import annotations

import contextlib
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from kzcoder.core.errors import KzError

PIECE = 1 << 20
MAX_MEMBERS = 200_000
RATIO = 100
FLOOR = 64 << 20
#: a single member larger than this is refused (a document of 2 GiB is not a news article)
MAX_MEMBER = 2 << 30
_DRIVE = re.compile(r"^[A-Za-z]:")
_S_IFMT, _S_IFLNK = 0o170000, 0o120000
#: media types that are already compressed: stored, not deflated again
_COMPRESSED = ("application/pdf", "application/zip", "application/epub+zip", "image/",
               "audio/", "video/", "application/vnd.openxmlformats",
               "application/vnd.oasis.opendocument")


class Refused(KzError):
    """The archive is hostile or damaged: the whole import is refused, not one source."""


class QdpxWriter:
    """A ``.qdpx`` being written into *file* (binary, seekable); ``close`` finishes it."""

    def __init__(self, file: BinaryIO) -> None:
        self._zip = zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED)

    def write_bytes(self, name: str, data: bytes) -> None:
        """Add member *name* holding *data* (deflated)."""
        self._zip.writestr(_info(name, zipfile.ZIP_DEFLATED), data)

    def write_pieces(self, name: str, pieces: Iterator[bytes], size: int,
                     media_type: str = "") -> None:
        """Add member *name* from *pieces* (*size* bytes in all), stored when *media_type* is
        already compressed, else deflated."""
        info = _info(name, zipfile.ZIP_STORED if media_type.startswith(_COMPRESSED)
                     else zipfile.ZIP_DEFLATED)
        info.file_size = size
        with self._zip.open(info, "w", force_zip64=size > (1 << 31)) as member:
            for piece in pieces:
                member.write(piece)

    def open_member(self, name: str) -> BinaryIO:
        """A stream to write member *name* into (deflated); close it before the next one."""
        return self._zip.open(_info(name, zipfile.ZIP_DEFLATED), "w")

    def close(self) -> None:
        """Write the central directory."""
        self._zip.close()

    def abandon(self) -> None:
        """Let go of an archive that will not be finished (its file is about to be deleted)."""
        with contextlib.suppress(Exception):
            self._zip.close()


def _info(name: str, compression: int) -> zipfile.ZipInfo:
    """A member's header: a plain file, its time fixed (the same project gives the same
    archive)."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.external_attr = 0o644 << 16
    info.compress_type = compression  # deflate at zlib's default level
    return info


class SafeArchive:
    """A ``.qdpx`` opened for reading, every member checked (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.name
        try:
            size = path.stat().st_size
            if not path.is_file():
                raise KzError(f"{self.name}: not a file")
            if not zipfile.is_zipfile(path):
                raise KzError(f"{self.name}: not a REFI-QDA project archive (not a zip file)")
            self._zip = zipfile.ZipFile(path)
        except OSError as exc:
            raise KzError(f"{self.name}: cannot be read ({exc.strerror or exc})") from exc
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
            raise KzError(f"{self.name}: not a readable zip archive ({exc})") from exc
        try:
            self._members = self._check(size)
        except BaseException:
            self._zip.close()
            raise
        declared = sum(info.file_size for info in self._members.values())
        self._budget = 2 * declared + PIECE
        self._read = 0

    def _refuse(self, reason: str) -> Refused:
        return Refused(f"{self.name}: refused, {reason}")

    def _check(self, size: int) -> dict[str, zipfile.ZipInfo]:
        infos = self._zip.infolist()
        if len(infos) > MAX_MEMBERS:
            raise self._refuse(f"it holds {len(infos):,} members (at most {MAX_MEMBERS:,})")
        members: dict[str, zipfile.ZipInfo] = {}
        total = 0
        for info in infos:
            problem = _bad_path(info.orig_filename) or _bad_path(info.filename)
            if problem:
                raise self._refuse(f"member '{info.orig_filename}' {problem}")
            if (info.external_attr >> 16) & _S_IFMT == _S_IFLNK:
                raise self._refuse(f"member '{info.filename}' is a symbolic link")
            if info.flag_bits & 0x1:
                raise self._refuse(f"member '{info.filename}' is encrypted")
            if info.file_size > MAX_MEMBER:
                raise self._refuse(f"member '{info.filename}' would unpack to "
                                   f"{info.file_size:,} bytes")
            key = info.filename.rstrip("/").lower()
            if key in members:
                raise self._refuse(f"two members are named '{info.filename}'")
            members[key] = info
            total += info.file_size
        if total > max(FLOOR, RATIO * size):
            raise self._refuse(f"its members would unpack to {total:,} bytes from {size:,} "
                               "(a zip bomb?)")
        return members

    def close(self) -> None:
        """Release the archive."""
        self._zip.close()

    def __enter__(self) -> SafeArchive:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def files(self) -> list[zipfile.ZipInfo]:
        """Every member that is a file, in the archive's order."""
        return [info for info in self._members.values() if not info.is_dir()]

    def member(self, name: str) -> zipfile.ZipInfo | None:
        """The file member called *name* (any case), or None."""
        info = self._members.get(name.strip("/").lower())
        return None if info is None or info.is_dir() else info

    def qde(self) -> zipfile.ZipInfo:
        """The project XML: ``project.qde`` (any case), else the one ``.qde`` at the top,
        else the one anywhere. KzError if there is none, or several and none is
        ``project.qde``."""
        found = [i for i in self.files() if i.filename.lower().endswith(".qde")]
        top = [i for i in found if "/" not in i.filename]
        for group in (top, found):
            named = [i for i in group if i.filename.lower() == "project.qde"]
            if named:
                return named[0]
            if len(group) == 1:
                return group[0]
            if len(group) > 1:
                raise KzError(f"{self.name}: holds several .qde projects "
                              f"({', '.join(i.filename for i in group[:3])}); which is meant?")
        raise KzError(f"{self.name}: not a REFI-QDA project archive (no .qde inside)")

    def find(self, reference: str) -> zipfile.ZipInfo | None:
        """The member a source's path means: ``internal://NAME``, ``relative://NAME``, a bare
        or relative name, looked up as written, under ``sources/`` or ``Sources/``, then by its
        file name alone in those folders (any case). Paths outside the archive are never
        followed: ``absolute://`` is looked up by its file name only."""
        text = reference.strip()
        scheme, sep, rest = text.partition("://")
        if not sep:
            scheme, rest = "", text
        rest = rest.replace("\\", "/").lstrip("/")
        if not rest:
            return None
        base = PurePosixPath(rest).name
        if scheme.lower() != "absolute":
            for candidate in (rest, f"sources/{rest}"):
                info = self.member(candidate)
                if info is not None:
                    return info
        for candidate in (f"sources/{base}", base):
            info = self.member(candidate)
            if info is not None:
                return info
        return None

    def pieces(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        """Member *info*'s bytes a piece at a time, counted against what it declared and the
        archive's budget; KzError naming the member if it is damaged or lies."""
        count = crc = 0
        try:
            with self._zip.open(info) as member:
                while piece := member.read(PIECE):
                    count += len(piece)
                    crc = zlib.crc32(piece, crc)
                    self._read += len(piece)
                    if count > info.file_size or self._read > self._budget:
                        raise self._refuse(f"member '{info.filename}' unpacks to more than it "
                                           "declares (a zip bomb?)")
                    yield piece
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError,
                NotImplementedError, RuntimeError) as exc:
            raise Refused(f"{self.name}: member '{info.filename}' cannot be read "
                          f"({exc})") from exc
        if count != info.file_size or crc != info.CRC:
            # zipfile stops at the declared size: data that unpacks to more fails the CRC
            raise self._refuse(f"member '{info.filename}' does not unpack to what it declares "
                               "(damaged, or a zip bomb?)")

    def read(self, info: zipfile.ZipInfo) -> bytes:
        """Member *info*'s bytes (see ``pieces``)."""
        return b"".join(self.pieces(info))

    def copy_to(self, info: zipfile.ZipInfo, dest: Path) -> None:
        """Copy member *info* into the new file *dest* (named by the caller, never after the
        member)."""
        with dest.open("xb") as out:
            for piece in self.pieces(info):
                out.write(piece)


def _bad_path(name: str) -> str:
    """Why member path *name* could land outside the folder it is unpacked in, or ""."""
    if "\x00" in name:
        return "has a NUL character in its path"
    if "\\" in name:
        return "has a backslash in its path"
    if name.startswith("/"):
        return "has an absolute path"
    if _DRIVE.match(name):
        return "has a drive letter in its path"
    if ".." in name.split("/"):
        return "has a path that leaves the archive's folder ('..')"
    return ""
