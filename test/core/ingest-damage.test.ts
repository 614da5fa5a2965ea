import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ingestFocus, IngestError } from '../../src/core/ingest';
import { formatExact } from '../../src/core/money';
import { optionalGrainDimensions } from '../../src/core/focus';
import { costFilesAt } from '../../src/sources/node-files';
import { csvToParquet } from '../support/duckdb';
import { BASE_HEADER, focusCsv, memoryFile, tempDir } from '../support/files';

const dimensions = ['SubAccountName', 'ServiceCategory'];
const row = (billed: string, effective = billed, period = '2026-10-01T00:00:00Z') => [period, 'USD', 'Usage', '', billed, effective, 'team-a', 'Compute', 'VMs', 'Azure', ''];
const read = (name: string, text: string, options: { dimensions?: string[]; optionalDimensions?: string[] } = {}) =>
  ingestFocus([memoryFile(name, text)], { dimensions: options.dimensions ?? dimensions, optionalDimensions: options.optionalDimensions });

describe('damaged CSV is refused, never read short', () => {
  it('refuses a file cut off in its last row, naming the file and row', async () => {
    const whole = focusCsv(BASE_HEADER, [row('10.00'), row('123.45')]);
    const cut = whole.slice(0, whole.indexOf('123.45') + '123.45,12'.length); // …,123.45,12 and nothing after
    await expect(read('cut.csv', cut)).rejects.toThrow('cut.csv, row 3: the row has 6 fields but the header has 11: the row is cut off or has a stray separator');
  });

  it('refuses a row with fewer or more fields than the header', async () => {
    const short = focusCsv(BASE_HEADER, [row('10.00'), row('1.00').slice(0, 8)]);
    await expect(read('ragged.csv', short)).rejects.toThrow(/ragged\.csv, row 3: the row has 8 fields but the header has 11/);
    const long = focusCsv(BASE_HEADER, [[...row('1.00'), 'extra']]);
    await expect(read('long.csv', long)).rejects.toThrow(/long\.csv, row 2: the row has 12 fields/);
  });

  it('refuses an unterminated quote (a file cut inside a quoted cell)', async () => {
    const text = focusCsv(BASE_HEADER, [row('10.00')]) + row('2.00').slice(0, 10).join(',') + ',"{""costcenter"":""CC';
    await expect(read('quote.csv', text)).rejects.toThrow(/quote\.csv, row 3: the row is not valid CSV \(quoted field unterminated\)/);
  });

  it('still skips blank lines and reads a last row without a line break', async () => {
    const text = focusCsv(BASE_HEADER, [row('10.00')]) + '\n' + row('2.50').join(',');
    const result = await read('blank.csv', text);
    expect(result.rowsRead).toBe(2);
    expect(formatExact(result.lines[0].billedCost)).toBe('12.5');
  });

  it('stops at a line of megabytes with no line break, without echoing it', async () => {
    const text = 'BilledCost,' + 'x'.repeat(17 * 1024 * 1024);
    const error = await read('huge.csv', text).catch((e) => e);
    expect(error).toBeInstanceOf(IngestError);
    expect(error.message).toMatch(/huge\.csv: .*a line is longer than 16 MB with no line break/);
    expect(error.message.length).toBeLessThan(300);
  });

  it('does not echo a huge cell in an error', async () => {
    const error = await read('cell.csv', focusCsv(BASE_HEADER, [row('9'.repeat(5000) + 'x')])).catch((e) => e);
    expect(error.message).toMatch(/cell\.csv, row 2, column BilledCost: "9{80}…" is not a number/);
  });
});

