"""The register's pricing.js held to the hand-worked money table (orders/tests/money_examples.json), in Node:
the page shows the figures the server will charge."""

import pathlib
import shutil
import subprocess

import pytest

HERE = pathlib.Path(__file__).parent


def test_the_page_gives_the_hand_worked_figures():
    """pricing.js against the table, in Node (present on the project's machines; skipped elsewhere)."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("needs Node.js for the JavaScript twin's test")
    result = subprocess.run(
        [node, "--test", str(HERE / "js" / "money_examples.mjs")], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
