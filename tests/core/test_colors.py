import pytest

from kzcoder.core.colors import parse_color
from kzcoder.core.errors import KzError


def test_colours_are_normalised_to_upper_case_hash_form():
    assert parse_color("#0072b2") == "#0072B2"
    assert parse_color(" 0072B2 ") == "#0072B2"


@pytest.mark.parametrize("bad", ["red", "#12345", "#GGGGGG", ""])
def test_bad_colours_are_refused_naming_the_value(bad):
    with pytest.raises(KzError, match=f"colour '{bad}'"):
        parse_color(bad)
