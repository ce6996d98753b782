// Glossary definitions beside the words that link to them.
//
// booktools/term_tips.py gives every {term} link of the web site the class
// "term-link", loads this module on the pages that have one, and writes the
// glossary's definitions to glossary-terms.json beside it, keyed by each term's
// anchor on the glossary page ("term-weight"). When a reader points at a term
// link, or reaches it with the keyboard, the definition shows beside it, in a
// tooltip that the link names with aria-describedby. It stays while the pointer
// is on the link or on the tooltip, and Escape or leaving closes it. The link
// itself still leads to the glossary.
//
// The definitions are fetched once, at the first hover or focus, so a page that
// nobody hovers costs only this file.

const SOURCE = new URL("glossary-terms.json", import.meta.url);
const LINKS = "a.term-link";
const GAP = 6; // pixels between the link and the tooltip
const MARGIN = 8; // the least room kept between the tooltip and the window's edges
const LINGER = 200; // ms the tooltip waits for the pointer to reach it

let definitions = null; // a promise of {anchor: {term, definition}}
let wanted = null; // the link whose definition should show, once loaded
let shownFor = null; // the link whose definition is shown
let hiding = 0;

function load() {
  definitions ??= fetch(SOURCE).then((response) =>
    response.ok ? response.json() : Promise.reject(new Error(`${SOURCE}: ${response.status}`)),
  );
  return definitions;
}

const tip = document.createElement("div");
tip.id = "term-tip";
tip.className = "term-tip";
tip.setAttribute("role", "tooltip");
tip.hidden = true;
document.body.append(tip);

function anchorOf(link) {
  return decodeURIComponent(new URL(link.href, document.baseURI).hash.slice(1));
}

function place(link) {
  // Below the link, or above it when the window has no room below.
  const box = link.getBoundingClientRect();
  const width = tip.offsetWidth;
  const height = tip.offsetHeight;
  const left = Math.max(MARGIN, Math.min(box.left, window.innerWidth - width - MARGIN));
  const below = box.bottom + GAP + height + MARGIN <= window.innerHeight;
  const top = below ? box.bottom + GAP : Math.max(MARGIN, box.top - GAP - height);
  tip.style.left = `${left + window.scrollX}px`;
  tip.style.top = `${top + window.scrollY}px`;
}

async function show(link) {
  clearTimeout(hiding);
  wanted = link;
  if (shownFor === link) return;
  let entry;
  try {
    entry = (await load())[anchorOf(link)];
  } catch (error) {
    console.warn("No glossary definitions:", error);
    return;
  }
  if (wanted !== link || !entry) return;
  shownFor?.removeAttribute("aria-describedby");
  const term = document.createElement("strong");
  term.textContent = entry.term;
  tip.replaceChildren(term, `: ${entry.definition}`);
  tip.hidden = false;
  place(link);
  link.setAttribute("aria-describedby", tip.id);
  shownFor = link;
}

function hide() {
  clearTimeout(hiding);
  wanted = null;
  if (!shownFor) return;
  shownFor.removeAttribute("aria-describedby");
  shownFor = null;
  tip.hidden = true;
}

function hideSoon() {
  clearTimeout(hiding);
  hiding = setTimeout(hide, LINGER);
}

function linkIn(event) {
  return event.target instanceof Element ? event.target.closest(LINKS) : null;
}

document.addEventListener("mouseover", (event) => {
  const link = linkIn(event);
  if (link) show(link);
  else if (tip.contains(event.target)) clearTimeout(hiding);
});
document.addEventListener("mouseout", (event) => {
  const from = linkIn(event) || (tip.contains(event.target) ? tip : null);
  if (from && !(event.relatedTarget instanceof Node && from.contains(event.relatedTarget))) {
    hideSoon();
  }
});
document.addEventListener("focusin", (event) => {
  const link = linkIn(event);
  if (link) show(link);
});
document.addEventListener("focusout", (event) => {
  if (linkIn(event) === shownFor) hide();
});
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") hide();
});
window.addEventListener("resize", () => hide());
