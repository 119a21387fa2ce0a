"""Walking a folder to import, contained: what a folder holds, never what its links point to.

A symbolic link is taken as a file only when it points to a regular file inside the folder
being imported (a link from ``a.txt`` to ``originals/a.txt``). A link to a folder is never
followed, and said so: a folder with two links to ``..`` used to walk forever, and one to
``/etc`` imported system files. Folders are entered once each (by device and inode), so no
mount or link can make the walk loop.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from kzcoder.exchange.manifest import MANIFEST_NAME


def walk_folder(folder: Path) -> Iterator[tuple[Path, str | None]]:
    """The entries under *folder* an import may read, in a stable order (by name, depth
    first): ``(file, None)`` for each file to consider, ``(entry, reason)`` for each one
    passed over with a reason to tell (a link to a folder or out of *folder*, a folder that
    cannot be read). Hidden entries and manifests are passed over silently."""
    try:
        root = Path(os.path.realpath(folder))
    except OSError as exc:  # pragma: no cover - realpath does not raise on POSIX
        yield folder, f"{folder}: folder cannot be read ({exc.strerror or exc})"
        return
    yield from _walk(folder, root, set())


def _walk(folder: Path, root: Path, entered: set[tuple[int, int]]) -> Iterator[
        tuple[Path, str | None]]:
    try:
        status = os.stat(folder, follow_symlinks=False)
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        yield folder, (f"{folder}: folder cannot be read ({exc.strerror or exc}); its files "
                       "were not imported")
        return
    if (status.st_dev, status.st_ino) in entered:
        return
    entered.add((status.st_dev, status.st_ino))
    for entry in entries:
        if entry.name.startswith(".") or entry.name == MANIFEST_NAME:
            continue
        path = Path(entry.path)
        try:
            if entry.is_symlink():
                reason = _link_reason(path, root)
                yield path, reason
            elif entry.is_dir(follow_symlinks=False):
                yield from _walk(path, root, entered)
            elif entry.is_file(follow_symlinks=False):
                yield path, None
            else:  # a pipe or a device: reading it could wait for ever
                yield path, f"{path}: not a file; not imported"
        except OSError as exc:
            yield path, f"{path}: cannot be read ({exc.strerror or exc})"


def _link_reason(link: Path, root: Path) -> str | None:
    """None if the link at *link* points to a regular file inside *root*, else why not."""
    try:
        target = Path(os.path.realpath(link, strict=True))
        mode = os.stat(target).st_mode
    except (OSError, RuntimeError):  # missing target, or a loop of links
        return f"{link}: a link to nothing that exists; not imported"
    if stat.S_ISDIR(mode):
        return f"{link}: a link to a folder, not followed; import that folder itself"
    if not target.is_relative_to(root):
        return f"{link}: a link to {target}, outside the folder; not imported"
    if not stat.S_ISREG(mode):
        return f"{link}: a link to something that is not a file; not imported"
    return None
