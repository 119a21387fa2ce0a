import pytest

from kzcoder.core.errors import KzError
from kzcoder.core.spans import Span, check_span


def test_valid_span_is_returned():
    assert check_span(0, 5, 5) == Span(0, 5)
    assert len(Span(2, 7)) == 5


@pytest.mark.parametrize(("start", "end", "message"), [
    (-1, 3, "negative"),
    (3, 3, "greater than start"),
    (4, 2, "greater than start"),
    (0, 11, "past the end of the document (10 characters)"),
    (1.5, 3, "not a whole number"),
    (True, 3, "not a whole number"),
])
def test_invalid_spans_are_refused_with_a_clear_message(start, end, message):
    with pytest.raises(KzError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_span(start, end, 10)


def test_overlap_is_half_open():
    assert Span(0, 5).overlaps(Span(4, 9))
    assert not Span(0, 5).overlaps(Span(5, 9))
