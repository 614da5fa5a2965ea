/**
 * The pane as finance staff meet it in Excel: 320 px and 500 px wide. On every step nothing
 * scrolls sideways and axe-core finds no accessibility violation; the status header says where
 * the month-end stands; steps that cannot run yet say why and link to the step that comes first;
 * focus moves to each outcome; the pane follows a dark color scheme; the preparer cannot approve.
 */
import type { Page } from 'playwright-core';
import { Harness, openPane, readTable, startHarness } from './harness-page';
import { axeViolations, sideways } from './pane-checks';

jest.setTimeout(240_000);

let harness: Harness | undefined;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

const STEPS = ['1. Data', '2. Rules', '3. Allocate', '4. Review', '5. Publish', '6. Budgets'];

async function visitEveryStep(page: Page, width: number) {
  for (const step of STEPS) {
    await page.getByRole('tab', { name: step }).click();
    await page.getByRole('tabpanel').filter({ has: page.getByRole('heading', { level: 2 }) }).first().waitFor();
    expect([width, step, await sideways(page)]).toEqual([width, step, 0]);
    expect([width, step, await axeViolations(page)]).toEqual([width, step, []]);
    // Every step has a heading.
    await expect(page.locator('[role="tabpanel"]:not([hidden]) > h2').count()).resolves.toBe(1);
  }
}

async function pullAndAllocateSample(page: Page) {
  await page.getByRole('tab', { name: '1. Data' }).click();
  await page.getByRole('button', { name: 'Use the sample data' }).click();
  await page.getByTestId('read-summary').waitFor();
  await page.getByRole('combobox', { name: 'Billing period to close' }).click();
  await page.getByRole('option', { name: /^2026-10/ }).click();
  await page.getByRole('button', { name: 'Put in the Costs table' }).click();
  await page.getByTestId('notice').getByText('Costs pulled').waitFor();
  await page.getByRole('tab', { name: '2. Rules' }).click();
  await page.getByRole('button', { name: 'Use the sample rules' }).click();
  await page.getByTestId('notice').getByText('Sample rules loaded').waitFor();
  await page.getByRole('tab', { name: '3. Allocate' }).click();
  await page.getByRole('button', { name: 'Allocate 2026-10' }).click();
  await page.getByTestId('difference').waitFor();
}

describe.each([320, 500])('the pane at %i px', (width) => {
  let page: Page;
  beforeAll(async () => {
    page = await openPane(harness!);
    await page.setViewportSize({ width, height: 800 });
  });
  afterAll(async () => page.close());

  it('on an empty workbook: fits and is accessible on every step; Allocate says to start with 1. Data', async () => {
    await expect(page.getByTestId('status-state').textContent()).resolves.toBe('no data');
    await visitEveryStep(page, width);
    await page.getByRole('tab', { name: '3. Allocate' }).click();
    await expect(page.getByTestId('step-needs').textContent()).resolves.toBe('There are no costs in this workbook yet. Start with 1. Data.');
    const allocate = page.getByRole('button', { name: /^Allocate/ });
    await expect(allocate.getAttribute('aria-disabled')).resolves.toBe('true');
    // Publish says up front that only an approved period can be published, and its button waits for it.
    await page.getByRole('tab', { name: '5. Publish' }).click();
    await expect(page.getByTestId('step-needs').textContent()).resolves.toBe('Only an approved period can be published. Start with 4. Review.');
    await expect(page.getByRole('button', { name: 'Publish', exact: true }).getAttribute('aria-disabled')).resolves.toBe('true');
    await page.getByRole('tab', { name: '3. Allocate' }).click();
    await page.getByTestId('step-needs').getByRole('button', { name: '1. Data' }).click();
    await expect(page.getByRole('tab', { name: '1. Data' }).getAttribute('aria-selected')).resolves.toBe('true');
  });

  it('after pull and allocate: fits and is accessible on every step, with the figures a controller reads', async () => {
    await pullAndAllocateSample(page);
    // Focus moved to the outcome, which is announced.
    await expect(page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).resolves.toBe('notice-region');
    await expect(page.getByTestId('notice-region').getAttribute('role')).resolves.toBe('status');
    await expect(page.getByTestId('status-state').textContent()).resolves.toBe('allocated');
    const figure = async (id: string) => Number((await page.getByTestId(id).textContent())!.replace(/[^\d.-]/g, ''));
    expect(Math.round((await figure('charged-total')) * 100) + Math.round((await figure('unallocated')) * 100)).toBe(Math.round((await figure('allocated-total')) * 100));
    await expect(page.getByTestId('allocation-figures').textContent()).resolves.toMatch(/Unallocated \(\d+\.\d%\)/);
    await visitEveryStep(page, width);
  });
});

