"""JSON from outside, parsed with a bound on nesting: the one loader for API bodies, pages and socket frames.

`json.loads` on 100,000 `[` raises `RecursionError` (not `ValueError`), which callers catching `ValueError` turn
into a 500 or a dead socket. Here any document nested deeper than `MAX_JSON_DEPTH` is a `ValueError`; the depth
is measured on the parsed value, so a normal body costs one walk over its few nodes.
"""

import json

MAX_JSON_DEPTH = 32  # the deepest document a client of ours sends is 4 levels (an order's lines' modifiers)


class JSONTooDeep(ValueError):
    pass


def json_depth(value) -> int:
    """How deeply lists and objects nest in a parsed value (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def loads(data, *, max_depth: int = MAX_JSON_DEPTH):
    """`json.loads`, but a `ValueError` (`JSONTooDeep`) for a document nested deeper than max_depth."""
    try:
        value = json.loads(data)
    except RecursionError:
        raise JSONTooDeep(f"JSON nested deeper than {max_depth} levels.") from None
    if json_depth(value) > max_depth:
        raise JSONTooDeep(f"JSON nested deeper than {max_depth} levels.")
    return value
