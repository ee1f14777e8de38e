"""Money as whole cents: Dutch amounts in, Dutch amounts out, never a float."""

from __future__ import annotations

import pytest

from omkijken.platform.formatting import format_cents
from omkijken.platform.subsidies.money import MAX_CENTS, BadAmount, parse_cents, sum_lines


@pytest.mark.parametrize("text, cents", [
    ("1.250,50", 125050), ("€ 12,5", 1250), ("12", 1200), ("0,05", 5), ("12,-", 1200), ("€12,--", 1200),
    (" 1 250,00 ", 125000), ("1250", 125000), ("1.000.000", 100000000), ("12.50", 1250), ("12.5", 1250),
    ("1.250", 125000), ("EUR 40", 4000), ("40 euro", 4000), ("\u20ac\u00a07,95", 795), ("0", 0),
    ("0,1", 10), ("999,99", 99999),
])
def test_dutch_amounts_become_whole_cents(text, cents):
    assert parse_cents(text) == cents
    assert isinstance(parse_cents(text), int)


@pytest.mark.parametrize("text, code", [
    ("", "leeg"), ("   ", "leeg"), ("€", "leeg"), ("-12", "negatief"), ("€ -1,50", "negatief"),
    ("\u221212", "negatief"), ("12,505", "te_veel_decimalen"), ("1.250,505", "te_veel_decimalen"),
    ("0,001", "te_veel_decimalen"), ("12.5055", "te_veel_decimalen"), ("twaalf", "ongeldig"),
    ("12,5,0", "ongeldig"), ("1.25.0", "ongeldig"), ("12a", "ongeldig"), ("1e3", "ongeldig"),
    (",50", "ongeldig"), ("12,", "ongeldig"), ("1,250.50", "ongeldig"), ("12.34.567", "ongeldig"),
    ("NaN", "ongeldig"), ("inf", "ongeldig"), ("100.000.001", "te_groot"),
])
def test_nonsense_is_refused_with_a_code_the_form_explains(text, code):
    with pytest.raises(BadAmount) as bad:
        parse_cents(text)
    assert bad.value.code == code


def test_the_largest_amount_still_fits():
    assert parse_cents("100.000.000") == MAX_CENTS


@pytest.mark.parametrize("cents, text", [
    (125050, "€ 1.250,50"), (0, "€ 0,00"), (5, "€ 0,05"), (1200, "€ 12,00"), (100000000, "€ 1.000.000,00"),
    (-1250, "€ -12,50"), (99999, "€ 999,99"),
])
def test_cents_are_shown_the_dutch_way(cents, text):
    assert format_cents(cents) == text


def test_format_and_parse_agree():
    for cents in (0, 1, 99, 100, 12345, 1000000, 987654321):
        assert parse_cents(format_cents(cents)) == cents


def test_lines_add_up_exactly_and_floats_are_refused():
    assert sum_lines([10, 20, 70]) == 100
    assert sum_lines([]) == 0
    assert sum_lines(10 for _ in range(10)) == 100  # 0,10 ten times is exactly one euro
    with pytest.raises(TypeError):
        sum_lines([1000, 0.1])
    with pytest.raises(TypeError):
        format_cents(12.5)
    with pytest.raises(TypeError):
        sum_lines([True])
