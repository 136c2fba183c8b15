"""Taiwan national ID (身分證) and resident certificate (居留證) numbers: checks and masking.

Both numbers are 10 characters. The national ID is a letter (the place of first registration),
1 or 2 (sex) and 8 digits, the last a check digit. The resident certificate of a foreign spouse
had two letters and 8 digits until 2020; since 2021 it looks like a national ID whose second
character is 8 or 9, and uses the same check digit.
"""

from __future__ import annotations

import re

# The official letter-to-number table: not alphabetical past H (I, O, W, Z were added later).
LETTER_CODES: dict[str, int] = {
    "A": 10, "B": 11, "C": 12, "D": 13, "E": 14, "F": 15, "G": 16, "H": 17, "I": 34,
    "J": 18, "K": 19, "L": 20, "M": 21, "N": 22, "O": 35, "P": 23, "Q": 24, "R": 25,
    "S": 26, "T": 27, "U": 28, "V": 29, "W": 32, "X": 30, "Y": 31, "Z": 33,
}  # fmt: skip

_TAIWAN_ID = re.compile(r"[A-Z][12][0-9]{8}")
_NEW_RESIDENT = re.compile(r"[A-Z][89][0-9]{8}")
_OLD_RESIDENT = re.compile(r"[A-Z][A-D][0-9]{8}")

# Error codes returned by validate(); forms turn them into messages.
EMPTY = "empty"
FORMAT = "format"
CHECKSUM = "checksum"


def normalise(value: str | None) -> str:
    """The canonical form people mean: no surrounding spaces, upper case."""
    return (value or "").strip().upper()


def _weighted_sum(first_code: int, digits: str) -> int:
    """Sum of the check formula: letter code tens ×1, units ×9, then digits ×8…1, check ×1."""
    total = (first_code // 10) + (first_code % 10) * 9
    for weight, digit in zip(range(8, 0, -1), digits[:8], strict=True):
        total += int(digit) * weight
    return total + int(digits[8])


def _checksum_ok(value: str) -> bool:
    """Check digit of the national-ID layout (letter + 9 digits)."""
    return _weighted_sum(LETTER_CODES[value[0]], value[1:]) % 10 == 0


def is_valid_taiwan_id(value: str | None) -> bool:
    """True for a well-formed national ID number with a correct check digit."""
    value = normalise(value)
    return bool(_TAIWAN_ID.fullmatch(value)) and _checksum_ok(value)


def is_valid_resident_certificate(value: str | None) -> bool:
    """True for a resident certificate number, old (two letters) or new (2021) layout."""
    value = normalise(value)
    if _NEW_RESIDENT.fullmatch(value):
        return _checksum_ok(value)
    if _OLD_RESIDENT.fullmatch(value):
        # The old layout counts only the units digit of the second letter's code.
        second = str(LETTER_CODES[value[1]] % 10)
        return _weighted_sum(LETTER_CODES[value[0]], second + value[2:]) % 10 == 0
    return False


def validate(value: str | None) -> str | None:
    """None when the value is a valid national ID or resident certificate, else an error code."""
    value = normalise(value)
    if not value:
        return EMPTY
    if not (
        _TAIWAN_ID.fullmatch(value)
        or _NEW_RESIDENT.fullmatch(value)
        or _OLD_RESIDENT.fullmatch(value)
    ):
        return FORMAT
    if is_valid_taiwan_id(value) or is_valid_resident_certificate(value):
        return None
    return CHECKSUM


def mask(value: str | None) -> str:
    """Show only the first and last three characters, e.g. A12****789, for staff screens."""
    value = normalise(value)
    if len(value) <= 6:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 6) + value[-3:]
