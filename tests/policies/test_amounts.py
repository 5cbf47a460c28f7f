"""Amounts of won as people type them: one parser (policies/amounts.py), shown as ₩ with separators."""

import pytest

from policies.amounts import BIGINT_MAX, AmountError, format_won, parse_won


@pytest.mark.parametrize(
    ("typed", "won"),
    [
        ("12,000,000,000", 12_000_000_000),
        ("12000000000", 12_000_000_000),
        ("₩12,000,000,000", 12_000_000_000),
        ("￦12,000,000,000", 12_000_000_000),
        (" 12,000,000,000원 ", 12_000_000_000),
        ("KRW 5,000", 5_000),
        ("120억", 12_000_000_000),
        ("120억원", 12_000_000_000),
        ("1조 2천억", 1_200_000_000_000),
        ("1조2천억", 1_200_000_000_000),
        ("3억 5천만", 350_000_000),
        ("3억 5천만 원", 350_000_000),
        ("12억3456만7890", 1_234_567_890),
        ("천만원", 10_000_000),
        ("2천5백만", 25_000_000),
        ("만", 10_000),
        ("12,000억", 1_200_000_000_000),
        ("0", 0),
        (str(BIGINT_MAX), BIGINT_MAX),
    ],
)
def test_what_people_type_is_read_as_won(typed, won):
    assert parse_won(typed) == won


@pytest.mark.parametrize("typed", ["", "   ", None])
def test_nothing_typed_is_no_amount(typed):
    assert parse_won(typed) is None


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("abc", "invalid"),
        ("12.5억", "invalid"),
        ("1,2,3", "invalid"),
        ("12,00", "invalid"),
        ("억억", "invalid"),
        ("만억", "invalid"),
        ("백천", "invalid"),
        ("0억", "invalid"),
        ("₩", "invalid"),
        ("3 4", "invalid"),
        ("-5", "negative"),
        ("-120억", "negative"),
        (str(BIGINT_MAX + 1), "too_large"),
        ("100000000조", "too_large"),
    ],
)
def test_nonsense_says_why_it_is_not_an_amount(typed, why):
    with pytest.raises(AmountError) as refused:
        parse_won(typed)
    assert str(refused.value) == why


def test_amounts_are_shown_in_won_with_separators():
    assert format_won(12_000_000_000) == "₩12,000,000,000"
    assert format_won(0) == "₩0"
    assert format_won(None) == ""
