"""The self-test's step for encrypted projects: this installation can encrypt, reopen with the
passphrase (and only with it), and decrypt, and the encrypted file shows none of the text."""

from __future__ import annotations

from kzcoder.selftest.failure import SelfTestFailure

PASSPHRASE = "self-test passphrase"


def check_encryption(context) -> None:  # noqa: ANN001 - steps.Context (no import cycle)
    """An encrypted copy of the sample holds no sample text, opens with its passphrase (not
    with another), and decrypts to the same documents and codings."""
    from kzcoder.core.errors import PassphraseError
    from kzcoder.db import cipher
    from kzcoder.services import protection
    from kzcoder.services.documents import document_text, list_documents
    from kzcoder.services.project import Project
    from kzcoder.services.segments import list_segments

    if not protection.available():
        raise SelfTestFailure("sqlcipher3 is missing: encrypted projects cannot be opened")
    encrypted = context.work / "encrypted.kzc"
    protection.encrypt_copy(context.sample, encrypted, PASSPHRASE)

    def contents(path) -> tuple[list, list]:  # noqa: ANN001
        with Project.open(path) as project:
            documents = [(d.name, document_text(project, d.id))
                         for d in list_documents(project)]
            codings = sorted((s.document, s.code, s.start, s.end, s.memo)
                             for s in list_segments(project))
        return documents, codings

    expected = contents(context.sample)
    data = encrypted.read_bytes()
    if data.startswith(b"SQLite format 3") or any(
            text[:40].encode() in data for _name, text in expected[0]):
        raise SelfTestFailure(f"{encrypted.name}: the encrypted copy shows its text")
    cipher.forget(encrypted)
    protection.set_passphrase_source(lambda _path: "not the passphrase")
    try:
        try:
            Project.open(encrypted).close()
        except PassphraseError:
            pass
        else:
            raise SelfTestFailure("an encrypted project opened with a wrong passphrase")
        protection.set_passphrase_source(lambda _path: PASSPHRASE)
        if contents(encrypted) != expected:
            raise SelfTestFailure("the encrypted copy differs from the project")
        plain = context.work / "decrypted.kzc"
        protection.decrypt_copy(encrypted, plain)
        if contents(plain) != expected:
            raise SelfTestFailure("the decrypted copy differs from the project")
    finally:
        protection.set_passphrase_source(None)
        cipher.forget(encrypted)
