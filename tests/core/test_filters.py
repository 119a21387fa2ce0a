"""Document filters against an independent reading of the rules (dates padded as text)."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kzcoder.core.errors import UsageError
from kzcoder.core.filters import Condition, DocumentFilter, date_interval

VALUES = {"outlet": ["IWPR", "Taipei Times", "RFE/RL"],
          "published": ["2005-11-20", "2011-12", "2022", "2022-01-07"],
          "words": ["120", "95", "3000"]}


def checked(*where: str):
    return DocumentFilter.parse(where).check(VALUES)


def test_equal_and_and():
    f = checked("outlet=IWPR", "published=2005")
    assert f.matches({"outlet": "IWPR", "published": "2005-11-20"})
    assert not f.matches({"outlet": "IWPR", "published": "2011-12-20"})
    assert not f.matches({"outlet": "Taipei Times", "published": "2005-11-20"})
    assert not f.matches({"published": "2005-11-20"})  # no outlet: no match


def test_partial_dates_as_bounds_cover_their_year_or_month():
    f = checked("published=2005..2010")
    assert f.matches({"published": "2005-01-01"})
    assert f.matches({"published": "2010-12-31"})
    assert not f.matches({"published": "2011-01-01"})
    assert not f.matches({"published": "2004-12-31"})
    feb = checked("published=2024-02")
    assert feb.matches({"published": "2024-02-29"})
    assert not feb.matches({"published": "2024-03-01"})


def test_numbers_compare_as_numbers_and_text_as_text():
    assert checked("words=100..1000").matches({"words": "120"})
    assert not checked("words=100..1000").matches({"words": "3000"})  # "3000" < "1000" as text
    assert checked("outlet=I..J").matches({"outlet": "IWPR"})


def test_text_contains_is_case_insensitive():
    f = checked("text~Shoot")
    assert f.matches({}, "they said SHOOT to kill")
    assert not f.matches({}, "nothing here")


@pytest.mark.parametrize("where, message", [
    ("nope=1", "unknown attribute 'nope'"),
    ("published=banana", "'banana' is not a date"),
    ("published=2011..2005", "the range is empty"),
    ("published=2005..", "both bounds"),
    ("outlet", "is not ATTR=VALUE"),
    ("=x", "is not ATTR=VALUE"),
    ("words=9..1", "the range is empty"),
    ("title~x", "is not ATTR=VALUE"),
])
def test_bad_input_is_one_clear_usage_error(where, message):
    with pytest.raises(UsageError, match=message):
        checked(where)


def test_condition_round_trips_as_text():
    for text in ("outlet=IWPR", "published=2005..2010", "text~force"):
        assert str(Condition.parse(text)) == text


def _pad(value: str, last: bool) -> str:
    """The independent rule: a partial date padded to its first (or last) day, as text."""
    parts = value.split("-")
    if len(parts) == 1:
        return value + ("-12-31" if last else "-01-01")
    if len(parts) == 2:
        year, month = int(parts[0]), int(parts[1])
        end = (datetime.date(year + month // 12, month % 12 + 1, 1)
               - datetime.timedelta(days=1)).day
        return f"{value}-{end:02d}" if last else value + "-01"
    return value


partial = st.dates(min_value=datetime.date(1990, 1, 1),
                   max_value=datetime.date(2030, 12, 31)).flatmap(
    lambda d: st.sampled_from([d.isoformat(), d.isoformat()[:7], d.isoformat()[:4]]))


@given(partial, partial, partial)
def test_date_ranges_agree_with_padding_as_text(low, high, value):
    if _pad(low, False) > _pad(high, True):
        with pytest.raises(UsageError):
            checked(f"published={low}..{high}")
        return
    f = checked(f"published={low}..{high}")
    expected = _pad(low, False) <= _pad(value, False) <= _pad(high, True)
    assert f.matches({"published": value}) == expected


def test_date_interval_refuses_impossible_dates():
    assert date_interval("2023-02-29") is None
    assert date_interval("2024-02") == (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
