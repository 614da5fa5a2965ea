// What finance types into the CB functions, taken as typed, and the same answer from the run:
// computed percents, duplicate targets, text dates with a time of day, amounts with many decimals,
// shares a hair apart, and rates ranges without a header row.
import { allocate } from '../../src/core/allocate';
import { formatMinor } from '../../src/core/money';
import { parseRules, RuleTables, validateRules } from '../../src/core/rules';
import { allocateAmount } from '../../src/functions/allocation';
import { amortize } from '../../src/functions/amortize';
import { convert } from '../../src/functions/convert';
import { resetDateOrder, useDateOrder } from '../../src/functions/dates';
import { reconcile } from '../../src/functions/reconcile';
import { split, splitEven, splitFixed } from '../../src/functions/splits';
import { line } from '../core/helpers';
import { column, expectFormulaError, row } from './helpers';

/** The run on one pool of `amount`, split across CC-A, CC-B and CC-C (no direct cost): each one's share in cents. */
function runShares(amount: string, pool: Record<string, unknown>, extra: RuleTables = {}): string[] {
  const tables: RuleTables = {
    CostCenters: ['CC-A', 'CC-B', 'CC-C'].map((CostCenter) => ({ CostCenter, Name: CostCenter })),
    SharedPools: [{ Pool: 'Shared', Dimension: 'SubAccountName', Pattern: 'hub', Targets: '*', ...pool }],
    ...extra,
  };
  const result = allocate([line({ SubAccountName: 'hub' }, amount)], parseRules(tables));
  return ['CC-A', 'CC-B', 'CC-C'].map((code) => formatMinor(result.costCenters.find((c) => c.costCenter === code)!.shares[0], 2));
}

describe('percents that add up to 100 as a worksheet holds it', () => {
  it('takes {7%,93%}*100, whose cells hold 7.000000000000001 and 93, and splits 1,000 as 70 and 930', () => {
    const percents = [0.07 * 100, 0.93 * 100];
    expect(percents[0]).toBe(7.000000000000001);
    expect(splitFixed(1000, row(...percents))).toEqual([[70, 930]]);
  });

  it('takes three cells of =100/3 and splits 100 in equal thirds', () => {
    const third = 100 / 3;
    expect(splitFixed(100, column(third, third, third))).toEqual([[33.34], [33.33], [33.33]]);
    expect(allocateAmount(100, column('CC-A', 'CC-B', 'CC-C'), 'Fixed', column(third, third, third))).toEqual([['CC-A', 33.34], ['CC-B', 33.33], ['CC-C', 33.33]]);
  });

  it('takes every three-way split of whole percents typed as % cells times 100', () => {
    let refused = 0;
    for (let a = 0; a <= 100; a++) {
      for (let b = 0; a + b <= 100; b++) {
        const cells = [(a / 100) * 100, (b / 100) * 100, ((100 - a - b) / 100) * 100];
        try {
          splitFixed(1000, row(...cells));
        } catch {
          refused++;
        }
      }
    }
    expect(refused).toBe(0);
  });

  it('still refuses percents a cell would show as other than 100', () => {
    expectFormulaError(() => splitFixed(100, row(50, 49.9999999999)), 'invalidValue', 'the percents add up to 99.9999999999, not 100');
    expectFormulaError(() => splitFixed(100, row(50, '50.000000000001')), 'invalidValue', 'the percents add up to 100.000000000001, not 100');
  });

  it('is the same rule in FixedSplits: the run takes three rows of =100/3 and refuses 99.9999999999', () => {
    const third = String(100 / 3);
    const fixed = (percents: string[]) => ({ FixedSplits: percents.map((Percent, i) => ({ Pool: 'Shared', CostCenter: `CC-${'ABC'[i]}`, Percent })) });
    expect(runShares('100', { Method: 'Fixed' }, fixed([third, third, third]))).toEqual(['33.34', '33.33', '33.33']);
    const refused = validateRules({ CostCenters: [{ CostCenter: 'CC-A' }, { CostCenter: 'CC-B' }], SharedPools: [{ Pool: 'Shared', Dimension: 'SubAccountName', Pattern: 'hub', Method: 'Fixed' }], FixedSplits: [{ Pool: 'Shared', CostCenter: 'CC-A', Percent: '50' }, { Pool: 'Shared', CostCenter: 'CC-B', Percent: '49.9999999999' }] });
    expect(refused.problems.map((p) => p.message)).toEqual(['pool Shared: the percents add up to 99.9999999999, not 100']);
  });
});

describe('CB.ALLOCATE refuses a target named twice, as the run refuses such a pool', () => {
  it('{"A";"A";"B"} is #VALUE! naming both rows', () => {
    expectFormulaError(() => allocateAmount(90, column('A', 'A', 'B'), 'Even'), 'invalidValue', 'targets: item 2 is "A", the same cost center as item 1 ("A"): name each target once');
  });

  it('"A" and "a " are one cost center, as in the run', () => {
    expectFormulaError(() => allocateAmount(90, column('A', 'B', 'a '), 'Driver', column(1, 1, 1)), 'invalidValue', 'item 3 is "a ", the same cost center as item 1 ("A")');
    const run = validateRules({ CostCenters: [{ CostCenter: 'A' }, { CostCenter: 'B' }], SharedPools: [{ Pool: 'P', Dimension: 'SubAccountName', Pattern: 'hub', Method: 'Even', Targets: 'A, B, a ' }] });
    expect(run.problems.map((p) => p.message)).toEqual(['target a is named twice: name each target once']);
  });
});

