/**
 * The invariants of a restatement, for any two versions of a period: the journal balances to the
 * cent, and what the ledger held after version 1 plus the restatement journal is version 2, per
 * cost center and account, to the cent — whichever journal form and whatever moved (amounts,
 * accounts, cost centers that appear or vanish, refunds larger than cost).
 */
import fc from 'fast-check';
import { AllocationResult } from '../../src/core/allocate';
import { journalFor } from '../../src/core/journal';
import { ledgerOf, netChangeByCostCenter, restatementJournal, RestatementJournal } from '../../src/core/restatement';

const codes = ['CC-A', 'CC-B', 'CC-C', 'CC-D', 'UNALLOCATED'];
const accounts = ['6100', '6200', '6300'];

const chargeArb = fc.record({ costCenter: fc.constantFrom(...codes), account: fc.constantFrom(...accounts), total: fc.bigInt({ min: -50_000n, max: 5_000_000n }) });
const versionArb = fc.record({ charges: fc.uniqueArray(chargeArb, { selector: (c) => c.costCenter, maxLength: codes.length }), clearing: fc.constantFrom('2990', '2991') });

/** A statement with these cost center totals, as journalFor reads it. */
function statement(charges: { costCenter: string; account: string; total: bigint }[]): AllocationResult {
  return {
    period: '2026-10',
    currency: 'USD',
    minorDigits: 2,
    costCenters: charges.map((c) => ({ costCenter: c.costCenter, name: `Team ${c.costCenter}`, glAccount: c.account, isUnallocated: c.costCenter === 'UNALLOCATED', total: c.total })),
  } as unknown as AllocationResult;
}

const key = (account: string, costCenter: string) => `${account}|${costCenter}`;
function positions(lines: { account: string; costCenter: string; amount: bigint }[]): Map<string, bigint> {
  const held = new Map<string, bigint>();
  for (const l of lines) held.set(key(l.account, l.costCenter), (held.get(key(l.account, l.costCenter)) ?? 0n) + l.amount);
  for (const [k, v] of held) if (v === 0n) held.delete(k);
  return held;
}

const sameLedger = (a: Map<string, bigint>, b: Map<string, bigint>) => a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);

describe('a restatement journal, for any two versions of a period', () => {
  it.each<RestatementJournal>(['Difference', 'Reverse and repost'])('balances, and version 1 + the %s journal = version 2 per cost center and account, to the cent', (form) => {
    fc.assert(
      fc.property(versionArb, versionArb, (v1, v2) => {
        const before = ledgerOf(journalFor(statement(v1.charges), { clearingAccount: v1.clearing }));
        const after = ledgerOf(journalFor(statement(v2.charges), { clearingAccount: v2.clearing }));
        const journal = restatementJournal({ period: '2026-10', currency: 'USD', minorDigits: 2, restatesVersion: 1, before, after, form, postedIn: '2026-10' });
        expect(journal.debits).toBe(journal.credits);
        expect(journal.lines.every((l) => l.debit >= 0n && l.credit >= 0n && (l.debit === 0n || l.credit === 0n))).toBe(true);
        const posted = positions([...before, ...journal.lines.map((l) => ({ account: l.account, costCenter: l.costCenter, amount: l.debit - l.credit }))]);
        expect(posted).toEqual(positions(after));
        // The net change per cost center is what the journal moves for it.
        for (const change of netChangeByCostCenter(before, after)) {
          const moved = journal.lines.filter((l) => l.costCenter === change.costCenter).reduce((a, l) => a + l.debit - l.credit, 0n);
          expect(moved).toBe(change.change);
        }
        // Nothing moved: the difference journal is empty.
        if (form === 'Difference') expect(journal.lines.length === 0).toBe(sameLedger(positions(before), positions(after)));
      }),
      { numRuns: 400 },
    );
  });
});
