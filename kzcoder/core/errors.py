"""The one exception type whose message is meant for the user."""


class KzError(Exception):
    """A problem the user can act on; ``str(error)`` is one clear line and nothing was changed."""


class UsageError(KzError):
    """Bad input in what was asked (an unknown attribute, a malformed range, a name already
    taken): the command line exits with status 2, as for a usage error."""


class PassphraseError(UsageError):
    """An encrypted project's passphrase is missing or wrong (the command line exits 2)."""
