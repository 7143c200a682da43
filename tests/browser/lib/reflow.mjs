// Reflow (WCAG 1.4.10): at phone widths the page fits the screen, no horizontal scrolling.

/**
 * Runs in the page. Measures the document against the device width and lists the elements
 * that stick out to the right although their parent fits: where the overflow starts.
 */
function measure(width) {
  const root = document.documentElement;
  const describe = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
      const id = e.id ? `#${e.id}` : '';
      const cls = [...e.classList].slice(0, 2).map((c) => `.${c}`).join('');
      parts.unshift(`${e.localName}${id}${cls}`);
    }
    return parts.join(' > ');
  };
  // An element inside a scrolling or clipping box does not widen the page.
  const clipped = (el) => {
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      const overflow = getComputedStyle(e).overflowX;
      if (overflow !== 'visible') return true;
    }
    return false;
  };
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const rect = el.getBoundingClientRect();
    if (rect.right > width + 1 && rect.width > 0 && !clipped(el)) wide.push({ el, right: Math.round(rect.right) });
  }
  const wideElements = new Set(wide.map(({ el }) => el));
  const origins = wide.filter(({ el }) => !wideElements.has(el.parentElement));
  return {
    layoutWidth: root.clientWidth,
    scrollWidth: Math.max(root.scrollWidth, document.body.scrollWidth),
    innerWidth: window.innerWidth,
    offenders: origins.slice(0, 8).map(({ el, right }) => `${describe(el)} reaches ${right} px`),
  };
}

/** Problems with horizontal scrolling at `width` px (device width of an emulated phone). */
export async function reflowProblems(page, width) {
  const m = await page.evaluate(measure, width);
  const problems = [];
  if (m.layoutWidth > width) {
    problems.push(`the page is laid out ${m.layoutWidth} px wide on a ${width} px screen ` +
      '(is <meta name="viewport" content="width=device-width, initial-scale=1"> missing?)');
  }
  if (m.scrollWidth > width || m.scrollWidth > m.innerWidth) {
    problems.push(`horizontal scrolling: the document is ${m.scrollWidth} px wide, the screen ${width} px` +
      (m.offenders.length ? `; too wide:\n${m.offenders.join('\n')}` : ''));
  }
  return problems;
}
