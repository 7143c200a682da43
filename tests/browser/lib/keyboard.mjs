// Keyboard use: Tab through a page from its start, the way a keyboard user does, and record
// every element that receives focus, where it is and how it looks focused and unfocused.

// What may change to show focus. A different text colour or underline alone does not count.
const LOOK_PROPERTIES = [
  'outline-style', 'outline-width', 'outline-color', 'box-shadow',
  'background-color', 'background-image',
  'border-top-color', 'border-right-color', 'border-bottom-color', 'border-left-color',
  'border-top-width', 'border-right-width', 'border-bottom-width', 'border-left-width',
  'border-top-style', 'border-right-style', 'border-bottom-style', 'border-left-style',
];

/**
 * Runs in the page before the first Tab. Collects the interactive elements a keyboard
 * user must reach, in DOM order, and records the focused element on every Tab keydown,
 * i.e. after the previous Tab has moved focus and scrolled it into view.
 */
function installRecorder(lookProperties) {
  const SELECTOR = [
    'a[href]', 'area[href]', 'button', 'input:not([type="hidden"])', 'select', 'textarea',
    'summary', 'iframe', 'audio[controls]', 'video[controls]', '[contenteditable=""]',
    '[contenteditable="true"]', '[tabindex]',
  ].join(',');

  const describe = (el) => {
    const id = el.id ? `#${el.id}` : '';
    const classes = [...el.classList].slice(0, 2).map((c) => `.${c}`).join('');
    const label = el.labels?.[0]?.textContent;
    const text = (el.getAttribute('aria-label') || label || el.textContent || el.getAttribute('title') || '')
      .replace(/\s+/g, ' ').trim().slice(0, 50);
    const href = el.getAttribute('href');
    return `<${el.localName}${id}${classes}>${text ? ` "${text}"` : ''}${href ? ` (href ${href})` : ''}`;
  };

  const mustBeReachable = (el) => {
    const tabindex = el.getAttribute('tabindex');
    if (tabindex !== null && Number.parseInt(tabindex, 10) < 0) return false;
    if (el.matches(':disabled') || el.closest('[inert]')) return false;
    if (el.localName === 'summary') {
      const details = el.parentElement;
      const isToggle = details?.localName === 'details' && details.querySelector(':scope > summary') === el;
      if (!isToggle && tabindex === null) return false;
    }
    // Not display: none, not visibility: hidden, not inside a closed <details>.
    return el.checkVisibility({ visibilityProperty: true, checkVisibilityCSS: true });
  };

  const look = (el) => {
    const style = getComputedStyle(el);
    return Object.fromEntries(lookProperties.map((p) => [p, style.getPropertyValue(p)]));
  };

  // Why a focused element cannot be seen where it is, or null.
  const invisibility = (rect) => {
    const box = `${rect.width.toFixed(1)}×${rect.height.toFixed(1)} px at ${Math.round(rect.left)},${Math.round(rect.top)}`;
    if (rect.width < 1 || rect.height < 1) return `it is too small to see (${box})`;
    const inViewport = rect.right > 0 && rect.bottom > 0 && rect.left < window.innerWidth && rect.top < window.innerHeight;
    return inViewport ? null : `it stays outside the screen (${box}, screen ${window.innerWidth}×${window.innerHeight})`;
  };

  const tabbables = [...document.querySelectorAll(SELECTOR)].filter(mustBeReachable);
  // One entry per Tab keydown (the first: before any Tab), null while nothing is focused.
  const snapshots = [];
  const focusedElements = [];

  const snapshot = () => {
    const el = document.activeElement;
    const focused = el && el !== document.body && el !== document.documentElement ? el : null;
    focusedElements.push(focused);
    if (!focused) return null;
    // Finish CSS transitions, so the computed style is the final focused look.
    for (const animation of document.getAnimations()) animation.finish();
    const rect = el.getBoundingClientRect();
    return {
      index: tabbables.indexOf(el),
      description: describe(el),
      hidden: invisibility(rect),
      look: look(el),
    };
  };

  // Start from the top of the document, also on a page with autofocus.
  document.activeElement?.blur();
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Tab') snapshots.push(snapshot());
  }, true);

  window.__quartierKeyboard = {
    expected: tabbables.map(describe),
    // Done when focus has left the document or come round to the first stop again.
    done() {
      const stops = snapshots.slice(1);
      const first = stops[0];
      return stops.some((s, i) => i > 0 && (s === null || (first && s.index !== -1 && s.index === first.index)));
    },
    finish() {
      snapshots.push(snapshot());
      const stops = [];
      for (const s of snapshots.slice(1)) {
        if (s === null || (stops.length > 0 && s.index !== -1 && s.index === stops[0].index)) break;
        stops.push(s);
      }
      const stopElements = focusedElements.slice(1, 1 + stops.length);
      this.firstStop = stopElements[0] ?? null;
      document.activeElement?.blur();
      for (const animation of document.getAnimations()) animation.finish();
      stops.forEach((s, i) => {
        s.unfocusedLook = look(stopElements[i]);
      });
      return { expected: this.expected, stops, complete: this.done() };
    },
  };
  return tabbables.length;
}

/**
 * Tabs through the freshly loaded page from its start until focus leaves the page.
 * Returns { expected: [description], stops: [{ index, description, hidden, look,
 * unfocusedLook }], complete }.
 */
export async function tabThrough(page) {
  const count = await page.evaluate(installRecorder, LOOK_PROPERTIES);
  const limit = count + 50;
  let presses = 0;
  while (presses < limit) {
    // Key events go to the page in the order they are sent, so a batch need not wait for
    // each press; the recorder sees one keydown per press either way.
    const batch = Math.min(20, limit - presses);
    await Promise.all(Array.from({ length: batch }, () => page.keyboard.press('Tab')));
    presses += batch;
    if (await page.evaluate(() => window.__quartierKeyboard.done())) break;
  }
  return page.evaluate(() => window.__quartierKeyboard.finish());
}

