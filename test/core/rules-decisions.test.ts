/** The decisions docs/rules.md states about tags, `{value}` codes and currencies, one test each. */
import { allocate } from '../../src/core/allocate';
import { minorDigitsOf } from '../../src/core/currency';
import { AMBIGUOUS_TAG } from '../../src/core/focus';
import { allocationWarnings } from '../../src/core/review';
import { ingestFocus } from '../../src/core/ingest';
import { formatMinor } from '../../src/core/money';
import { parseRules, validateRules } from '../../src/core/rules';
import { tag } from '../../src/functions/tags';
import { BASE_HEADER, focusCsv, memoryFile } from '../support/files';
import { line } from './helpers';

const csvRow = (tags: object | '', amount = '10.00', currency = 'USD') => ['2026-10-01', currency, 'Usage', '', amount, amount, 'acct', 'Compute', 'VMs', 'Azure', tags === '' ? '' : `"${JSON.stringify(tags).replace(/"/g, '""')}"`];
const read = (rows: (string | number)[][], dimensions = ['Tag:org']) => ingestFocus([memoryFile('costs.csv', focusCsv(BASE_HEADER, rows))], { dimensions });

describe('tag keys', () => {
  it('are trimmed and matched regardless of case: Tag:org reads " org" and "ORG"', async () => {
    const { lines } = await read([csvRow({ ' org': 'finance' }), csvRow({ ORG: 'finance' }), csvRow({ 'org ': 'sales' })]);
    expect(lines.map((l) => [l.dimensions['Tag:org'], l.sourceRows])).toEqual([['finance', 2], ['sales', 1]]);
    expect(tag('{" org":"finance"}', 'Tag:ORG')).toBe('finance');
  });

  it('spelled twice in one Tags object with the same value is that value', async () => {
    const { lines } = await read([csvRow({ Org: 'finance', ' org': 'finance' })]);
    expect(lines[0].dimensions['Tag:org']).toBe('finance');
  });

  it('spelled exactly as the rule names it wins over other spellings: AWS tags are case-sensitive, {"Team":"search","team":"payments"}', async () => {
    const tags = { Team: 'search', team: 'payments' };
    const { lines } = await read([csvRow(tags)], ['Tag:Team']);
    expect(lines[0].dimensions['Tag:Team']).toBe('search');
    expect((await read([csvRow(tags)], ['Tag:team'])).lines[0].dimensions['Tag:team']).toBe('payments');
    expect(tag(JSON.stringify(tags), 'Team')).toBe('search');
    expect(tag(JSON.stringify(tags), 'Tag:team')).toBe('payments');
  });

  it('spelled twice with different values and never as the rule names it leaves the line unallocated, and the Review lists it with its amount (the month is not blocked)', async () => {
    const { lines } = await read([csvRow({ team: 'x' }, '5.00'), csvRow({ Org: 'finance', ' org': 'sales' }, '7.25'), csvRow({ org: 'finance' }, '1.00')]);
    expect(lines.map((l) => l.dimensions['Tag:org'])).toEqual(['', AMBIGUOUS_TAG, 'finance']);
    const rules = parseRules({
      CostCenters: [{ CostCenter: 'CC-FIN' }],
      Mappings: [{ Dimension: 'Tag:org', Pattern: '*', CostCenter: 'CC-FIN' }],
    });
    const result = allocate(lines, rules);
    expect(result.costCenters.map((c) => [c.costCenter, formatMinor(c.total, 2)])).toEqual([['CC-FIN', '6.00'], ['UNALLOCATED', '7.25']]);
    const warnings = allocationWarnings(result).filter((c) => c.check === 'Ambiguous tag');
    expect(warnings).toEqual([
      {
        check: 'Ambiguous tag',
        severity: 'Warning',
        subject: 'Tag:org',
        figure: '7.25',
        detail: 'left unallocated: 1 FOCUS row holds org under several spellings with different values and none spelled as the rules spell it; ask the resource\'s owner to keep one tag',
        where: `Allocation!A${result.entries.findIndex((e) => e.ambiguousTag) + 2}`,
      },
    ]);
    expect(() => tag('{"Org":"finance"," org":"sales"}', 'org')).toThrow(/none spelled exactly "org"; the allocation leaves such a line unallocated/);
    // a rule that reads another key is not affected
    const other = await read([csvRow({ Org: 'finance', ' org': 'sales', team: 'x' })], ['Tag:team']);
    expect(other.lines[0].dimensions['Tag:team']).toBe('x');
  });

  it('an ambiguous tag stops the rules at the first rule that reads it: an earlier rule on another dimension still applies', async () => {
    const { lines } = await read([csvRow({ Org: 'finance', ' org': 'sales' }, '2.00')], ['SubAccountName', 'Tag:org']);
    const rules = (first: string) =>
      parseRules({
        CostCenters: [{ CostCenter: 'CC-ACCT' }, { CostCenter: 'CC-FIN' }],
        Mappings: first === 'account' ? [{ Dimension: 'SubAccountName', Pattern: 'acct', CostCenter: 'CC-ACCT' }, { Dimension: 'Tag:org', Pattern: '*', CostCenter: 'CC-FIN' }] : [{ Dimension: 'Tag:org', Pattern: '*', CostCenter: 'CC-FIN' }, { Dimension: 'SubAccountName', Pattern: 'acct', CostCenter: 'CC-ACCT' }],
      });
    expect(allocate(lines, rules('account')).entries[0]).toMatchObject({ kind: 'Direct', costCenter: 'CC-ACCT' });
    expect(allocate(lines, rules('tag')).entries[0]).toMatchObject({ kind: 'Unallocated', ambiguousTag: 'Tag:org' });
  });

  it('are the row\'s own: Tag:constructor and Tag:toString find nothing on a row without such tags', async () => {
    const { lines } = await read([csvRow({ org: 'finance' })], ['Tag:constructor', 'Tag:toString', 'Tag:__proto__']);
    expect(Object.values(lines[0].dimensions)).toEqual(['', '', '']);
    const rules = parseRules({ CostCenters: [{ CostCenter: 'CC-A' }], Mappings: [{ Dimension: 'Tag:constructor', Pattern: '*', CostCenter: '{value}' }] });
    expect(allocate(lines, rules).costCenters.map((c) => c.costCenter)).toEqual(['CC-A', 'UNALLOCATED']);
    expect(() => tag('{"org":"finance"}', 'constructor')).toThrow(/there is no tag "constructor"/);
  });
});

