import ExcelJS from 'exceljs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import Papa from 'papaparse';
import { allocate, UNUSED_COMMITMENTS_POOL } from '../src/core/allocate';
import { DEFAULT_GRAIN_DIMENSIONS } from '../src/core/focus';
import { ingestFocus } from '../src/core/ingest';
import { formatMinor } from '../src/core/money';
import { parseRules, RULE_COLUMNS, RULE_TABLES, ruleDimensions, validateRules } from '../src/core/rules';
import { SAMPLE_PERIODS, writeSample } from '../scripts/sample/write-sample';
import { statSync } from 'node:fs';
import { costFileFromPath } from '../src/sources/node-files';
import { exact } from './functions/helpers';
import { tempDir } from './support/files';
import { SAMPLE, sampleRuleTables } from './support/sample';

const nodeCostFile = (file: string) => costFileFromPath(file, statSync(file).size);

const sampleFile = (name: string) => path.join(SAMPLE, name);
const cents = (units: bigint) => formatMinor(units, 2);

async function ingestSample(periods: readonly string[]) {
  const rules = parseRules(await sampleRuleTables());
  const dimensions = [...new Set([...DEFAULT_GRAIN_DIMENSIONS, ...ruleDimensions(rules)])];
  const ingest = await ingestFocus(periods.map((p) => nodeCostFile(sampleFile(`focus-${p}.csv`))), { dimensions });
  return { rules, ingest };
}

async function csvRows(period: string): Promise<Record<string, string>[]> {
  const text = await readFile(sampleFile(`focus-${period}.csv`), 'utf8');
  return Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
}

describe('the bundled sample rules', () => {
  it('are valid rules, with no problems to report', async () => {
    expect(validateRules(await sampleRuleTables()).problems).toEqual([]);
  });

  it('hold the same tables in rules.xlsx as in rules.json, each an Excel table named like its sheet', async () => {
    const json = await sampleRuleTables();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(sampleFile('rules.xlsx'));
    for (const table of RULE_TABLES) {
      const sheet = workbook.getWorksheet(table)!;
      expect(sheet).toBeDefined();
      expect(sheet.getTable(table)).toBeDefined();
      const values = sheet.getSheetValues().slice(1).map((row) => (row as unknown[]).slice(1));
      expect(values[0]).toEqual(RULE_COLUMNS[table]);
      const rows = values.slice(1).map((row) => Object.fromEntries(RULE_COLUMNS[table].map((c, i) => [c, String(row[i] ?? '')])));
      expect(rows).toEqual((json[table] ?? []).map((row) => Object.fromEntries(RULE_COLUMNS[table].map((c) => [c, String(row[c] ?? '')]))));
    }
  });
});

describe('allocating the October 2026 sample', () => {
  let result: ReturnType<typeof allocate>;
  beforeAll(async () => {
    const { rules, ingest } = await ingestSample(['2026-10']);
    result = allocate(ingest.lines, rules, { rowsRead: ingest.rowsRead });
  });

  it('allocates the source total to the cent', () => {
    expect(cents(result.allocatedTotal)).toBe(cents(result.sourceTotal));
    expect(result.sourceTotal).toBeGreaterThan(0n);
  });

  it('leaves a small unallocated line, above zero and under 5% of the total', () => {
    expect(result.unallocated).toBeGreaterThan(0n);
    expect(result.unallocated * 100n).toBeLessThan(result.sourceTotal * 5n);
  });

  it('collects something in every shared pool, unused commitments included', () => {
    expect(result.pools.map((p) => [p.pool, p.method])).toEqual([
      ['Network', 'Proportional'],
      ['Support', 'Even'],
      ['Security', 'Fixed'],
      ['Platform', 'Driver'],
      [UNUSED_COMMITMENTS_POOL, 'Proportional'],
    ]);
    for (const pool of result.pools) expect(pool.amount).toBeGreaterThan(0n);
  });

  it('charges only the listed cost centers, each with direct + shares = total', () => {
    expect(result.costCenters.map((c) => c.costCenter)).toEqual(['CC-PAY', 'CC-SRCH', 'CC-DATA', 'CC-MOB', 'CC-ML', 'CC-PLAT', 'UNALLOCATED']);
    for (const charge of result.costCenters) expect(charge.direct + charge.shared).toBe(charge.total);
  });
});