const isTransparent = (color) => /^transparent$|^rgba\(.*,\s*0\)$/.test(color.trim());
const paint = (color) => (isTransparent(color) ? 'transparent' : color);

function outline(look) {
  const visible = look['outline-style'] !== 'none' && Number.parseFloat(look['outline-width']) > 0 &&
    !isTransparent(look['outline-color']);
  return visible ? `${look['outline-style']} ${look['outline-width']} ${look['outline-color']}` : 'none';
}

// A border side as drawn: its colour only counts when it has a width and a style.
function borders(look) {
  return ['top', 'right', 'bottom', 'left'].map((side) => {
    const style = look[`border-${side}-style`];
    const width = Number.parseFloat(look[`border-${side}-width`]);
    const color = look[`border-${side}-color`];
    return style === 'none' || style === 'hidden' || !(width > 0) || isTransparent(color)
      ? 'none'
      : `${style} ${width}px ${color}`;
  }).join(' / ').replace(/^none \/ none \/ none \/ none$/, 'none');
}

/**
 * Why a focused look does not differ visibly from the unfocused one, or null when it does:
 * an outline (width > 0, style not none, colour not transparent) the element lacks
 * unfocused, or a different box-shadow, background or drawn border.
 */
export function focusIndicatorProblem(focused, unfocused) {
  if (outline(focused) !== 'none' && outline(focused) !== outline(unfocused)) return null;
  if (focused['box-shadow'] !== 'none' && focused['box-shadow'] !== unfocused['box-shadow']) return null;
  if (paint(focused['background-color']) !== paint(unfocused['background-color'])) return null;
  if (focused['background-image'] !== unfocused['background-image']) return null;
  if (borders(focused) !== borders(unfocused)) return null;
  return `focused it looks as unfocused (outline ${outline(focused)}, box-shadow ${focused['box-shadow']}, ` +
    `background ${paint(focused['background-color'])}, border ${borders(focused)})`;
}

/**
 * Problems of a Tab walk: interactive elements never focused, focus out of DOM order,
 * focused elements off screen or without a visible focus indicator, no end (a trap).
 */
export function tabOrderProblems({ expected, stops, complete }) {
  const problems = [];
  if (!complete) {
    problems.push(`focus did not leave the page after ${stops.length} Tab stops: a keyboard trap?`);
  }
  const reached = new Set(stops.map((s) => s.index));
  expected.forEach((description, i) => {
    if (!reached.has(i)) problems.push(`never receives focus by Tab: ${description} (interactive element ${i + 1} of ${expected.length})`);
  });
  let furthest = -1;
  for (const stop of stops) {
    if (stop.index === -1) continue;
    if (stop.index < furthest) {
      problems.push(`focus goes back against the DOM order: ${stop.description} comes after ${expected[furthest]}`);
    }
    furthest = Math.max(furthest, stop.index);
  }
  for (const stop of stops) {
    if (stop.hidden) problems.push(`focus cannot be seen on ${stop.description}: ${stop.hidden}`);
    const why = focusIndicatorProblem(stop.look, stop.unfocusedLook);
    if (why) problems.push(`no visible focus on ${stop.description}: ${why}`);
  }
  return problems;
}

/**
 * The skip link: the first Tab stop of the walk is a same-page link to the main landmark
 * (or into it), on screen when focused; Enter on it moves focus into main, and the next
 * Tab goes on from there, not back to the header. Returns a list of problems.
 */
export async function skipLinkProblems(page, walk) {
  const first = walk.stops[0];
  if (!first) return ['Tab focuses nothing on this page, so there is no skip link'];
  const link = await page.evaluate(() => {
    const el = window.__quartierKeyboard.firstStop;
    const main = document.querySelector('main, [role="main"]');
    const href = el.getAttribute('href') ?? '';
    let target = null;
    if (el.localName === 'a' && href.startsWith('#') && href.length > 1) {
      target = document.getElementById(decodeURIComponent(href.slice(1)));
    }
    return { hasMain: Boolean(main), leadsToMain: Boolean(main && target && main.contains(target)) };
  });
  if (!link.hasMain) return ['the page has no <main> landmark for a skip link to lead to'];
  if (!link.leadsToMain) return [`the first Tab stop is ${first.description}, not a skip link to <main>`];

  const problems = [];
  if (first.hidden) problems.push(`the focused skip link ${first.description} cannot be seen: ${first.hidden}`);
  await page.evaluate(() => window.__quartierKeyboard.firstStop.focus());
  await page.keyboard.press('Enter');
  const landed = await page.evaluate(() => {
    const el = document.activeElement;
    const main = document.querySelector('main, [role="main"]');
    return { inMain: Boolean(el && main.contains(el)), description: el ? `<${el.localName}${el.id ? `#${el.id}` : ''}>` : 'nothing' };
  });
  if (!landed.inMain) {
    problems.push(`Enter on the skip link leaves focus on ${landed.description}, not in <main> (does main have tabindex="-1"?)`);
    return problems;
  }
  await page.keyboard.press('Tab');
  const next = await page.evaluate(() => {
    const el = document.activeElement;
    const main = document.querySelector('main, [role="main"]');
    if (!el || el === document.body) return null; // nothing focusable after main
    const goesOn = main.contains(el) || Boolean(main.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
    return goesOn ? null : `<${el.localName}> "${el.textContent.trim().slice(0, 50)}"`;
  });
  if (next) problems.push(`after the skip link, the next Tab goes back before <main> to ${next}`);
  return problems;
}
