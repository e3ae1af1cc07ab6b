import pytest

from eforms.core.forms import personnummer


@pytest.mark.parametrize(
    "value",
    [
        "19121212-1212",  # Skatteverket's test number
        "191212121212",
        "19900161-2382",  # samordningsnummer: day 01 + 60
        "20000229-0005",  # leap day
    ],
)
def test_valid_numbers(value: str) -> None:
    assert personnummer.is_valid(value)


@pytest.mark.parametrize(
    "value",
    [
        "19121212-1213",  # wrong check digit
        "121212-1212",  # 10 digits: century unknown
        "19121312-1212",  # month 13
        "19010229-1234",  # 1901 was not a leap year
        "19121292-1212",  # day 92 is neither a date nor a coordination day
        "19121212+1212",  # '+' belongs to the 10-digit form only
        "1912121-21212",
        "",
        "19121212-121２",  # full-width digit
    ],
)
def test_invalid_numbers(value: str) -> None:
    assert not personnummer.is_valid(value)


def test_mask_keeps_only_the_birth_date() -> None:
    assert personnummer.mask("19121212-1212") == "19121212-****"
