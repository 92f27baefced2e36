"""Helpers the tests of several apps share; a test module imports no other app's test module (conftest or
test_*), so what they share lives here (cafepos/tests/test_architecture.py checks it)."""
