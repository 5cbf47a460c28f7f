"""Amounts of won as people type them ("12,000,000,000", "₩12,000,000,000", "120억", "1조 2천억") and as we show them.

Only the portal's forms parse text; the API and the database keep plain integers. Korean numbers are read in
groups of four digits: 만 (10⁴), 억 (10⁸), 조 (10¹²), each group written with 천/백/십 (1000/100/10) and
Arabic digits, so "3억 5천만" is 350,000,000 and "1조2천억" is 1,200,000,000,000.
"""

import re

#: The largest amount a PositiveBigIntegerField (PostgreSQL bigint) holds.
BIGINT_MAX = 2**63 - 1

_LARGE_UNITS = {"조": 10**12, "억": 10**8, "만": 10**4}
_SMALL_UNITS = {"천": 1000, "백": 100, "십": 10}
_CURRENCY = re.compile(r"^(₩|￦|krw|w)|(원|krw)$", re.IGNORECASE)
_PLAIN = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+$")
_KOREAN = re.compile(r"^(\d+|[천백십조억만])*[천백십조억만](\d+|[천백십조억만])*$")


class AmountError(ValueError):
    """The text is not an amount of won; the message says why, for a form error."""


def parse_won(text: str) -> int | None:
    """The whole number of won `text` stands for; None for empty text. Raises AmountError for anything else."""
    compact = re.sub(r"\s+", "", text or "")
    if not compact:
        return None
    if re.search(r"[\d,]\s+[\d,]", text):
        raise AmountError("invalid")  # "3 4" is not 34: spaces only around units and currency marks
    if compact.startswith("-"):
        raise AmountError("negative")
    body = compact
    while True:  # "₩ 12,000,000,000 원" and "12억원": strip every currency mark at either end
        stripped = _CURRENCY.sub("", body)
        if stripped == body:
            break
        body = stripped
    if not body:
        raise AmountError("invalid")
    if _PLAIN.match(body):
        value = int(body.replace(",", ""))
    elif _KOREAN.match(body.replace(",", "")) and all(_PLAIN.match(run) for run in re.findall(r"[\d,]+", body)):
        value = _korean_value(body.replace(",", ""))
    else:
        raise AmountError("invalid")
    if value > BIGINT_MAX:
        raise AmountError("too_large")
    return value


def _korean_value(text: str) -> int:
    """'1조2천억' -> 1_200_000_000_000: four-digit groups before 조/억/만, each with 천/백/십."""
    total, group, number = 0, 0, None
    last_large = last_small = None
    for token in re.findall(r"\d+|[천백십조억만]", text):
        if token.isdigit():
            if number is not None:
                raise AmountError("invalid")
            number = int(token)
        elif token in _SMALL_UNITS:
            unit = _SMALL_UNITS[token]
            if last_small is not None and unit >= last_small:
                raise AmountError("invalid")  # 백 before 천, or 천 twice in one group
            group += (1 if number is None else number) * unit
            number, last_small = None, unit
        else:
            unit = _LARGE_UNITS[token]
            if last_large is not None and unit >= last_large:
                raise AmountError("invalid")  # 억 after 만, or 억 twice
            if number is not None:
                group += number
            elif group == 0:
                group = 1  # "만" alone is ten thousand
            if group == 0:
                raise AmountError("invalid")  # "0억"
            total += group * unit
            group, number, last_large, last_small = 0, None, unit, None
    return total + group + (number or 0)


def format_won(value: int | None) -> str:
    """₩12,000,000,000; an empty string for no amount."""
    if value is None:
        return ""
    return f"₩{value:,}"
