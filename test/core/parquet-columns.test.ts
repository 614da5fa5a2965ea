import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ingestFocus, parquetRowsOption } from '../../src/core/ingest';
import { fineToExact, formatExact, formatMinor, parseExact, SMALL_TO_EXACT } from '../../src/core/money';
import { decimalAmount, unscaledFromBytes, unscaledFromBytesAt } from '../../src/core/parquet-columns';
import { costFilesAt } from '../../src/sources/node-files';
import { runDuckDb, sqlString } from '../support/duckdb';
import { BASE_HEADER, focusCsv, memoryFile, tempDir } from '../support/files';

/** Big-endian two's complement of `value` in `length` bytes. */
function bytesOf(value: bigint, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let v = value < 0n ? (1n << BigInt(8 * length)) + value : value;
  for (let i = length - 1; i >= 0; i--) {
    bytes[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return bytes;
}

/** The exact amount of unscaled × 10^-scale, through the text parser. */
const referenceOf = (unscaled: bigint, scale: number): bigint => parseExact(formatMinor(unscaled, scale))!;

describe('DECIMAL bytes read straight into exact amounts', () => {
  it('reads big-endian two\'s complement of any width exactly, as a number whenever it is under 2^53', () => {
    const sized = fc.integer({ min: 1, max: 16 }).chain((length) => {
      const limit = 1n << BigInt(8 * length - 1);
      return fc.tuple(fc.constant(length), fc.oneof(fc.bigInt({ min: -limit, max: limit - 1n }), fc.bigInt({ min: -(2n ** 54n), max: 2n ** 54n }).filter((v) => v >= -limit && v < limit)));
    });
    fc.assert(
      fc.property(sized, ([length, value]) => {
        const read = unscaledFromBytes(bytesOf(value, length));
        expect(BigInt(read)).toBe(value);
        // in place, inside a page of other values
        const page = new Uint8Array(length + 5).fill(0xa5);
        page.set(bytesOf(value, length), 3);
        expect(unscaledFromBytesAt(page, 3, length)).toBe(read);
        const safe = value < 2n ** 53n && value > -(2n ** 53n);
        expect(typeof read).toBe(safe ? 'number' : 'bigint');
      }),
      { numRuns: 2000 },
    );
    for (const value of [0n, -1n, 1n, 2n ** 53n - 1n, -(2n ** 53n) + 1n, 2n ** 53n, -(2n ** 53n), 2n ** 55n, -(2n ** 55n) - 1n, 2n ** 127n - 1n, -(2n ** 127n)]) {
      expect(BigInt(unscaledFromBytes(bytesOf(value, 16)))).toBe(value);
    }
    expect(unscaledFromBytes(new Uint8Array(0))).toBe(0);
  });

  it('gives the same exact amount as the text parser, for any scale, as a count of 10^-10 when one fits', () => {
    fc.assert(
      fc.property(fc.oneof(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.bigInt({ min: -(10n ** 38n), max: 10n ** 38n }), fc.integer({ min: -1e6, max: 1e6 }).map(BigInt)), fc.integer({ min: 0, max: 38 }), (unscaled, scale) => {
        const input = unscaled < 2n ** 53n && unscaled > -(2n ** 53n) && unscaled % 2n === 0n ? Number(unscaled) : unscaled;
        const amount = decimalAmount(input, scale);
        const reference = referenceOf(unscaled, scale);
        if (typeof amount === 'number') {
          expect(Number.isInteger(amount) && Math.abs(amount) < 1e15).toBe(true);
          expect(BigInt(amount) * SMALL_TO_EXACT).toBe(reference);
        } else if (typeof amount === 'bigint') {
          expect(amount).toBe(reference);
        } else {
          expect(fineToExact(amount)).toBe(reference);
          expect(amount.units * 10n ** BigInt(scale - amount.digits)).toBe(unscaled); // nothing dropped
        }
        // the fast form is used whenever the value is a whole count of 10^-10 under 10^15, from a number input
        const whole = scale <= 10 || (scale <= 32 && unscaled % 10n ** BigInt(scale - 10) === 0n); // 10^(scale-10) exact in float64
        if (typeof input === 'number' && whole && reference / SMALL_TO_EXACT < 10n ** 15n && reference / SMALL_TO_EXACT > -(10n ** 15n)) {
          expect(typeof amount).toBe('number');
        }
      }),
      { numRuns: 3000 },
    );
    expect(decimalAmount(123456, 10)).toBe(123456);
    expect(decimalAmount(125, 2)).toBe(12_500_000_000);
    expect(decimalAmount(15n, 16)).toEqual({ units: 15n, digits: 16 }); // 1.5e-15 kept whole, for the sum to round once
    expect(decimalAmount(-20n, 16)).toBe(-2n);
  });
});

const dimensions = ['SubAccountName', 'ServiceCategory', 'Tag:costcenter'];

function summarize(result: Awaited<ReturnType<typeof ingestFocus>>) {
  return result.lines.map((l) => [l.billingPeriod, l.currency, l.chargeCategory, l.commitmentDiscountStatus, l.dimensions.SubAccountName, l.dimensions.ServiceCategory, l.dimensions['Tag:costcenter'], formatExact(l.billedCost), formatExact(l.effectiveCost), l.sourceRows]);
}

/** Reads a Parquet file both ways: the column-chunk path and parquetRead's row assembly. */
async function bothWays(file: string) {
  const files = await costFilesAt(file);
  const fast = await ingestFocus(files, { dimensions });
  parquetRowsOption.value = true;
  try {
    const rows = await ingestFocus(files, { dimensions });
    return { fast, rows };
  } finally {
    parquetRowsOption.value = false;
  }
}

describe('Parquet read column chunk by column chunk', () => {
  const costs = ['12.5', '-0.0000000001', '3.3333333333', '99999.99', '0', '12345678.0123456789', '0.1', '-7.25', '10000000', '0.0000001'];
  const rows = Array.from({ length: 3000 }, (_, i) => [
    `2026-${i % 3 === 0 ? '09' : '10'}-0${1 + (i % 5)}T00:00:00Z`,
    i % 11 === 0 ? 'EUR' : 'USD',
    ['Usage', 'Purchase', 'Credit'][i % 3],
    i % 7 === 0 ? 'Used' : '',
    costs[i % costs.length],
    costs[(i * 7) % costs.length],
    i % 13 === 0 ? '' : `team-${i % 17}`,
    i % 5 === 0 ? '' : ['Compute', 'Storage', 'Networking'][i % 3],
    'VMs',
    'Azure',
    i % 4 === 0 ? '' : `"{""costcenter"":""CC-${i % 9}"",""env"":""prod""}"`,
  ]);
  const csv = focusCsv(BASE_HEADER, rows);

  it.each([
    ['DECIMAL(38,10) in 16 bytes, dictionary strings', 'DECIMAL(38,10)', ''],
    ['DECIMAL(18,10) in INT64', 'DECIMAL(18,10)', ''],
    ['DECIMAL(38,20)', 'DECIMAL(38,20)', ''],
    ['DOUBLE', 'DOUBLE', ''],
    ['VARCHAR amounts, plain (not dictionary) strings', 'VARCHAR', ', DICTIONARY_SIZE_LIMIT 1'],
    ['DECIMAL(38,10), PARQUET_VERSION V2 (RLE_DICTIONARY)', 'DECIMAL(38,10)', ", PARQUET_VERSION 'V2'"],
  ])('gives the CSV totals with %s', async (_label, amountType, options) => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'costs.csv'), csv);
    const parquet = path.join(dir, 'costs.parquet');
    const amounts = `CAST(BilledCost AS ${amountType}) AS BilledCost, CAST(EffectiveCost AS ${amountType}) AS EffectiveCost`;
    await runDuckDb(
      `COPY (SELECT * REPLACE (${amounts}, CAST(BillingPeriodStart AS TIMESTAMP) AS BillingPeriodStart, NULLIF(SubAccountName, '') AS SubAccountName) FROM read_csv(${sqlString(path.join(dir, 'costs.csv'))}, all_varchar=true)) TO ${sqlString(parquet)} (FORMAT parquet, ROW_GROUP_SIZE 1000${options})`,
    );
    const expected = summarize(await ingestFocus([memoryFile('costs.csv', csv)], { dimensions }));
    const { fast, rows: viaRows } = await bothWays(parquet);
    expect(fast.rowsRead).toBe(3000);
    if (amountType === 'DOUBLE') {
      // 12345678.0123456789 is not a float64: only the row-assembly path is the reference there
      expect(summarize(fast)).toEqual(summarize(viaRows));
    } else {
      expect(summarize(fast)).toEqual(expected);
      // row assembly reads DECIMAL through float64: the same groups, but 12345678.0123456789 loses digits there
      expect(summarize(viaRows).map((l) => l.slice(0, 7))).toEqual(expected.map((l) => l.slice(0, 7)));
    }
  });

  it('keeps DECIMAL digits a float64 would lose', async () => {
    const dir = tempDir();
    // (22 significant digits, under the 10^13 a cost cell may hold)
    const big = ['1234567890123.5678901234', '-0.0000000001', '999999999999.9999999999'];
    const text = focusCsv(BASE_HEADER, big.map((cost) => ['2026-10-01T00:00:00Z', 'USD', 'Usage', '', cost, cost, 'team-a', 'Compute', 'VMs', 'Azure', '']));
    writeFileSync(path.join(dir, 'big.csv'), text);
    const parquet = path.join(dir, 'big.parquet');
    await runDuckDb(`COPY (SELECT * REPLACE (CAST(BilledCost AS DECIMAL(38,10)) AS BilledCost, CAST(EffectiveCost AS DECIMAL(38,10)) AS EffectiveCost) FROM read_csv(${sqlString(path.join(dir, 'big.csv'))}, all_varchar=true)) TO ${sqlString(parquet)} (FORMAT parquet)`);
    const [line] = (await ingestFocus(await costFilesAt(parquet), { dimensions })).lines;
    expect(formatExact(line.billedCost)).toBe('2234567890123.5678901232');
    expect(formatExact(line.effectiveCost)).toBe('2234567890123.5678901232');
  });

  it('reports the row of a missing cost and of an empty currency, as row assembly did', async () => {
    const dir = tempDir();
    const bad = [
      ['2026-10-01T00:00:00Z', 'USD', 'Usage', '', '1', '1', 'team-a', 'Compute', 'VMs', 'Azure', ''],
      ['2026-10-01T00:00:00Z', 'USD', 'Usage', '', '', '1', 'team-a', 'Compute', 'VMs', 'Azure', ''],
    ];
    writeFileSync(path.join(dir, 'bad.csv'), focusCsv(BASE_HEADER, bad));
    const parquet = path.join(dir, 'bad.parquet');
    await runDuckDb(`COPY (SELECT * REPLACE (CAST(NULLIF(BilledCost, '') AS DECIMAL(38,10)) AS BilledCost) FROM read_csv(${sqlString(path.join(dir, 'bad.csv'))}, all_varchar=true)) TO ${sqlString(parquet)} (FORMAT parquet)`);
    await expect(ingestFocus(await costFilesAt(parquet), { dimensions })).rejects.toThrow(/row 3, column BilledCost/);
    parquetRowsOption.value = true;
    try {
      await expect(ingestFocus(await costFilesAt(parquet), { dimensions })).rejects.toThrow(/row 3, column BilledCost/);
    } finally {
      parquetRowsOption.value = false;
    }
    const noCurrency = path.join(dir, 'currency.parquet');
    await runDuckDb(`COPY (SELECT * REPLACE (CASE WHEN coalesce(BilledCost, '') = '' THEN NULL ELSE BillingCurrency END AS BillingCurrency, '1' AS BilledCost) FROM read_csv(${sqlString(path.join(dir, 'bad.csv'))}, all_varchar=true)) TO ${sqlString(noCurrency)} (FORMAT parquet)`);
    await expect(ingestFocus(await costFilesAt(noCurrency), { dimensions })).rejects.toThrow(/row 3, column BillingCurrency: BillingCurrency is empty/);
  });

  it('reads a nested Tags column (a MAP) through row assembly', async () => {
    const dir = tempDir();
    const parquet = path.join(dir, 'map.parquet');
    await runDuckDb(
      `COPY (SELECT TIMESTAMP '2026-10-01' AS BillingPeriodStart, 'USD' AS BillingCurrency, 'Usage' AS ChargeCategory, '' AS CommitmentDiscountStatus, CAST(i AS DECIMAL(38,10)) AS BilledCost, CAST(i AS DECIMAL(38,10)) AS EffectiveCost, 'team-a' AS SubAccountName, 'Compute' AS ServiceCategory, MAP {'costcenter': 'CC-' || (i % 2)} AS Tags FROM range(10) t(i)) TO ${sqlString(parquet)} (FORMAT parquet)`,
    );
    const result = await ingestFocus(await costFilesAt(parquet), { dimensions });
    expect(summarize(result).map((l) => [l[6], l[7], l[9]])).toEqual([
      ['CC-0', '20', 5],
      ['CC-1', '25', 5],
    ]);
  });
});
