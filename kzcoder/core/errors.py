"""The one exception type whose message is meant for the user."""


class KzError(Exception):
    """A problem the user can act on; ``str(error)`` is one clear line and nothing was changed."""
