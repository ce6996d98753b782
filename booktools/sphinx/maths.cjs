// Typeset TeX as SVG with the site's own MathJax (sphinx-mathjax-offline's copy,
// run in Node.js), for booktools/sphinx/maths.py. Reads JSON from stdin:
//   {"mathjax": "<the mathjax folder>", "pages": [[{"tex": "...", "display": true}, ...], ...]}
// and writes JSON to stdout: {"css": "<the style sheet SVG output needs>",
//   "pages": [{"html": ["<mjx-container ...>", ...], "glyphs": "<svg ...><defs>...</defs></svg>"}, ...],
//   "errors": ["<TeX MathJax could not read>", ...]}.
// Each formula carries its MathML for screen readers (assistive MathML) beside an
// SVG hidden from them. A page's formulas share one set of glyph outlines
// ("glyphs", to put once in the page) instead of repeating them in every formula.
"use strict";
const chunks = [];
process.stdin.on("data", (chunk) => chunks.push(chunk));
process.stdin.on("end", async () => {
  const request = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const mathjax = await require(`${request.mathjax}/node-main.js`).init({
    loader: { load: ["input/tex", "output/svg", "a11y/assistive-mml"] },
    svg: { fontCache: "global" },
    options: { enableAssistiveMml: true },
  });
  const adaptor = mathjax.startup.adaptor;
  const fontCache = mathjax.startup.output.fontCache;
  const pages = [];
  const errors = [];
  for (const formulas of request.pages) {
    fontCache.clearCache();
    const html = [];
    for (const { tex, display } of formulas) {
      const text = adaptor.outerHTML(await mathjax.tex2svgPromise(tex, { display }));
      if (text.includes("data-mjx-error")) errors.push(tex);
      html.push(text);
    }
    const defs = adaptor.outerHTML(fontCache.getCache());
    const glyphs = `<svg id="MJX-SVG-global-cache" xmlns="http://www.w3.org/2000/svg" style="display: none" aria-hidden="true">${defs}</svg>`;
    pages.push({ html, glyphs });
  }
  const css = adaptor.textContent(mathjax.svgStylesheet());
  process.stdout.write(JSON.stringify({ css, pages, errors }));
});
