"""Encrypted projects on the command line: ``encrypt``, ``decrypt``, ``passphrase``, and where
every command finds a passphrase: ``KZCODER_PASSPHRASE``, ``--passphrase-file``, or a prompt
on a terminal. A missing or wrong passphrase is one line and exit status 2."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path

from kzcoder.core import passphrase as passphrase_source
from kzcoder.core.errors import KzError, PassphraseError
from kzcoder.core.escaping import escape_controls
from kzcoder.core.passphrase import NEW_PASSPHRASE_ENV, PASSPHRASE_ENV

PROTECTION_COMMANDS = ("encrypt", "decrypt", "passphrase")
PASSPHRASE_FILE_HELP = (f"read an encrypted project's passphrase from FILE (its first line); "
                        f"otherwise {PASSPHRASE_ENV}, or a prompt on a terminal")


def add_protection_commands(command: Callable[..., argparse.ArgumentParser]) -> None:
    """Add ``encrypt``, ``decrypt`` and ``passphrase`` through the parser's ``command``
    helper (which adds PROJECT and --passphrase-file)."""
    cmd = command("encrypt", "write an encrypted copy of a plain project (SQLCipher 4, "
                  "AES-256); the passphrase from KZCODER_NEW_PASSPHRASE, --passphrase-file or "
                  "a prompt")
    cmd.add_argument("-o", "--output", metavar="NEW", type=Path, required=True,
                     help="the encrypted project to write; it must not exist")
    cmd = command("decrypt", "write a plain copy of an encrypted project")
    cmd.add_argument("-o", "--output", metavar="NEW", type=Path, required=True,
                     help="the plain project to write; it must not exist")
    command("passphrase", "change an encrypted project's passphrase (the project must be "
            "closed); the new one from KZCODER_NEW_PASSPHRASE or a prompt")


def install_passphrase_source(args: argparse.Namespace | None) -> None:
    """Make every opening of an encrypted project in this command find its passphrase (None:
    back to ``KZCODER_PASSPHRASE`` alone, when the command is over)."""
    if args is None:
        passphrase_source.set_source(None)
        return
    file = getattr(args, "passphrase_file", None)
    passphrase_source.set_source(lambda path: current_passphrase(path, file))


def current_passphrase(path: Path, file: Path | None) -> str | None:
    """The passphrase of *path*: from *file*, ``KZCODER_PASSPHRASE``, or a prompt."""
    if file is not None:
        return _read_passphrase_file(file)
    if os.environ.get(PASSPHRASE_ENV):
        return os.environ[PASSPHRASE_ENV]
    if sys.stdin.isatty() and sys.stderr.isatty():
        return getpass.getpass(f"passphrase for {path.name}: ") or None
    return None


def new_passphrase(args: argparse.Namespace) -> str:
    """A new passphrase: ``KZCODER_NEW_PASSPHRASE``, --passphrase-file (encrypt only), or
    asked twice on a terminal; PassphraseError when there is none."""
    if os.environ.get(NEW_PASSPHRASE_ENV):
        return os.environ[NEW_PASSPHRASE_ENV]
    if args.command in ("encrypt", "new") and args.passphrase_file is not None:
        return _read_passphrase_file(args.passphrase_file)
    if args.command == "new" and os.environ.get(PASSPHRASE_ENV):
        return os.environ[PASSPHRASE_ENV]
    if sys.stdin.isatty() and sys.stderr.isatty():
        first = getpass.getpass("new passphrase: ")
        if first and getpass.getpass("the same again: ") == first:
            return first
        raise PassphraseError("the passphrases were empty or not the same; nothing was changed")
    raise PassphraseError(f"give the new passphrase ({NEW_PASSPHRASE_ENV}"
                          + (" or --passphrase-file)" if args.command != "passphrase" else ")"))


def _read_passphrase_file(file: Path) -> str:
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PassphraseError(f"{file}: the passphrase file cannot be read "
                              f"({getattr(exc, 'strerror', None) or exc})") from exc
    line = text.splitlines()[0] if text else ""
    if not line:
        raise PassphraseError(f"{file}: the passphrase file is empty")
    return line


def run_protection_command(args: argparse.Namespace) -> int:
    """Run ``encrypt``, ``decrypt`` or ``passphrase``."""
    from kzcoder.services import protection

    shown = lambda path: escape_controls(str(path))  # noqa: E731
    output = getattr(args, "output", None)
    if output is not None and (output.exists() or output.is_symlink()):
        print(f"kzcoder: {shown(output)}: already exists; choose another name",
              file=sys.stderr)
        return 2
    if args.command == "encrypt":
        if protection.is_encrypted(args.project):
            raise KzError(f"{args.project}: already encrypted; 'kzcoder passphrase' changes "
                          "its passphrase")
        written = protection.encrypt_copy(args.project, output, new_passphrase(args))
        print(f"wrote {shown(written)} (encrypted)")
    elif args.command == "decrypt":
        written = protection.decrypt_copy(args.project, output)
        print(f"wrote {shown(written)} (not encrypted: anyone who can read it can read the "
              "project)")
    else:
        if not protection.is_encrypted(args.project):
            raise KzError(f"{args.project}: not encrypted; 'kzcoder encrypt' writes an "
                          "encrypted copy")
        protection.change_passphrase(args.project, new_passphrase(args))
        print(f"changed the passphrase of {shown(args.project)}")
    return 0
