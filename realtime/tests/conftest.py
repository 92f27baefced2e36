"""Socket tests' fixtures: a cafe (testing/cafes.py) in a database the sockets' threads can see."""

import pytest

from testing.cafes import Cafe, make_cafe


@pytest.fixture
def cafe(transactional_db) -> Cafe:
    return make_cafe()


@pytest.fixture
def other_cafe(transactional_db) -> Cafe:
    return make_cafe()
