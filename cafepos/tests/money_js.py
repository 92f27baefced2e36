"""Runs the page's money_format.js in Node on a batch of cases (node is on the project's machines; tests
skip where it is not)."""

import json
import pathlib

from testing.node import node_run

RUNNER = pathlib.Path(__file__).parent / "js" / "money_format_run.mjs"


def page_answers(specs: dict, **cases) -> dict:
    result = node_run(str(RUNNER), input=json.dumps({"specs": specs, "format": [], **cases}))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
