import fc from 'fast-check';
import { CostFile, FileSplit, ingestFocus, IngestResult } from '../../src/core/ingest';
import { readSegment } from '../../src/core/ingest-split';
import { formatExact } from '../../src/core/money';
import { BASE_HEADER, memoryFile } from '../support/files';

const dimensions = ['SubAccountName', 'Tag:costcenter'];

/** Splits in this process, at the given byte offsets (guesses), through the code a worker runs. */
function splitAt(guesses: number[]): FileSplit {
  return {
    readers: guesses.length + 1,
    minBytes: 0,
    guesses: () => guesses,
    run: (file, job, onProgress, signal) => {
      parts.push(job.guessedEnd ? 'guessed' : 'last');
      return readSegment(file, job, onProgress, signal).then((result) => (result.endedInQuotes && partsEndedInQuotes++, result));
    },
  };
}
const parts: string[] = [];
let partsEndedInQuotes = 0;

const summary = (result: IngestResult) => ({
  rowsRead: result.rowsRead,
  files: result.files,
  lines: result.lines.map((l) => [l.billingPeriod, l.currency, l.chargeCategory, JSON.stringify(l.dimensions), formatExact(l.billedCost), formatExact(l.effectiveCost), l.sourceRows].join('|')),
});

/** A FOCUS CSV whose Tags hold quotes and line breaks (CR, LF, CRLF) inside quoted fields. */
const focusText = fc
  .record({
    crlf: fc.boolean(),
    bom: fc.boolean(),
    rows: fc.array(
      fc.record({
        account: fc.constantFrom('team-a', 'team "b"', 'team,c', ''),
        cost: fc.constantFrom('1.25', '0.0000000001', '-3.5', '1234567.123456789012345678', '7'),
        center: fc.constantFrom('CC1', 'CC 2', 'C"C3', '', 'C,C4'),
        // line breaks between the JSON's tokens: inside the quoted Tags field
        breaks: fc.tuple(fc.constantFrom('', '\n', '\r\n', ' \n\n'), fc.constantFrom('', '\n', '\r')),
        blank: fc.boolean(),
      }),
      { minLength: 1, maxLength: 40 },
    ),
  })
  .map(({ crlf, bom, rows }) => {
    const quote = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
    const lines = rows.map(({ account, cost, center, breaks, blank }) => {
      const tags = center === '' ? '' : quote(`{${breaks[0]}"costcenter":${JSON.stringify(center)},${breaks[1]}"note":"x"}`);
      const row = ['2026-10-01T00:00:00Z', 'USD', 'Usage', '', cost, cost, quote(account), 'Compute', 'VMs', 'Azure', tags].join(',');
      return blank ? `${row}${crlf ? '\r\n' : '\n'}` : row;
    });
    const newline = crlf ? '\r\n' : '\n';
    return (bom ? '\uFEFF' : '') + [BASE_HEADER.join(','), ...lines].join(newline) + newline;
  });

describe('a file read by several readers gives what one reader gives', () => {
  it('the same cost lines and rows for fuzzed CSV, wherever the split points fall (inside quoted line breaks too)', async () => {
    await fc.assert(
      fc.asyncProperty(focusText, fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 4 }), async (text, fractions) => {
        const bytes = new TextEncoder().encode(text);
        const file = () => memoryFile('split.csv', bytes);
        const guesses = fractions.map((f) => Math.floor((f / 1_000_000) * bytes.length)).sort((a, b) => a - b);
        const whole = await ingestFocus([file()], { dimensions });
        const split = await ingestFocus([file()], { dimensions, split: splitAt(guesses) });
        expect(summary(split)).toEqual(summary(whole));
      }),
      { numRuns: 200 },
    );
    // the property did split files, and some guesses fell inside quoted line breaks
    expect(parts.length).toBeGreaterThan(300);
    expect(partsEndedInQuotes).toBeGreaterThan(10);
  });

  it('a guess inside a quoted line break is found out and that part read again with the next', async () => {
    const tags = '"{""costcenter"":""CC1"",\n""note"":""x""}"';
    const row = (cost: string) => ['2026-10-01T00:00:00Z', 'USD', 'Usage', '', cost, cost, 'team-a', 'Compute', 'VMs', 'Azure', tags].join(',');
    const text = [BASE_HEADER.join(','), row('1.00'), row('2.00'), row('3.00')].join('\n') + '\n';
    const inside = text.indexOf(',\n""note', text.indexOf('2.00')) + 1; // on the line break inside the quotes of the second row
    const split = await ingestFocus([memoryFile('q.csv', text)], { dimensions, split: splitAt([inside]) });
    const whole = await ingestFocus([memoryFile('q.csv', text)], { dimensions });
    expect(summary(split)).toEqual(summary(whole));
    expect(formatExact(split.lines[0].billedCost)).toBe('6');
  });

  it('bad input in a later part is reported at the row a single reader reports', async () => {
    const row = (cost: string) => ['2026-10-01T00:00:00Z', 'USD', 'Usage', '', cost, cost, 'team-a', 'Compute', 'VMs', 'Azure', '"{""costcenter"":""A"",\n""b"":""B""}"'].join(',');
    const rows = Array.from({ length: 50 }, (_, i) => row(i === 37 ? 'ten' : '1.00'));
    const text = [BASE_HEADER.join(','), ...rows.slice(0, 10), '', ...rows.slice(10)].join('\n') + '\n';
    const file = (): CostFile => memoryFile('bad.csv', text);
    await expect(ingestFocus([file()], { dimensions })).rejects.toThrow('bad.csv, row 40, column BilledCost: "ten" is not a number');
    for (const at of [0.3, 0.5, 0.75, 0.9]) {
      await expect(ingestFocus([file()], { dimensions, split: splitAt([Math.floor(text.length * at)]) })).rejects.toThrow('bad.csv, row 40, column BilledCost: "ten" is not a number');
    }
  });

  it('a missing column is reported once, from the header, before any part is read', async () => {
    const text = 'BillingPeriodStart,BillingCurrency\n2026-10-01,USD\n2026-10-01,USD\n';
    const runs: unknown[] = [];
    const split = { ...splitAt([20]), run: async () => (runs.push(1), { groups: [], records: 0, rowsRead: 0 }) };
    await expect(ingestFocus([memoryFile('h.csv', text)], { dimensions, split })).rejects.toThrow(/h\.csv, row 1: missing FOCUS columns/);
    expect(runs).toEqual([]);
  });
});
