import pytest

from cafepos import outbox


@pytest.fixture
def handled(monkeypatch) -> list:
    """Only a recording handler is registered during the test; the list holds every event it was handed."""
    received = []
    monkeypatch.setattr(outbox, "_handlers", {})
    outbox.register_handler("test-recorder", received.extend)
    return received