describe('the sample CSV files', () => {
  it('cover two billing periods, so a run over both must choose one', async () => {
    const { rules, ingest } = await ingestSample(SAMPLE_PERIODS);
    expect(() => allocate(ingest.lines, rules)).toThrow(/several billing periods: 2026-09 \(\d+ rows\), 2026-10 \(\d+ rows\)/);
    const september = allocate(ingest.lines, rules, { period: '2026-09' });
    expect(september.allocatedTotal).toBe(september.sourceTotal);
    expect(september.skipped).toEqual([{ reason: 'billing period 2026-10 is not the one being closed', rows: expect.any(Number) }]);
  });

  it.each(SAMPLE_PERIODS)('%s: has thousands of rows, plain decimals and JSON tags', async (period) => {
    const rows = await csvRows(period);
    expect(rows.length).toBeGreaterThan(3000);
    expect(rows.length).toBeLessThan(8000);
    for (const row of rows) {
      for (const column of ['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost']) expect(row[column]).toMatch(/^-?\d+\.\d{2,10}$/);
      // Contoso Europe GmbH's Azure account is billed in euros; everything else in dollars
      expect(row.BillingCurrency).toBe(row.BillingAccountName === 'Contoso Europe GmbH' ? 'EUR' : 'USD');
      expect(row.BillingPeriodStart).toBe(`${period}-01T00:00:00Z`);
      if (row.Tags) expect(JSON.parse(row.Tags)).toEqual(expect.any(Object));
    }
    expect(new Set(rows.map((r) => r.ProviderName))).toEqual(new Set(['Microsoft', 'AWS', 'Google Cloud']));
    expect(new Set(rows.map((r) => r.BillingCurrency))).toEqual(new Set(['USD', 'EUR']));
    expect(new Set(rows.map((r) => r.ChargeCategory))).toEqual(new Set(['Usage', 'Purchase', 'Tax', 'Credit', ...(period === '2026-10' ? ['Adjustment'] : [])]));
  });

  it.each(SAMPLE_PERIODS)('%s: amortizes each commitment purchase exactly into its used and unused rows', async (period) => {
    const rows = await csvRows(period);
    const purchases = rows.filter((r) => r.ChargeCategory === 'Purchase' && r.CommitmentDiscountId);
    expect(purchases).toHaveLength(2);
    for (const purchase of purchases) {
      expect(exact(purchase.EffectiveCost)).toBe(0n);
      const covered = rows.filter((r) => r.ChargeCategory === 'Usage' && r.CommitmentDiscountId === purchase.CommitmentDiscountId);
      const unused = covered.filter((r) => r.CommitmentDiscountStatus === 'Unused');
      expect(unused.length).toBeGreaterThan(0);
      for (const row of unused) expect(row.ResourceId).toBe(row.CommitmentDiscountId);
      for (const row of covered) expect(exact(row.BilledCost)).toBe(0n);
      expect(covered.reduce((a, r) => a + exact(r.EffectiveCost), 0n)).toBe(exact(purchase.BilledCost));
    }
  });
});

describe('the sample generator', () => {
  it('writes byte-identical files every time it runs', async () => {
    const dir = tempDir('chargeback-sample-');
    const written = await writeSample(dir);
    expect(written.map((f) => f.name)).toEqual(['focus-2026-09.csv', 'focus-2026-10.csv', 'rules.json', 'rules.xlsx']);
    for (const { name } of written) {
      expect((await readFile(path.join(dir, name))).equals(await readFile(sampleFile(name)))).toBe(true);
    }
  });
});
