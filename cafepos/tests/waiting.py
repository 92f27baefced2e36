"""Polling for something another process does (a worker, a server, a restarted service), with a clear failure."""

import time


def wait_until(condition, *, timeout: float = 30, message: str = "condition", interval: float = 0.1):
    """`condition()`'s first truthy result, polled every `interval` seconds; AssertionError after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {message}")
