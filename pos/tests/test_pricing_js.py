"""The register's pricing.js held to the hand-worked money table (orders/tests/money_examples.json), in Node:
the page shows the figures the server will charge."""

import pathlib

from testing.node import node_test

HERE = pathlib.Path(__file__).parent


def test_the_page_gives_the_hand_worked_figures():
    """pricing.js against the table, in Node (present on the project's machines; skipped elsewhere)."""
    node_test(HERE / "js" / "money_examples.mjs")
