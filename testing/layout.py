"""Layout check of a Playwright page as rendered now: no horizontal scroll, no text drawn over other text.

`layout_problems(page)` runs one `page.evaluate` and returns
- `overflow`: `document.documentElement.scrollWidth` against `window.innerWidth`, with the widest elements that
  stick out past the viewport's right edge (outermost first: an element whose parent sticks out too is left out,
  so the cause is named rather than everything it pushes);
- `overlaps`: pairs of visible text that intersect by more than `OVERLAP_TOLERANCE_PX` both ways. Text is
  measured as drawn: the client rects of each element's own non-blank text nodes (a Range per node, so an
  inline label wrapping over two lines is two boxes, not one bounding square), clipped by every ancestor that
  clips (overflow other than visible, `clip`/`clip-path`), and kept only when visible (rendered, not
  `visibility: hidden`, opacity above zero, inside the document's scrollable area, larger than 1 px: a
  screen-reader-only label is a 1 px clipped box). When a modal `<dialog>` is open only the top one is checked:
  its backdrop covers the rest.

Pairs are found by sorting the boxes by their left edge and sweeping, so a page of a few thousand text nodes
stays fast. `assert_layout_fits(page)` fails with both lists, the texts named.
"""

OVERLAP_TOLERANCE_PX = 1
REPORTED = 8  # of each kind: enough to find the cause without drowning it

