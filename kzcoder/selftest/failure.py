"""The self-test's one exception."""


class SelfTestFailure(Exception):
    """A check that did not hold; its message says what was expected and what was found."""