describe('impossible dates', () => {
  it.each([['2025-13-01'], ['2026-02-30T00:00:00Z'], ['2026-00-01'], ['2026-10-01T25:00:00Z'], ['13/1/25'], ['1/3/26']])('refuses BillingPeriodStart %s, naming file, row and column', async (date) => {
    await expect(read('dates.csv', focusCsv(BASE_HEADER, [row('1.00'), row('1.00', '1.00', date)]))).rejects.toThrow(`dates.csv, row 3, column BillingPeriodStart: "${date}" is not a valid date`);
  });

  it('reads ISO dates, dates with an offset, and the month-first form M/1/YY of the FOCUS examples', async () => {
    const result = await read('ok.csv', focusCsv(BASE_HEADER, [row('1', '1', '2024-02-29'), row('1', '1', '2026-10-01T00:00:00+02:00'), row('1', '1', '4/1/25'), row('1', '1', '12/01/2025')]));
    expect([...new Set(result.lines.map((l) => l.billingPeriod))].sort()).toEqual(['2024-02', '2025-04', '2025-12', '2026-10']);
  });

  it('refuses an impossible date in Parquet too', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'bad.csv'), focusCsv(BASE_HEADER, [row('1.00', '1.00', '2025-13-01')]));
    const parquet = path.join(dir, 'bad.parquet');
    await csvToParquet(path.join(dir, 'bad.csv'), parquet, 'snappy');
    await expect(ingestFocus(await costFilesAt(parquet), { dimensions })).rejects.toThrow(/bad\.parquet, row 2, column BillingPeriodStart: "2025-13-01" is not a valid date/);
  });
});

describe('the FOCUS specification\'s own example files', () => {
  const examples = path.resolve(__dirname, '../fixtures/focus-examples/saas_examples');
  const files = ['virtual_currency_pricing_model_a1.csv', 'virtual_currency_pricing_model_b3.csv', 'virtual_currency_pricing_model_c.csv', 'spend_agreements/saas_spend_agreements_a1.csv', 'spend_agreements/saas_spend_agreements_b2.csv'];

  it.each(files)('%s loads with the default grain when no rule names a column it lacks', async (file) => {
    const text = readFileSync(path.join(examples, file), 'utf8');
    const grain = ['ProviderName', 'SubAccountName', 'ServiceCategory', 'ServiceName'];
    const result = await read(file, text, { dimensions: grain, optionalDimensions: optionalGrainDimensions([]) });
    expect(result.rowsRead).toBeGreaterThan(0);
    expect(result.lines.every((l) => /^20\d\d-\d\d$/.test(l.billingPeriod))).toBe(true);
  });

  it('gives the example\'s own total (virtual currency model A1: a 200,000.00 USD token purchase billed)', async () => {
    const text = readFileSync(path.join(examples, 'virtual_currency_pricing_model_a1.csv'), 'utf8');
    const result = await read('a1.csv', text, { dimensions: ['ProviderName', 'SubAccountName'], optionalDimensions: ['SubAccountName'] });
    expect(result.lines.map((l) => [l.billingPeriod, l.dimensions.ProviderName, l.dimensions.SubAccountName, formatExact(l.billedCost), formatExact(l.effectiveCost)])).toEqual([['2025-04', 'ACMECORP', '', '200000', '0']]);
  });

  it('refuses the examples that write amounts as spreadsheet text ("$10,100.00 "), naming file, row and column', async () => {
    const file = 'simple_agreements/simple_saas_agreements_c.csv';
    const text = readFileSync(path.join(examples, file), 'utf8');
    await expect(read(file, text, { dimensions: [], optionalDimensions: [] })).rejects.toThrow(`${file}, row 2, column BilledCost: "$10,100.00 " is not a number`);
  });

  it('still requires a column a rule names', async () => {
    const text = readFileSync(path.join(examples, 'virtual_currency_pricing_model_a1.csv'), 'utf8');
    await expect(read('a1.csv', text, { dimensions: ['ProviderName', 'SubAccountName'], optionalDimensions: optionalGrainDimensions(['SubAccountName']) })).rejects.toThrow(/missing FOCUS column SubAccountName/);
  });
});
