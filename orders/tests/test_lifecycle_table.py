"""The lifecycle tables as the issue writes them, checked against the code's maps for every pair and actor.

The expected tables below are written out by hand from the specification, not derived from `orders.lifecycle`.
"""

import itertools

import pytest

from cafepos.exceptions import ApplicationError
from orders.lifecycle import check_order_transition, check_ticket_transition

ORDER_STATUSES = ["PENDING", "PREPARING", "READY", "SERVED", "COMPLETED", "CANCELLED"]
ACTORS = ["OWNER", "MANAGER", "CASHIER", "KITCHEN", None, "SYSTEM"]

# (from, to) → who may make it. Everything absent is illegal for everyone.
EXPECTED_ORDER_TABLE = {
    ("PENDING", "PREPARING"): {"SYSTEM"},
    ("PENDING", "READY"): {"SYSTEM"},
    ("PREPARING", "READY"): {"SYSTEM"},
    ("READY", "PREPARING"): {"SYSTEM"},
    ("READY", "SERVED"): {"CASHIER", "MANAGER", "OWNER"},
    ("SERVED", "COMPLETED"): {"SYSTEM"},
    ("PENDING", "CANCELLED"): {"CASHIER", "MANAGER", "OWNER"},
    ("PREPARING", "CANCELLED"): {"MANAGER", "OWNER"},
}

TICKET_STATUSES = ["NEW", "IN_PROGRESS", "DONE"]
EXPECTED_TICKET_TABLE = {
    ("NEW", "IN_PROGRESS"): {"KITCHEN", "CASHIER", "MANAGER", "OWNER"},
    ("IN_PROGRESS", "DONE"): {"KITCHEN", "CASHIER", "MANAGER", "OWNER"},
    ("DONE", "IN_PROGRESS"): {"KITCHEN", "CASHIER", "MANAGER", "OWNER"},
}


def expected_code(table: dict, kind: str, from_status: str, to_status: str, actor) -> str | None:
    allowed = table.get((from_status, to_status))
    if allowed is None or (allowed == {"SYSTEM"} and actor != "SYSTEM"):
        return f"{kind}.illegal_transition"
    return None if actor in allowed else f"{kind}.transition_forbidden"


def outcome(check, *args) -> str | None:
    try:
        check(*args)
    except ApplicationError as error:
        return error.code
    return None


@pytest.mark.parametrize(
    ("from_status", "to_status", "actor"), list(itertools.product(ORDER_STATUSES, ORDER_STATUSES, ACTORS))
)
def test_order_transition_follows_the_issue_table(from_status, to_status, actor):
    expected = expected_code(EXPECTED_ORDER_TABLE, "order", from_status, to_status, actor)
    assert outcome(check_order_transition, from_status, to_status, actor) == expected


@pytest.mark.parametrize(
    ("from_status", "to_status", "actor"), list(itertools.product(TICKET_STATUSES, TICKET_STATUSES, ACTORS[:5]))
)
def test_ticket_transition_follows_the_issue_table(from_status, to_status, actor):
    expected = expected_code(EXPECTED_TICKET_TABLE, "ticket", from_status, to_status, actor)
    assert outcome(check_ticket_transition, from_status, to_status, actor) == expected


def test_an_illegal_transition_is_a_409_and_a_forbidden_one_a_403():
    with pytest.raises(ApplicationError) as illegal:
        check_order_transition("COMPLETED", "PENDING", "OWNER")
    with pytest.raises(ApplicationError) as forbidden:
        check_order_transition("PREPARING", "CANCELLED", "CASHIER")
    assert (illegal.value.status, forbidden.value.status) == (409, 403)
