"""axe-core in a Playwright page: the accessibility check every page of the product passes.

`assert_accessible(page)` loads the vendored axe-core (testing/vendor/axe-core, MPL-2.0; the product never serves
it) into the page as it is now, runs the WCAG 2.0/2.1 A and AA rules and fails with each serious or critical
violation (rule, help, the nodes' selectors and axe's summary). Call it again after opening a dialog or a menu:
axe checks what is rendered, hidden elements aside.

The script goes in through `page.evaluate` (the DevTools protocol), not a `<script>` tag: the screens' strict
Content-Security-Policy refuses inline scripts, and the evaluation is not subject to it.
"""

from pathlib import Path

AXE_SOURCE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
BLOCKING_IMPACTS = frozenset({"serious", "critical"})

RUN_AXE = """async ({tags, exclude}) => {
  const context = exclude.length ? {include: [document], exclude: exclude.map(selector => [selector])} : document;
  const results = await axe.run(context, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary})),
  }));
}"""


def axe_violations(page, *, exclude: tuple[str, ...] = ()) -> list[dict]:
    """Every WCAG A/AA violation axe finds in the page, whatever its impact; `exclude` lists CSS selectors of
    parts that are not ours (a third-party widget), each to be named with its reason by the caller."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    return page.evaluate(RUN_AXE, {"tags": list(WCAG_TAGS), "exclude": list(exclude)})


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['url']})")
        lines.extend(f"    {node['target']}: {node['summary']}".replace("\n", " ") for node in violation["nodes"])
    return "\n".join(lines)


def assert_accessible(page, *, exclude: tuple[str, ...] = (), where: str = "") -> None:
    """Fail on any serious or critical WCAG 2.1 A/AA violation in the page as rendered now."""
    blocking = [v for v in axe_violations(page, exclude=exclude) if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe found serious or critical violations on {where or page.url}:\n{describe(blocking)}"
