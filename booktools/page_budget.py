"""What a page costs a phone on a slow link, measured so that a busy machine cannot change it.

A speed score (Lighthouse's performance, its largest-paint time) is a timing:
Lighthouse simulates a slow phone, but it still measures the page's work on this
machine's CPU, so a second busy core moved scores by tens of points between runs
of the same build. Such scores are reported as a benchmark
(:mod:`booktools.lighthouse`), never gated. The gate checks what makes a page
slow and does not depend on the machine's load, as the browser itself reports it
while the page loads (:func:`measure`):

- **bytes**: everything the page transfers on a first visit, text compressed as a
  web host sends it;
- **requests**: how many files it fetches;
- **render-blocking resources**: what the browser must fetch before it can paint
  anything, by Chromium's own verdict (``renderBlockingStatus`` of the Resource
  Timing API): style sheets only, no script, and few bytes of them;
- **DOM size**: the elements of the document, which every style and layout pass
  walks;
- **the largest paint**: the element of Chromium's last largest-contentful-paint
  candidate, and, when it is an image, that image's bytes; a page whose largest
  paint is a heavy picture paints late however fast the rest is.

:data:`LIMITS` holds the limits, :func:`problems` names what a page exceeds.
``tests/test_site_browser.py`` gates every page on them, and plants a
render-blocking script and a heavy image in a copy of a page to show that they are
caught.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: The most a page may have of each measure.
LIMITS = {
    "bytes": 600_000,  # transferred on a first visit, compressed
    "requests": 60,  # files fetched, the page itself included
    "blocking_bytes": 100_000,  # transferred by render-blocking style sheets (the theme's: 76 kB)
    "elements": 6_000,  # elements in the document
    "largest_paint_image_bytes": 100_000,  # an image that is the largest paint
}

#: The browser's own account of a loaded page: every entry of the Resource Timing API,
#: the document's elements, and the last candidate for the largest contentful paint.
_MEASURE = """async () => {
  const entries = performance.getEntriesByType("navigation")
    .concat(performance.getEntriesByType("resource"));
  const size = (entry) => entry.transferSize || entry.encodedBodySize || 0;
  const paint = await new Promise((resolve) => {
    const observer = new PerformanceObserver((list) => {
      const all = list.getEntries();
      resolve(all.length ? all[all.length - 1] : null);
    });
    observer.observe({ type: "largest-contentful-paint", buffered: true });
    setTimeout(() => resolve(null), 3000);
  });
  const image = paint && paint.url
    ? entries.find((entry) => entry.name === paint.url) : null;
  return {
    bytes: entries.reduce((sum, entry) => sum + size(entry), 0),
    requests: entries.length,
    blocking: entries
      .filter((entry) => entry.renderBlockingStatus === "blocking")
      .map((entry) => ({ url: entry.name, kind: entry.initiatorType, bytes: size(entry) })),
    elements: document.getElementsByTagName("*").length,
    largest_paint: paint && {
      element: paint.element ? paint.element.tagName.toLowerCase() : null,
      area: paint.size,
      url: paint.url || null,
      bytes: image ? size(image) : 0,
    },
  };
}"""


@dataclass
class PageFacts:
    """What a loaded page cost, as the browser reports it."""

    bytes: int
    requests: int
    blocking: list[dict] = field(default_factory=list)  # {url, kind, bytes}
    elements: int = 0
    largest_paint: dict | None = None  # {element, area, url, bytes}

    @property
    def blocking_bytes(self) -> int:
        """The bytes of the render-blocking style sheets."""
        return sum(resource["bytes"] for resource in self.blocking if _is_style_sheet(resource))

    @property
    def blocking_others(self) -> list[dict]:
        """Render-blocking resources that are not style sheets (scripts, mostly)."""
        return [resource for resource in self.blocking if not _is_style_sheet(resource)]


def _is_style_sheet(resource: dict) -> bool:
    path = resource["url"].split("?", 1)[0].split("#", 1)[0]
    return resource["kind"] in ("link", "css") and path.endswith(".css")


def measure(page) -> PageFacts:
    """The facts of a Playwright page that has finished loading."""
    return PageFacts(**page.evaluate(_MEASURE))


def problems(facts: PageFacts, limits: dict = LIMITS) -> list[str]:
    """Every limit the page exceeds, one line each (empty when it keeps them all)."""
    found = []
    if facts.bytes > limits["bytes"]:
        found.append(f"it transfers {facts.bytes:,} bytes, over {limits['bytes']:,}")
    if facts.requests > limits["requests"]:
        found.append(f"it makes {facts.requests} requests, over {limits['requests']}")
    for resource in facts.blocking_others:
        found.append(
            "a render-blocking resource that is not a style sheet"
            f" ({resource['bytes']:,} bytes): {resource['url']}"
        )
    if facts.blocking_bytes > limits["blocking_bytes"]:
        found.append(
            f"its render-blocking style sheets transfer {facts.blocking_bytes:,} bytes,"
            f" over {limits['blocking_bytes']:,}"
        )
    if facts.elements > limits["elements"]:
        found.append(f"its document has {facts.elements:,} elements, over {limits['elements']:,}")
    paint = facts.largest_paint
    if paint is None:
        found.append("the browser reported no largest contentful paint")
    elif paint["url"] and paint["bytes"] > limits["largest_paint_image_bytes"]:
        found.append(
            f"its largest paint is an image of {paint['bytes']:,} bytes"
            f" (over {limits['largest_paint_image_bytes']:,}): {paint['url']}"
        )
    return found
