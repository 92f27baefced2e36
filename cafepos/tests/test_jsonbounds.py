import pytest

from cafepos import jsonbounds


def test_a_document_nested_past_the_python_recursion_limit_is_a_value_error():
    with pytest.raises(ValueError):
        jsonbounds.loads("[" * 100_000 + "]" * 100_000)


def test_a_document_one_level_past_the_bound_is_refused_and_one_at_it_is_read():
    at_bound = "[" * jsonbounds.MAX_JSON_DEPTH + "]" * jsonbounds.MAX_JSON_DEPTH
    assert jsonbounds.json_depth(jsonbounds.loads(at_bound)) == jsonbounds.MAX_JSON_DEPTH
    with pytest.raises(jsonbounds.JSONTooDeep):
        jsonbounds.loads("[" + at_bound + "]")


def test_depth_counts_objects_and_lists_but_not_scalars():
    assert jsonbounds.json_depth(5) == 0
    assert jsonbounds.json_depth({"lines": [{"modifiers": [1, 2]}], "note": "x"}) == 4
