"""The one exception type whose message is meant for the user."""


class KzError(Exception):
    """A problem the user can act on; ``str(error)`` is one clear line and nothing was changed."""


class PassphraseError(KzError):
    """An encrypted project's passphrase is missing or wrong (the command line exits 2)."""
