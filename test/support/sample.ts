/** The bundled sample (assets/sample), read as the tests need it. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CostLine } from '../../src/core/costs';
import { ingestFocus, IngestResult } from '../../src/core/ingest';
import { parseRules, RuleTables, Rules, ruleTablesFromJson } from '../../src/core/rules';
import { costFilesAt } from '../../src/sources/node-files';
import { grainDimensions } from '../../src/workbook/steps';

export const SAMPLE = path.join(__dirname, '..', '..', 'assets', 'sample');

/** The sample's rule tables, from rules.json. */
export async function sampleRuleTables(): Promise<RuleTables> {
  return ruleTablesFromJson(JSON.parse(await readFile(path.join(SAMPLE, 'rules.json'), 'utf8')));
}

/** The sample's rules, and its FOCUS files ingested at the task pane's grain with October's lines apart. */
export async function sampleOctober(): Promise<{ tables: RuleTables; rules: Rules; ingest: IngestResult; october: CostLine[] }> {
  const tables = await sampleRuleTables();
  const rules = parseRules(tables);
  const files = (await costFilesAt(SAMPLE)).filter((f) => f.name.includes('focus-'));
  const ingest = await ingestFocus(files, { dimensions: grainDimensions(rules) });
  return { tables, rules, ingest, october: ingest.lines.filter((l) => l.billingPeriod === '2026-10') };
}