describe('approval, segregation of duties and gating', () => {
  let page: Page;
  beforeAll(async () => {
    page = await openPane(harness!);
    await page.setViewportSize({ width: 320, height: 800 });
  });
  afterAll(async () => page.close());

  it('disables Approve up front for whoever pulled and allocated, with the reason and whom to ask, never how to lift it', async () => {
    await pullAndAllocateSample(page);
    const audit = (await readTable(page, 'Audit'))!;
    const preparer = audit.rows.filter((r) => r[1] === 'Pull' || r[1] === 'Allocate').map((r) => r[2]);
    expect(preparer).toEqual(['harness user (typed, not verified)', 'harness user (typed, not verified)']);
    await page.getByRole('tab', { name: '4. Review' }).click();
    await page.getByTestId('approval-state').getByText('2026-10 is open').waitFor();
    const approve = page.getByRole('button', { name: 'Approve 2026-10' });
    // The preparer's name however it is spelled: a capital, a zero-width space, fullwidth letters.
    for (const spelled of ['Harness User', 'harness\u200b user', 'ｈａｒｎｅｓｓ user']) {
      await page.getByRole('textbox', { name: 'Your name' }).fill(spelled);
      await expect(approve.isDisabled()).resolves.toBe(true);
      const reason = page.locator(`#${await approve.getAttribute('aria-describedby')}`);
      await expect(reason.textContent()).resolves.toBe('You prepared 2026-10 (you pulled or allocated it, see Audit), and the preparer may not approve their own work. Ask a reviewer to open this workbook and approve it.');
    }
    await expect(page.getByTestId('sign-off').textContent()).resolves.not.toMatch(/AllowSelfApproval|Settings|policy/);
    expect((await readTable(page, 'Audit'))!.rows.map((r) => r[1])).not.toContain('Approve');
  });

  it('another person approves; then Pull and Allocate are disabled with the reason, and still reachable by keyboard', async () => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    await page.getByRole('textbox', { name: 'Your name' }).fill('Dana Reviewer');
    await page.getByRole('button', { name: 'Approve 2026-10' }).click();
    await page.getByTestId('notice').getByText('2026-10 approved').waitFor();
    await page.getByTestId('status-state').getByText('approved').waitFor();
    await expect(page.getByTestId('status').getByRole('button', { name: 'Next: 5. Publish' }).count()).resolves.toBe(1);
    for (const [tab, button] of [['3. Allocate', 'Allocate 2026-10'], ['1. Data', 'Use the sample data']] as const) {
      await page.getByRole('tab', { name: tab }).click();
      const names = await page.locator('[role="tabpanel"]:not([hidden]) button').allTextContents();
      expect([names, errors]).toEqual([expect.arrayContaining([button]), []]);
      const action = page.getByRole('button', { name: button });
      await expect(action.getAttribute('aria-disabled')).resolves.toBe('true');
      const reason = await action.getAttribute('aria-describedby');
      await expect(page.locator(`#${reason}`).textContent()).resolves.toMatch(/^2026-10 is approvedBy Dana Reviewer \(typed, not verified\), .+\. Pulling and allocating are locked; reopen the period in 4\. Review to change anything\.$/);
      await action.focus();
      await expect(action.evaluate((element) => element === document.activeElement)).resolves.toBe(true);
    }
    const before = (await readTable(page, 'Audit'))!.rows.length;
    await page.getByRole('button', { name: 'Use the sample data' }).click({ force: true });
    expect((await readTable(page, 'Audit'))!.rows.length).toBe(before);
    expect(await axeViolations(page)).toEqual([]);
  });
});

