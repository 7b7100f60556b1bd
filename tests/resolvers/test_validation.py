"""Personal-data checks (property-based where the rule is arithmetic)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from resolvers.errors import BadUserInput
from resolvers.validation import clean_id_number, clean_phone, id_number_check_digit

digits17 = st.text(alphabet="0123456789", min_size=17, max_size=17)


@given(digits17)
def test_a_number_with_its_check_digit_is_accepted(first17: str) -> None:
    number = first17 + id_number_check_digit(first17)
    assert clean_id_number(number.lower()) == number


@given(digits17, st.sampled_from("0123456789X"))
def test_a_wrong_check_digit_is_refused(first17: str, check: str) -> None:
    if check == id_number_check_digit(first17):
        return
    with pytest.raises(BadUserInput):
        clean_id_number(first17 + check)


@pytest.mark.parametrize("phone", ["13800000000", "+86 138-0000-0000", "0593 2222333"])
def test_phones_that_people_write(phone: str) -> None:
    assert clean_phone(phone) == phone


@pytest.mark.parametrize("phone", ["call me", "12", "<script>"])
def test_phones_refused(phone: str) -> None:
    with pytest.raises(BadUserInput):
        clean_phone(phone)
