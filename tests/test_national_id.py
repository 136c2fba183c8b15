"""National ID and resident certificate checks, and masking."""

import pytest

from domain import national_id


@pytest.mark.parametrize(
    "value",
    [
        "A123456789",  # the textbook example: 1 + 0 + (8+14+18+20+20+18+14+8) + 9 = 130
        "F224681354",  # by hand: 1 + 45 + (16+14+24+30+32+3+6+5) + 4 = 180
        "F131104093",
        "Y123456788",
        " a123456789 ",  # people type lower case and spaces; normalise() accepts them
    ],
)
def test_valid_taiwan_ids_are_accepted(value):
    assert national_id.is_valid_taiwan_id(value)
    assert national_id.validate(value) is None


@pytest.mark.parametrize(
    "value,code",
    [
        ("", national_id.EMPTY),
        ("   ", national_id.EMPTY),
        ("A123456788", national_id.CHECKSUM),  # last digit off by one
        ("B123456789", national_id.CHECKSUM),  # another letter, same digits
        ("A323456789", national_id.FORMAT),  # second character must be 1 or 2 (or 8, 9)
        ("A12345678", national_id.FORMAT),  # too short
        ("A1234567890", national_id.FORMAT),  # too long
        ("1123456789", national_id.FORMAT),  # no letter
        ("AE00000009", national_id.FORMAT),  # old resident certificates use A-D only
    ],
)
def test_invalid_ids_are_rejected_with_a_reason(value, code):
    assert national_id.validate(value) == code


def test_letters_outside_alphabetical_order_use_the_official_codes():
    # I=34, O=35, W=32, Z=33: an alphabetical table (I=18...) would get these wrong.
    for letter, code in {"I": 34, "O": 35, "W": 32, "Z": 33}.items():
        assert national_id.LETTER_CODES[letter] == code
    assert national_id.is_valid_taiwan_id("O158238845")
    assert not national_id.is_valid_taiwan_id("O158238842")


@pytest.mark.parametrize(
    "value",
    [
        "AA00000009",  # by hand: 1 + 0 + 0×8 + 0 + 9 = 10
        "AB00207171",  # by hand: 1 + 0 + 1×8 + (10+21+2+7) + 1 = 50
        "BD01300667",
        "AD30196818",
    ],
)
def test_old_resident_certificates_are_accepted(value):
    assert national_id.is_valid_resident_certificate(value)
    assert not national_id.is_valid_taiwan_id(value)
    assert national_id.validate(value) is None


@pytest.mark.parametrize("value", ["A800000014", "A900207177", "T900251126"])
def test_new_resident_certificates_use_the_national_id_checksum(value):
    assert national_id.is_valid_resident_certificate(value)
    assert national_id.validate(value) is None


@pytest.mark.parametrize("value", ["AA00000000", "A800000000", "BD01300668"])
def test_resident_certificates_with_a_wrong_check_digit_are_rejected(value):
    assert not national_id.is_valid_resident_certificate(value)
    assert national_id.validate(value) == national_id.CHECKSUM


def test_mask_keeps_three_characters_each_side():
    assert national_id.mask("A123456789") == "A12****789"
    assert national_id.mask(" a123456789") == "A12****789"
    assert national_id.mask("AB00207171") == "AB0****171"
    assert national_id.mask("ABC") == "***"
    assert national_id.mask("") == ""
