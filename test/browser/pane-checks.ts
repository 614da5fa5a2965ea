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


/**
 * Whether what `testId` marks is in sight and nothing covers it (a sticky block, say): scrolled
 * into view where the page puts it, each of a grid of points over it hits the element itself.
 * Returns the points that hit something else, with what they hit ([] when none).
 */
export const coveredPoints = (page: Page, testId: string) =>
  page.evaluate((id) => {
    const target = document.querySelector(`[data-testid="${id}"]`);
    if (!target) return [`no ${id}`];
    const box = target.getBoundingClientRect();
    // Scrolled only as far as needed to bring it in: a sticky block may cover it there.
    if (box.top < 0 || box.bottom > window.innerHeight) target.scrollIntoView({ block: 'nearest' });
    const { left, top, width, height } = target.getBoundingClientRect();
    const covered: string[] = [];
    for (const fx of [0.02, 0.5, 0.98]) {
      for (const fy of [0.05, 0.5, 0.95]) {
        const [x, y] = [left + width * fx, top + height * fy];
        const hit = document.elementFromPoint(x, y);
        if (!hit || !target.contains(hit)) covered.push(`(${Math.round(x)}, ${Math.round(y)}): ${hit ? `${hit.tagName.toLowerCase()} "${(hit.textContent ?? '').slice(0, 30)}"` : 'outside the window'}`);
      }
    }
    return covered;
  }, testId);

/** Whether what `testId` marks is wholly within the window as the page is scrolled now. */
export const inSight = (page: Page, testId: string) =>
  page.getByTestId(testId).evaluate((e) => {
    const { top, bottom } = e.getBoundingClientRect();
    return top >= 0 && bottom <= window.innerHeight;
  });

/**
 * After a change since approval, the root-cause bar is whole and nothing sticky covers it, and the
 * sign-off's action row (Approve, Reopen) is in sight at the top of the page and at the bottom.
 */
export async function rootCauseUncovered(page: Page) {
  await page.evaluate(() => window.scrollTo(0, 0));
  expect(await coveredPoints(page, 'approval-state')).toEqual([]);
  for (const to of ['top', 'bottom']) {
    await page.evaluate((where) => window.scrollTo(0, where === 'top' ? 0 : document.documentElement.scrollHeight), to);
    expect([to, await inSight(page, 'sign-off-actions')]).toEqual([to, true]);
  }
}
