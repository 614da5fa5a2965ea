/**
 * The harness page for the browser tests: built with webpack (`--env harness`), served over
 * plain http on a free loopback port, and opened in real headless Chromium (Debian's package,
 * driven by playwright-core). It is built once per jest run, by the first test file that needs it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, promises as fs, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, Browser, Page } from 'playwright-core';
import { PANE_CONFIG_FILE } from '../../src/taskpane/pane-config';
import type { TableData } from '../../src/workbook/gateway';
import { Azurite } from '../support/azurite';

export const ROOT = path.join(__dirname, '..', '..');
// The README's screenshots are refreshed with UPDATE_SCREENSHOTS=1 npm test; other runs keep theirs in test-output/.
export const SHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? path.join(ROOT, 'docs', 'screenshots') : path.join(ROOT, 'test-output', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.csv': 'text/csv', '.png': 'image/png' };

export interface Harness {
  /** Where the harness is served, ending in '/'; its origin is what Azure CORS rules must allow. */
  url: string;
  browser: Browser;
  close(): Promise<void>;
}

function serve(root: string): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer(async (request, response) => {
    const file = path.join(root, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
    if (!file.startsWith(root)) return void response.writeHead(403).end();
    try {
      const body = await fs.readFile(file);
      response.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` })));
}

const DIST = path.join(ROOT, 'dist', 'harness-test');

function buildHarness(): void {
  execFileSync(process.execPath, [require.resolve('webpack-cli/bin/cli.js'), '--env', 'harness', '--env', `outputPath=${DIST}`, '--mode', 'development'], { cwd: ROOT, stdio: 'pipe' });
}

/**
 * Builds the harness into dist/harness-test once for this jest run (its folder is made by
 * test/support/global-setup.ts): the first test file to get the lock builds it, the others
 * (in parallel workers) wait until it is built, or failed to build.
 */
async function harnessBuiltOnce(): Promise<void> {
  const run = process.env.CHARGEBACK_TEST_RUN;
  if (!run) return buildHarness();
  const [done, failed] = [path.join(run, 'harness.done'), path.join(run, 'harness.failed')];
  try {
    mkdirSync(path.join(run, 'harness.lock'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    while (!existsSync(done)) {
      if (existsSync(failed)) throw new Error(`the harness page did not build: ${readFileSync(failed, 'utf8')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return;
  }
  try {
    buildHarness();
  } catch (error) {
    writeFileSync(failed, String(error));
    throw error;
  }
  writeFileSync(done, '');
}

/** Builds the harness (once for the run), serves it and starts Chromium. */
export async function startHarness(): Promise<Harness> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: the task pane tests need it. Install Debian's package (apt-get install -y chromium), as .ci/run does, or set CHROMIUM_PATH.`);
  }
  await harnessBuiltOnce();
  const { server, url } = await serve(DIST);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  mkdirSync(SHOTS, { recursive: true });
  return {
    url,
    browser,
    close: async () => {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * The harness and Azurite for a test file's tests, with Azurite's CORS rules allowing the harness
 * origin (as a storage account's admin allows the add-in's): started before the file's tests,
 * stopped after them. Read `harness` and `azurite` inside the tests, once they have started.
 */
export function harnessWithAzurite(): { readonly harness: Harness; readonly azurite: Azurite } {
  let started: { harness: Harness; azurite: Azurite } | undefined;
  beforeAll(async () => {
    const [harness, azurite] = await Promise.allSettled([startHarness(), Azurite.start()]);
    if (harness.status === 'rejected' || azurite.status === 'rejected') {
      // One started without the other: stop it, and say why the other did not start.
      if (harness.status === 'fulfilled') await harness.value.close();
      if (azurite.status === 'fulfilled') await azurite.value.stop();
      throw harness.status === 'rejected' ? harness.reason : (azurite as PromiseRejectedResult).reason;
    }
    await azurite.value.allowOrigin(new URL(harness.value.url).origin);
    started = { harness: harness.value, azurite: azurite.value };
  });
  afterAll(async () => {
    await started?.harness.close();
    await started?.azurite.stop();
  });
  const get = () => {
    if (!started) throw new Error('the harness and Azurite start before the tests: read them inside a test or a beforeAll');
    return started;
  };
  return {
    get harness() {
      return get().harness;
    },
    get azurite() {
      return get().azurite;
    },
  };
}

/**
 * Opens a fresh harness page (a new, empty in-memory workbook) in the task pane's size; fails on any
 * page error. `office`: the pane runs on the Office.js gateway over the strict in-memory Excel.
 */
export async function openPane(harness: Harness, host: 'exceljs' | 'office' = 'exceljs', { config }: { config?: unknown } = {}): Promise<Page> {
  // 350 px: about as wide as Excel opens a task pane (the README's screenshots are taken at this width).
  const page = await harness.browser.newPage({ viewport: { width: 350, height: 860 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // `config`: the admin's chargeback.config.json beside the pane (without it there is none: 404).
  if (config !== undefined) await page.route(`**/${PANE_CONFIG_FILE}`, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(config) }));
  await page.goto(`${harness.url}harness.html${host === 'office' ? '?host=office' : ''}`);
  await page.getByRole('tab', { name: '1. Data' }).waitFor();
  expect(errors).toEqual([]);
  return page;
}

/** A table of the page's workbook, as the harness reads it; undefined when there is none. */
export const readTable = (page: Page, name: string) => page.evaluate((table) => window.__harness.readTable(table), name) as Promise<TableData | undefined>;

/**
 * Corrects the first cost line's EffectiveCost by `by`, and its exact twin with it, as someone
 * correcting a cost would: through the harness's cell edit, so the pane sees a changed workbook.
 */
export async function editFirstCost(page: Page, by: number): Promise<void> {
  const costs = (await readTable(page, 'Costs'))!;
  const letter = (header: string) => String.fromCharCode(65 + costs.headers.indexOf(header));
  const amount = Number(costs.rows[0][costs.headers.indexOf('EffectiveCost')]) + by;
  await page.evaluate(([cell, value]) => window.__harness.editCell('Costs', cell as string, value as number), [`${letter('EffectiveCost')}2`, amount]);
  await page.evaluate(([cell, value]) => window.__harness.editCell('Costs', cell as string, value as string), [`${letter('EffectiveCostExact')}2`, String(amount)]);
}

/** One column of a table, by its header. */
export function column(table: TableData, header: string): unknown[] {
  const index = table.headers.indexOf(header);
  return table.rows.map((row) => row[index]);
}
