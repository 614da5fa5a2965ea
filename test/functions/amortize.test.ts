import fc from 'fast-check';
import { minorUnitSize, roundToMinor } from '../../src/core/money';
import { amortize, readDay, showDay } from '../../src/functions/amortize';
import { exact, expectFormulaError } from './helpers';

const MONTH_ENDS_2026 = ['01-31', '02-28', '03-31', '04-30', '05-31', '06-30', '07-31', '08-31', '09-30', '10-31', '11-30', '12-31'];

describe('CB.AMORTIZE', () => {
  it('counts both end dates: 365 over 2026 puts 31.00 in January and 28.00 in February', () => {
    expect(amortize(365, '2026-01-01', '2026-12-31', '2026-01-01', '2026-01-31')).toBe(31);
    expect(amortize(365, '2026-01-01', '2026-12-31', '2026-02-01', '2026-02-28')).toBe(28);
  });

  it('puts 101.92 of a 1,200 one-year term in January (1,200 × 31 ÷ 365 = 101.9178…)', () => {
    expect(amortize(1200, '2026-01-01', '2026-12-31', '2026-01-01', '2026-01-31')).toBe(101.92);
  });

  it('puts 92.05 in February (1,200 × 28 ÷ 365 = 92.0548…)', () => {
    expect(amortize(1200, '2026-01-01', '2026-12-31', '2026-02-01', '2026-02-28')).toBe(92.05);
  });

  it('makes the twelve months of a term add up exactly to the amount', () => {
    let total = 0n;
    let start = '2026-01-01';
    for (const monthEnd of MONTH_ENDS_2026) {
      total += exact(amortize(1000, '2026-01-01', '2026-12-31', start, `2026-${monthEnd}`));
      start = showDay(readDay(`2026-${monthEnd}`, 'end') + 1);
    }
    expect(total).toBe(exact(1000));
  });

  it('takes Excel serial dates: 46023 is 2026-01-01', () => {
    expect(readDay(46023, 'd')).toBe(readDay('2026-01-01', 'd'));
    expect(amortize(365, 46023, 46387, 46023, 46053)).toBe(31);
  });

  it('drops a time of day from a serial or an ISO timestamp', () => {
    expect(readDay(46023.75, 'd')).toBe(46023);
    expect(readDay('2026-01-01T18:00:00Z', 'd')).toBe(46023);
  });

  it('gives the part of the period that the term covers when they overlap only in part', () => {
    // term 2026-01-16 to 2026-02-14 (30 days): 16 of them fall in January
    expect(amortize(300, '2026-01-16', '2026-02-14', '2026-01-01', '2026-01-31')).toBe(160);
    expect(amortize(300, '2026-01-16', '2026-02-14', '2026-02-01', '2026-02-28')).toBe(140);
  });

  it('gives the whole amount for a period that covers the term, and 0 outside it', () => {
    expect(amortize(500, '2026-03-01', '2026-03-10', '2026-01-01', '2026-12-31')).toBe(500);
    expect(amortize(500, '2026-03-01', '2026-03-10', '2026-04-01', '2026-04-30')).toBe(0);
    expect(amortize(500, '2026-03-01', '2026-03-10', '2025-01-01', '2025-12-31')).toBe(0);
  });

  it('amortizes a one-day term entirely into that day', () => {
    expect(amortize(99.99, '2026-05-05', '2026-05-05', '2026-05-01', '2026-05-31')).toBe(99.99);
  });

  it('answers #VALUE! when a term or period ends before it starts', () => {
    expectFormulaError(() => amortize(100, '2026-12-31', '2026-01-01', '2026-01-01', '2026-01-31'), 'invalidValue', 'term_end (2026-01-01) is before term_start (2026-12-31)');
    expectFormulaError(() => amortize(100, '2026-01-01', '2026-12-31', '2026-01-31', '2026-01-01'), 'invalidValue', /period_end \(2026-01-01\) is before period_start/);
  });

  it('answers #VALUE! for text that is not a date, an impossible date or an empty cell', () => {
    expectFormulaError(() => amortize(100, 'next year', '2026-12-31', '2026-01-01', '2026-01-31'), 'invalidValue', 'term_start is "next year", not a date: give a date cell or text like 2026-01-31');
    expectFormulaError(() => amortize(100, '2026-02-30', '2026-12-31', '2026-01-01', '2026-01-31'), 'invalidValue', /term_start is "2026-02-30", not a date/);
    expectFormulaError(() => amortize(100, '2026-01-01', '', '2026-01-01', '2026-01-31'), 'invalidValue', /term_end is empty, not a date/);
  });

  it('consecutive periods covering a term add up to the amount, each within one minor unit of exact', () => {
    const schedule = fc.record({
      cents: fc.integer({ min: -10_000_000_000, max: 10_000_000_000 }),
      termDays: fc.integer({ min: 1, max: 1200 }),
      cuts: fc.array(fc.integer({ min: 1, max: 1199 }), { maxLength: 40 }),
      decimals: fc.integer({ min: 0, max: 3 }),
    });
    fc.assert(
      fc.property(schedule, ({ cents, termDays, cuts, decimals }) => {
        const amount = cents / 100;
        const start = 46023;
        const end = start + termDays - 1;
        const bounds = [...new Set(cuts.filter((c) => c < termDays))].sort((a, b) => a - b);
        const periods = [0, ...bounds].map((from, i) => [start + from, start + (i < bounds.length ? bounds[i] : termDays) - 1]);
        const unit = minorUnitSize(decimals);
        let total = 0n;
        for (const [from, to] of periods) {
          const share = exact(amortize(amount, start, end, from, to, decimals));
          const gap = share * BigInt(termDays) - exact(amount) * BigInt(to - from + 1);
          expect((gap < 0n ? -gap : gap) <= unit * BigInt(termDays)).toBe(true);
          total += share;
        }
        expect(total).toBe(roundToMinor(exact(amount), decimals) * unit);
      }),
      { numRuns: 300 },
    );
  });
});
