"""Values cached under a version token: served while the token holds, rebuilt after a bump or over a foreign entry."""

from django.core.cache import cache

from cafepos.versioned_cache import version_bump, versioned


class Builds:
    def __init__(self):
        self.count = 0

    def __call__(self):
        self.count += 1
        return {"built": self.count}


def test_a_value_is_built_once_then_served_until_its_version_is_bumped():
    build = Builds()
    assert versioned("t:version", "t:value", build, what="test") == {"built": 1}
    assert versioned("t:version", "t:value", build, what="test") == {"built": 1}

    version_bump("t:version", what="test")

    assert versioned("t:version", "t:value", build, what="test") == {"built": 2}


def test_an_entry_of_another_shape_under_the_key_is_rebuilt_not_served():
    # e.g. the release before stored its entries under other field names
    versioned("u:version", "u:value", Builds(), what="test")
    cache.set("u:value", {"version": cache.get("u:version"), "menu": {"stale": True}})

    assert versioned("u:version", "u:value", Builds(), what="test") == {"built": 1}


def test_prefetched_entries_are_used_as_they_are():
    build = Builds()
    versioned("p:version", "p:value", build, what="test")
    prefetched = cache.get_many(["p:version", "p:value"])
    cache.set("p:value", "not read")

    assert versioned("p:version", "p:value", build, what="test", prefetched=prefetched) == {"built": 1}
    assert build.count == 1
