"""Runs the page's money_format.js in Node on a batch of cases (node is on the project's machines; tests
skip where it is not)."""

import json
import pathlib
import shutil
import subprocess

import pytest

RUNNER = pathlib.Path(__file__).parent / "js" / "money_format_run.mjs"


def page_answers(specs: dict, **cases) -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.skip("needs Node.js for the JavaScript twin's test")
    result = subprocess.run(
        [node, str(RUNNER)],
        input=json.dumps({"specs": specs, "format": [], **cases}),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
