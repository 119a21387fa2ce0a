"""Opening a server project from a URL someone typed (the window's File ▸ Open URL…): a
password is asked for only when the server wants one that the URL, ``PGPASSWORD``, the pass
file (``PGPASSFILE``) and the keyring did not give, or refused the one they gave."""

from __future__ import annotations

from kzcoder.core.errors import KzError
from kzcoder.db.backends.location import parse_server
from kzcoder.services.project import Project

#: what libpq says when the server asks for a password and none was found
_NO_PASSWORD = "no password supplied"
_BAD_PASSWORD = "28P01"  # invalid_password (on connecting libpq gives only its words:)
_REFUSED = "password authentication failed"


class PasswordNeeded(KzError):
    """The server asked for a password that was not given, or refused the one given; the
    message says which, without the password."""


def open_url(url: str, password: str | None = None) -> Project:
    """Open the server project at *url* (with *password*, when one was typed); PasswordNeeded
    when the server wants a password, KzError for anything else that keeps it closed."""
    location = parse_server(url)
    if password:
        location = location.with_password(password)
    try:
        return Project.open(location)  # type: ignore[arg-type]  # a location is accepted
    except KzError as exc:
        cause = password_trouble(exc)
        if cause:
            raise PasswordNeeded(f"{location}: {cause}") from None
        raise


def shown_url(url: str) -> str:
    """*url* as it may be shown or stored: without a password (KzError if it is not a
    postgresql:// URL)."""
    return parse_server(url).shown()


def url_password(url: str) -> str | None:
    """The password written in *url*, if any (so that the window can keep it out of
    everything it stores)."""
    return parse_server(url).url.password


def remember_password(url: str, password: str) -> None:
    """Keep *password* for *url* in the system keyring (``credentials.remember``)."""
    from kzcoder.services.server.credentials import remember

    remember(parse_server(url), password)


def login_name(project: Project) -> str:
    """Who a server project's changes are recorded as: the login role ('' for a file)."""
    return getattr(project.path, "user", "") if project.is_server else ""


#: ``password_trouble``'s answer when the server asked and nothing gave a password
ASKS = "the server asks for a password"


def password_trouble(exc: BaseException) -> str:
    """What *exc* (a failure to open a server project) says about the password: ``ASKS``,
    that the server refused the one given, or '' when it is about something else."""
    seen: BaseException | None = exc
    while seen is not None:
        original = getattr(seen, "orig", None) or seen
        if getattr(original, "sqlstate", None) == _BAD_PASSWORD or _REFUSED in str(original):
            return "the server refused the password"
        if _NO_PASSWORD in str(original):
            return ASKS
        seen = seen.__cause__ or seen.__context__
    return ""