describe('CB.AMORTIZE reads text dates with a time of day and only dates Excel has', () => {
  afterEach(() => resetDateOrder());

  it('takes "1/31/2026 10:30 AM" month first, the time ignored', () => {
    useDateOrder('MDY', 'en-US');
    expect(amortize(3100, '1/1/2026 9:00 AM', '1/31/2026 10:30 AM', '1/1/2026', '1/10/2026 11:59 PM')).toBe(1000);
  });

  it('takes "31/01/2026 10:30" day first, with seconds too', () => {
    useDateOrder('DMY', 'en-GB');
    expect(amortize(3100, '01/01/2026 00:00', '31/01/2026 10:30', '01/01/2026', '10/01/2026 23:59:59')).toBe(1000);
  });

  it('refuses a time that is none, rather than ignoring it', () => {
    useDateOrder('DMY', 'en-GB');
    expectFormulaError(() => amortize(100, '31/01/2026 25:30', '2026-12-31', '2026-01-01', '2026-01-31'), 'invalidValue', 'term_start is "31/01/2026 25:30", not a date: 25:30 is not a time of day');
  });

  it('refuses a serial number past 9999-12-31 (serial 2958465), and takes that day', () => {
    expectFormulaError(() => amortize(100, 2958466, 2958466, 2958466, 2958466), 'invalidValue', "term_start is 2958466, past Excel's last date (9999-12-31, serial 2958465)");
    expect(amortize(100, 2958465, 2958465, 2958465, 2958465)).toBe(100);
  });
});

describe('amounts typed with more than 15 decimals are rounded once', () => {
  it('CB.SPLIT("1.0049999999999999999", {1,1}) is 0.50 and 0.50: the amount rounds to 1.00', () => {
    expect(split('1.0049999999999999999', row(1, 1))).toEqual([[0.5, 0.5]]);
    expect(splitEven('1.0049999999999999999', 2)).toEqual([[0.5], [0.5]]);
    expect(splitFixed('1.0049999999999999999', row(50, 50))).toEqual([[0.5, 0.5]]);
    expect(allocateAmount('1.0049999999999999999', column('CC-A'), 'Even')).toEqual([['CC-A', 1]]);
  });

  it('as do AMORTIZE, RECONCILE and CONVERT', () => {
    expect(amortize('1.0049999999999999999', '2026-01-01', '2026-01-31', '2026-01-01', '2026-01-31')).toBe(1);
    expect(reconcile('1.0049999999999999999', column(0))).toBe(1);
    expect(reconcile(1, column('-0.0049999999999999999'))).toBe(1);
    expect(convert('1.0049999999999999999', 'USD', 'USD', [['2026-10', 'EUR', 'USD', 1.1, '']])).toBe(1);
    expect(convert('1.0049999999999999999', 'EUR', 'USD', [['2026-10', 'EUR', 'USD', 1, '']])).toBe(1);
  });
});

describe('near ties are told apart exactly', () => {
  const weights = [50000000000002, 50000000000003, 99999999999995];

  it('CB.SPLIT(0.02, {50000000000002, 50000000000003, 99999999999995}) is 0 | 0.01 | 0.01: the exact remainders differ by 10^-16', () => {
    expect(split(0.02, row(...weights))).toEqual([[0, 0.01, 0.01]]);
    expect(allocateAmount(0.02, column('CC-A', 'CC-B', 'CC-C'), 'Driver', column(...weights))).toEqual([['CC-A', 0], ['CC-B', 0.01], ['CC-C', 0.01]]);
  });

  it('and so does the run, on a Driver pool with those quantities', () => {
    const drivers = weights.map((Quantity, i) => ({ Driver: 'seats', CostCenter: `CC-${'ABC'[i]}`, Quantity: String(Quantity) }));
    expect(runShares('0.02', { Method: 'Driver', Driver: 'seats' }, { Drivers: drivers })).toEqual(['0.00', '0.01', '0.01']);
  });
});

describe('CB.CONVERT names the rows of the range it was given', () => {
  it('without a header row, a repeated pair names the first rate as row 1', () => {
    const rates = [
      ['2026-10', 'EUR', 'USD', 1.1, ''],
      ['2026-10', 'EUR', 'USD', 1.2, ''],
    ];
    expectFormulaError(() => convert(10, 'EUR', 'USD', rates), 'invalidValue', 'rates_range row 2, Rate: 2026-10 EUR → USD already has rate 1.1 on row 1: give each period and pair one rate');
  });

  it('with a header row, the same pair names rows 2 and 3', () => {
    const rates = [
      ['Period', 'FromCurrency', 'ToCurrency', 'Rate', 'Source'],
      ['2026-10', 'EUR', 'USD', 1.1, ''],
      ['2026-10', 'EUR', 'USD', 1.2, ''],
    ];
    expectFormulaError(() => convert(10, 'EUR', 'USD', rates), 'invalidValue', 'rates_range row 3, Rate: 2026-10 EUR → USD already has rate 1.1 on row 2: give each period and pair one rate');
  });
});
