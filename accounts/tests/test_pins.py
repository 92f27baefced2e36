"""PINs are 4–6 digits, stored only as a Django password hash, and need not be unique."""

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher

from accounts.services import user_pin_set
from accounts.tests.factories import UserFactory
from cafepos.exceptions import ApplicationError

pytestmark = pytest.mark.django_db


def test_pin_is_stored_hashed_never_plain():
    user = UserFactory()

    user_pin_set(user=user, pin="482913")

    user.refresh_from_db()
    assert "482913" not in user.pin_hash
    assert identify_hasher(user.pin_hash)  # a Django hasher's format
    assert check_password("482913", user.pin_hash)
    assert not check_password("482914", user.pin_hash)


def test_two_staff_may_share_a_pin():
    first, second = UserFactory(), UserFactory()

    user_pin_set(user=first, pin="1234")
    user_pin_set(user=second, pin="1234")

    first.refresh_from_db()
    second.refresh_from_db()
    assert check_password("1234", first.pin_hash) and check_password("1234", second.pin_hash)
    assert first.pin_hash != second.pin_hash  # salted


@pytest.mark.parametrize("pin", ["", "123", "1234567", "12a4", " 1234", "١٢٣٤"])
def test_a_pin_is_four_to_six_ascii_digits(pin):
    user = UserFactory()

    with pytest.raises(ApplicationError) as refused:
        user_pin_set(user=user, pin=pin)

    assert refused.value.code == "user.invalid_pin"
    user.refresh_from_db()
    assert user.pin_hash == ""