describe('{value} codes', () => {
  const tables = {
    CostCenters: [{ CostCenter: 'CC-Pay', GLAccount: '6100' }],
    Mappings: [{ Dimension: 'Tag:costcenter', Pattern: '*', CostCenter: ' {Value} ' }],
  };

  it('accept the placeholder in any case, as the engine runs it', () => {
    expect(validateRules(tables).problems).toEqual([]);
  });

  it('are matched to CostCenters ignoring case and surrounding spaces, and unlisted codes are marked', () => {
    const lines = [line({ 'Tag:costcenter': ' cc-pay' }, '1.00'), line({ 'Tag:costcenter': 'CC-PAY ' }, '2.00'), line({ 'Tag:costcenter': 'cc-new' }, '4.00')];
    const result = allocate(lines, parseRules(tables));
    expect(result.costCenters.map((c) => [c.costCenter, c.name, formatMinor(c.total, 2), c.listed])).toEqual([
      ['CC-Pay', '', '3.00', true],
      ['cc-new', '(not in CostCenters)', '4.00', false],
      ['UNALLOCATED', 'Unallocated cost', '0.00', false],
    ]);
  });
});

describe('currencies', () => {
  it('take their minor units from the ISO 4217 table', () => {
    expect(['USD', 'EUR', 'JPY', 'KRW', 'BHD', 'CLF'].map(minorDigitsOf)).toEqual([2, 2, 0, 0, 3, 4]);
  });

  it('refuse a code ISO 4217 does not list, naming file, row and column', async () => {
    await expect(read([csvRow('', '1', 'USD'), csvRow('', '1', 'XYZ')], [])).rejects.toThrow(
      'costs.csv, row 3, column BillingCurrency: BillingCurrency "XYZ" is not an ISO 4217 currency code: use a three-letter ISO 4217 code such as USD or EUR',
    );
    await expect(read([csvRow('', '1', 'usd')], [])).rejects.toThrow('BillingCurrency "usd" is not an ISO 4217 currency code: write it USD');
  });

  it('stop an allocation of cost lines in an unknown currency (as read back from a workbook)', () => {
    expect(() => allocate([line({}, '1.00', { currency: 'XYZ' })], parseRules({ CostCenters: [{ CostCenter: 'CC-A' }] }))).toThrow(/"XYZ" is not an ISO 4217/);
  });
});
