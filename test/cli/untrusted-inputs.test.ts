/**
 * Inputs that look harmless but are not: each is refused at `run` with what and where, never a stack
 * trace or "unexpected", and no workbook is written.
 */
import { existsSync, linkSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { COST_CENTER_CODE_LIMIT, COST_CENTER_LIMIT } from '../../src/core/cost-center-code';
import { chargeback } from '../support/cli';
import { BASE_HEADER, focusCsv, tempDir } from '../support/files';

const rules = (code = 'CC-A') => ({
  settings: { clearingAccount: '2990' },
  costCenters: [{ costCenter: code, name: 'Team A', glAccount: '6100' }],
  mappings: [{ dimension: 'SubAccountName', pattern: 'team-a*', costCenter: code }],
});
const row = (cost: string, tags = '') => ['2026-10-01T00:00:00Z', 'USD', 'Usage', '', cost, cost, 'team-a', 'Compute', 'VMs', 'Azure', tags];

function fixture(options: { rules?: unknown; rulesText?: string; rows?: string[][] } = {}) {
  const dir = tempDir('chargeback-inputs-');
  writeFileSync(path.join(dir, 'rules.json'), options.rulesText ?? JSON.stringify(options.rules ?? rules()));
  writeFileSync(path.join(dir, 'october.csv'), focusCsv(BASE_HEADER, options.rows ?? [row('100.00'), row('23.45')]));
  return { dir, rules: path.join(dir, 'rules.json'), costs: path.join(dir, 'october.csv'), out: path.join(dir, 'book.xlsx') };
}

function refused(f: ReturnType<typeof fixture>, ...costs: string[]) {
  const result = chargeback(['run', ...(costs.length ? costs : [f.costs]).flatMap((c) => ['--costs', c]), '--rules', f.rules, '--out', f.out]);
  expect(result.code).toBe(1);
  expect(result.stderr).not.toMatch(/unexpected|Maximum call stack|\n\s+at /);
  expect(existsSync(f.out)).toBe(false);
  return result.stderr;
}

describe('a cost center code too long to name a file', () => {
  it(`is refused when the rules are read, with the limit (${COST_CENTER_CODE_LIMIT}), the table and the row`, () => {
    const long = 'CC-' + 'X'.repeat(COST_CENTER_CODE_LIMIT);
    expect(refused(fixture({ rules: rules(long) }))).toContain(`CostCenters row 2, CostCenter: cost center code "CC-XXXXXXXXXXXXXXXXX…" is ${COST_CENTER_CODE_LIMIT + 3} characters long, more than the ${COST_CENTER_CODE_LIMIT} a code may have`);
  });

  it(`is accepted at ${COST_CENTER_CODE_LIMIT} characters`, () => {
    const f = fixture({ rules: rules('C'.repeat(COST_CENTER_CODE_LIMIT)) });
    expect(chargeback(['run', '--costs', f.costs, '--rules', f.rules, '--out', f.out]).code).toBe(0);
  });

  it('is refused as the Unallocated setting too', () => {
    const f = fixture({ rules: { ...rules(), settings: { clearingAccount: '2990', unallocated: 'U'.repeat(100) } } });
    expect(refused(f)).toMatch(/Settings row \d+, Value: cost center code "U+…" is 100 characters long/);
  });
});

describe('JSON nested too deeply', () => {
  it('in the rules file is refused with the depth limit, not a stack overflow', () => {
    const deep = '['.repeat(100_000) + '"x"' + ']'.repeat(100_000);
    const f = fixture({ rulesText: `{"costCenters":[{"costCenter":${deep},"glAccount":"6100"}]}` });
    expect(refused(f)).toBe(`error: ${f.rules}: the rules JSON is nested more than 32 levels deep (lists or objects within each other), which no rules or tags need\n`);
  });

  it('in a Tags cell is refused at its file, row and column', () => {
    const deep = '"' + ('{""a"":'.repeat(50_000) + '1' + '}'.repeat(50_000)) + '"';
    const tagged = { ...rules(), mappings: [{ dimension: 'Tag:team', pattern: 'a', costCenter: 'CC-A' }, ...rules().mappings] };
    const f = fixture({ rules: tagged, rows: [row('1.00'), row('2.00', deep)] });
    expect(refused(f)).toMatch(new RegExp(`error: ${f.costs.replace(/[.\\/]/g, '\\$&')}, row 3, column Tags: Tags is nested more than 32 levels deep`));
  });
});

describe('an amount with more significant digits than the workbook keeps', () => {
  it('is refused at run, naming the file, row and column (not later, by approve, as a hand edit)', () => {
    const f = fixture({ rows: [row('100.00'), row('12345678901234567.25')] });
    expect(refused(f)).toContain(
      `error: ${f.costs}, row 3, column BilledCost: BilledCost 12345678901234567.25 has more significant digits than the workbook keeps exactly (15: amounts below 10,000,000,000,000 to the cent); is the column in the right unit?\n`,
    );
  });

  it('is accepted just below the limit, and approved', () => {
    const f = fixture({ rows: [row('9999999999999.99')] });
    expect(chargeback(['run', '--costs', f.costs, '--rules', f.rules, '--out', f.out]).code).toBe(0);
    expect(chargeback(['approve', '--workbook', f.out, '--by', 'Dana Reviewer']).code).toBe(0);
  });
});

describe('one cost file given twice under two names', () => {
  it('through a hard link is refused: its costs would be counted twice', () => {
    const f = fixture();
    const other = path.join(f.dir, 'elsewhere');
    mkdirSync(other);
    const link = path.join(other, 'october-copy.csv');
    linkSync(f.costs, link);
    expect(refused(f, f.costs, link)).toBe(
      `error: ${link}: this file is given twice (also as ${f.costs}: the same file, by a link or another path); its costs would be counted twice. Give each file or folder once.\n`,
    );
  });
});

describe('more cost centers than one chargeback may have', () => {
  it(`listed in CostCenters (${COST_CENTER_LIMIT.toLocaleString('en-US')} at most) are refused when the rules are read`, () => {
    const many = Array.from({ length: COST_CENTER_LIMIT + 1 }, (_, i) => ({ costCenter: `CC-${i}`, name: `Team ${i}`, glAccount: '6100' }));
    const f = fixture({ rules: { ...rules(), costCenters: [...rules().costCenters, ...many] } });
    expect(refused(f)).toContain(`CostCenters: CostCenters lists 10,002 cost centers, more than the 10,000 one chargeback may have: split the chargeback (by business unit or billing account), or roll cost centers up`);
  });

  it('made by a {value} mapping from the cost data are refused at the mapping, not by running out of memory', () => {
    const byValue = { ...rules(), mappings: [{ dimension: 'SubAccountName', pattern: '*', costCenter: '{value}' }] };
    const rows = Array.from({ length: COST_CENTER_LIMIT + 1 }, (_, i) => ['2026-10-01T00:00:00Z', 'USD', 'Usage', '', '1.00', '1.00', `sub-${i}`, 'Compute', 'VMs', 'Azure', '']);
    const f = fixture({ rules: byValue, rows });
    expect(refused(f)).toContain(
      'Mappings row 2, CostCenter: this mapping makes more than the 10,000 cost centers one chargeback may have (with CostCenters): is SubAccountName the right column for {value}? Map a column that names teams, or list the cost centers',
    );
  });
});