MEASURE = """({tolerance, reported}) => {
  const root = document.documentElement;
  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += "#" + el.id;
    const classes = [...el.classList].slice(0, 3);
    if (classes.length) name += "." + classes.join(".");
    return name;
  };
  const short = (text) => {
    const clean = text.replace(/\\s+/g, " ").trim();
    return clean.length > 60 ? clean.slice(0, 57) + "..." : clean;
  };
  const visibleStyle = (el) => el.checkVisibility({opacityProperty: true, visibilityProperty: true});
  const clips = (style) =>
    style.overflowX !== "visible" || style.overflowY !== "visible" || style.clipPath !== "none" ||
    (style.clip && style.clip !== "auto");

  // The overflow: the outermost elements whose right edge passes the viewport's and that no ancestor clips.
  const width = window.innerWidth;
  const offenders = [];
  const walker = document.createTreeWalker(document.body || root, NodeFilter.SHOW_ELEMENT);
  const clipped = new WeakSet();
  for (let el = walker.currentNode; el; el = walker.nextNode()) {
    const parent = el.parentElement;
    const clippingParent = parent && parent !== root && parent !== document.body &&
      (clipped.has(parent) || clips(getComputedStyle(parent)));
    if (clippingParent) {
      clipped.add(el);
      continue;
    }
    const box = el.getBoundingClientRect();
    const right = box.right + window.scrollX;
    if (box.width === 0 || right <= width + tolerance) continue;
    const parentRight = parent && parent !== root ? parent.getBoundingClientRect().right + window.scrollX : 0;
    if (parentRight > width + tolerance && parent !== document.body) continue;
    offenders.push({element: describe(el), right: Math.round(right), width: Math.round(box.width),
                    text: short(el.innerText || el.textContent || "")});
  }
  offenders.sort((a, b) => b.right - a.right);

  // The text boxes.
  const modals = [...document.querySelectorAll("dialog[open]")].filter((d) => d.matches(":modal"));
  const scope = modals.length ? modals[modals.length - 1] : document.body || root;
  const pageWidth = root.scrollWidth, pageHeight = root.scrollHeight;
  const clipBoxes = new Map();  // element -> its clip rect in page coordinates, or null
  const clipOf = (el) => {
    if (clipBoxes.has(el)) return clipBoxes.get(el);
    const parent = el.parentElement;
    let box = parent && parent !== root ? clipOf(parent) : {left: 0, top: 0, right: pageWidth, bottom: pageHeight};
    const style = getComputedStyle(el);
    if (el !== scope && style.position === "fixed") {
      box = {left: 0, top: 0, right: pageWidth, bottom: pageHeight};
    }
    if (box && clips(style) && el !== document.body && el !== root) {
      const own = el.getBoundingClientRect();
      box = {
        left: Math.max(box.left, own.left + window.scrollX),
        top: Math.max(box.top, own.top + window.scrollY),
        right: Math.min(box.right, own.right + window.scrollX),
        bottom: Math.min(box.bottom, own.bottom + window.scrollY),
      };
      if (box.right <= box.left || box.bottom <= box.top) box = null;
    }
    clipBoxes.set(el, box);
    return box;
  };
  const boxes = [];
  const texts = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => /\\S/.test(node.data) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT,
  });
  const range = document.createRange();
  for (let node = texts.nextNode(); node; node = texts.nextNode()) {
    const el = node.parentElement;
    if (!el || ["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "OPTION"].includes(el.tagName)) continue;
    if (!visibleStyle(el)) continue;
    const clip = clipOf(el);
    if (!clip) continue;
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      const left = Math.max(r.left + window.scrollX, clip.left), right = Math.min(r.right + window.scrollX, clip.right);
      const top = Math.max(r.top + window.scrollY, clip.top), bottom = Math.min(r.bottom + window.scrollY, clip.bottom);
      if (right - left <= 1 || bottom - top <= 1) continue;
      boxes.push({el, node, left, right, top, bottom});
    }
  }
  boxes.sort((a, b) => a.left - b.left);
  const overlaps = [];
  const seen = new Set();
  const active = [];
  for (const box of boxes) {
    for (let i = active.length - 1; i >= 0; i--) {
      if (active[i].right - box.left <= tolerance) active.splice(i, 1);
    }
    for (const other of active) {
      if (other.el === box.el) continue;
      const x = Math.min(other.right, box.right) - box.left;
      const y = Math.min(other.bottom, box.bottom) - Math.max(other.top, box.top);
      if (x <= tolerance || y <= tolerance) continue;
      const first = describe(other.el) + ": " + short(other.node.data);
      const second = describe(box.el) + ": " + short(box.node.data);
      const key = first + "|" + second;
      if (seen.has(key)) continue;
      seen.add(key);
      overlaps.push({first, second, by: [Math.round(x), Math.round(y)]});
    }
    active.push(box);
  }
  return {
    scrollWidth: root.scrollWidth, innerWidth: width,
    overflow: root.scrollWidth > width ? offenders.slice(0, reported) : [],
    overlaps: overlaps.slice(0, reported), overlapCount: overlaps.length, textBoxes: boxes.length,
  };
}"""


def layout_problems(page) -> dict:
    """The page's horizontal overflow and overlapping texts as rendered now (see the module docstring)."""
    return page.evaluate(MEASURE, {"tolerance": OVERLAP_TOLERANCE_PX, "reported": REPORTED})


def describe(problems: dict) -> str:
    lines = []
    if problems["scrollWidth"] > problems["innerWidth"]:
        lines.append(f"scrolls sideways: {problems['scrollWidth']} px wide in a {problems['innerWidth']} px window")
        lines.extend(
            f"    {o['element']} ends at {o['right']} px ({o['width']} px wide): {o['text']!r}"
            for o in problems["overflow"]
        )
    if problems["overlaps"]:
        lines.append(f"{problems['overlapCount']} pairs of texts overlap:")
        lines.extend(
            f"    {o['first']!r} and {o['second']!r} by {o['by'][0]}x{o['by'][1]} px" for o in problems["overlaps"]
        )
    return "\n".join(lines)


def assert_layout_fits(page, *, where: str = "") -> None:
    """Fail when the page scrolls sideways or any two visible texts overlap."""
    problems = layout_problems(page)
    assert problems["scrollWidth"] <= problems["innerWidth"] and not problems["overlaps"], (
        f"the layout of {where or page.url} does not fit:\n{describe(problems)}"
    )
