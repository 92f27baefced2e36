"""Run a page script's test in Node (present on the project's machines; the test skips where it is not)."""

import shutil
import subprocess
from pathlib import Path

import pytest


def node_run(*args: str, input: str | None = None, env: dict | None = None, timeout: int = 300):
    """`node *args`, its output captured; skips the calling test when Node.js is missing."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("needs Node.js for the page's JavaScript")
    return subprocess.run([node, *args], input=input, capture_output=True, text=True, timeout=timeout, env=env)  # noqa: S603 (our own test scripts)


def node_test(script: Path, env: dict | None = None) -> None:
    """`node --test script` passes."""
    result = node_run("--test", str(script), env=env)
    assert result.returncode == 0, result.stdout + result.stderr