describe("the administrator's sign-off policy (chargeback.config.json)", () => {
  it('with requireSignIn, disables Approve for a typed name, saying to sign in', async () => {
    const page = await openPane(harness!, 'exceljs', { config: { requireSignIn: true } });
    try {
      await pullAndAllocateSample(page);
      await page.getByRole('tab', { name: '4. Review' }).click();
      await page.getByRole('textbox', { name: 'Your name' }).fill('Dana Reviewer');
      const approve = page.getByRole('button', { name: 'Approve 2026-10' });
      await expect(approve.isDisabled()).resolves.toBe(true);
      await expect(page.locator(`#${await approve.getAttribute('aria-describedby')}`).textContent()).resolves.toBe(
        'Your organisation accepts approval only from a signed-in reviewer, and the pane could not confirm who is signed in. Sign in to Office with your work account and open the pane again, or ask a signed-in reviewer to approve it.',
      );
    } finally {
      await page.close();
    }
  });

  it('with allowSelfApproval, lets the preparer approve and marks it in the Audit log', async () => {
    const page = await openPane(harness!, 'exceljs', { config: { allowSelfApproval: true } });
    try {
      await pullAndAllocateSample(page);
      await page.getByRole('tab', { name: '4. Review' }).click();
      await page.getByRole('textbox', { name: 'Your name' }).fill('harness user');
      await page.getByRole('button', { name: 'Approve 2026-10' }).click();
      await page.getByTestId('notice').getByText('2026-10 approved').waitFor();
      const approve = (await readTable(page, 'Audit'))!.rows.find((r) => r[1] === 'Approve')!;
      expect(approve[2]).toBe('harness user (typed, not verified)');
      expect(String(approve[4])).toContain("; self-approval: harness user prepared it, allowed by the administrator's policy");
    } finally {
      await page.close();
    }
  });

  it('requires a signed-in approver when the configuration cannot be read: a broken file never loosens the policy', async () => {
    const page = await openPane(harness!, 'exceljs', { config: { allowSelfApproval: 'yes' } });
    try {
      await pullAndAllocateSample(page);
      await page.getByRole('tab', { name: '4. Review' }).click();
      await page.getByRole('textbox', { name: 'Your name' }).fill('Dana Reviewer');
      await expect(page.getByRole('button', { name: 'Approve 2026-10' }).isDisabled()).resolves.toBe(true);
      await expect(page.getByTestId('approve-blocked').textContent()).resolves.toContain('Your organisation accepts approval only from a signed-in reviewer');
    } finally {
      await page.close();
    }
  });
});

describe('at 200% zoom (a 320 px pane is 160 CSS px wide)', () => {
  it('nothing scrolls sideways on any step, before and after allocating', async () => {
    const page = await openPane(harness!);
    await page.setViewportSize({ width: 160, height: 800 });
    for (const stage of ['empty', 'allocated']) {
      if (stage === 'allocated') await pullAndAllocateSample(page);
      for (const step of STEPS) {
        await page.getByRole('tab', { name: step }).click();
        expect([stage, step, await sideways(page)]).toEqual([stage, step, 0]);
      }
    }
    await page.close();
  });
});

describe('theme', () => {
  it('turns to high contrast when Windows forces colors', async () => {
    const page = await harness!.browser.newPage({ viewport: { width: 320, height: 800 }, forcedColors: 'active' });
    await page.goto(`${harness!.url}harness.html`);
    await page.getByRole('tab', { name: '1. Data' }).waitFor();
    // teamsHighContrastTheme's tokens (forced colors override the painted colors, not the theme's variables).
    const token = (name: string) => page.locator('.fui-FluentProvider').first().evaluate((element, variable) => getComputedStyle(element).getPropertyValue(variable).trim(), name);
    await expect(token('--colorNeutralBackground1')).resolves.toBe('#000000');
    await expect(token('--colorNeutralForeground1')).resolves.toBe('#ffffff');
    await page.close();
  });

  it('follows a dark color scheme outside Office, and stays accessible', async () => {
    const page = await harness!.browser.newPage({ viewport: { width: 320, height: 800 }, colorScheme: 'dark' });
    await page.goto(`${harness!.url}harness.html`);
    await page.getByRole('tab', { name: '1. Data' }).waitFor();
    const background = await page.locator('.fui-FluentProvider').first().evaluate((element) => getComputedStyle(element).backgroundColor);
    const [r, g, b] = background.match(/\d+/g)!.map(Number);
    expect(r + g + b).toBeLessThan(3 * 80);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});
