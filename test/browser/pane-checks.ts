/** What every pane test checks of a page: axe-core finds no violation, and nothing scrolls sideways. */
import type { Page } from 'playwright-core';

const AXE = require.resolve('axe-core/axe.min.js');

interface AxeViolation {
  id: string;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's violations on the page as it stands, each as "rule: help (elements)". */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const violations = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: unknown[] }> } }).axe;
    // Fluent's tabster focus guards are hidden, focusable <i> elements that axe reads as content
    // without a name; they are not content (they hand focus around popups), so they are left out.
    return (await axe.run({ exclude: [['[data-tabster-dummy]']] }, { resultTypes: ['violations'] })).violations;
  })) as AxeViolation[];
  return violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/** How far the page scrolls sideways (0 when it fits), with the elements that stick out when it does not. */
export const sideways = (page: Page) =>
  page.evaluate(() => {
    const { scrollWidth, clientWidth } = document.documentElement;
    if (scrollWidth <= clientWidth) return 0;
    const out = [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > clientWidth + 0.5 && e.getClientRects().length > 0);
    const leaves = out.filter((e) => !out.some((o) => o !== e && e.contains(o))).slice(0, 5);
    return `${scrollWidth - clientWidth} px: ${leaves.map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].slice(0, 2).join('.')} "${(e.textContent ?? '').slice(0, 30)}" ${Math.round(e.getBoundingClientRect().width)}px`).join('; ')}`;
  });

