"""Shared test helpers for the orders tests."""

import pytest

from cafepos.exceptions import ApplicationError


def refused(code: str, call, **kwargs) -> ApplicationError:
    """Call `call(**kwargs)`, expecting it to be refused with `code`; returns the error."""
    with pytest.raises(ApplicationError) as error:
        call(**kwargs)
    assert error.value.code == code, error.value.message
    return error.value
