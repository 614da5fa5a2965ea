import { allocate } from '../../src/core/allocate';
import { journalFor, JournalError, lastDayOf } from '../../src/core/journal';
import { journalArtifact } from '../../src/core/publication';
import { parseRules, RuleTables } from '../../src/core/rules';
import { line, threeTeams } from './helpers';

const tables = (settings: Record<string, string> = { ClearingAccount: '2990' }): RuleTables => ({
  ...threeTeams,
  Settings: Object.entries(settings).map(([Setting, Value]) => ({ Setting, Value })),
  CostCenters: [
    { CostCenter: 'CC-A', Name: 'Team A', GLAccount: '6100' },
    { CostCenter: 'CC-B', Name: 'Team B', GLAccount: '6200' },
    { CostCenter: 'CC-C', Name: 'Team C', GLAccount: '6300' },
  ],
});
const lines = [
  line({ SubAccountName: 'team-a' }, '100.005'),
  line({ SubAccountName: 'team-b' }, '-20.00'), // a refund larger than the month's cost
  line({ SubAccountName: 'team-c' }, '0.333'),
  line({ SubAccountName: 'stray' }, '5.00'),
];

describe('the GL journal', () => {
  it('debits each cost center to its GL account and credits the clearing account, balanced to the cent', () => {
    const rules = parseRules(tables({ ClearingAccount: '2990', UnallocatedAccount: '6190' }));
    const result = allocate(lines, rules);
    const journal = journalFor(result, rules.settings);
    expect(journal.lines.map((l) => [l.account, l.costCenter, l.debit, l.credit])).toEqual([
      ['6100', 'CC-A', 10001n, 0n],
      ['6200', 'CC-B', 0n, 2000n],
      ['6300', 'CC-C', 33n, 0n],
      ['6190', 'UNALLOCATED', 500n, 0n],
      ['2990', '', 0n, 8534n],
    ]);
    expect(journal.debits).toBe(10534n);
    expect(journal.credits).toBe(10534n);
    expect(journal.lines[0]).toMatchObject({ journalId: 'CB-2026-10', lineNumber: 1, postingDate: '2026-10-31', period: '2026-10', currency: 'USD', description: 'Cloud chargeback 2026-10: Team A' });
  });

  it('writes debits and credits as plain numbers, the other side left empty', () => {
    const rules = parseRules(tables({ ClearingAccount: '2990', UnallocatedAccount: '6190' }));
    const result = allocate(lines, rules);
    const csv = new TextDecoder().decode(journalArtifact('2026-10', journalFor(result, rules.settings), 2).bytes);
    expect(csv.split('\r\n')[0]).toBe('JournalId,LineNumber,PostingDate,Period,Account,CostCenter,CostCenterName,Description,Debit,Credit,Currency');
    expect(csv.split('\r\n')[2]).toBe('CB-2026-10,2,2026-10-31,2026-10,6200,CC-B,Team B,Cloud chargeback 2026-10: Team B,,20.00,USD');
    expect(csv.split('\r\n')[5]).toBe('CB-2026-10,5,2026-10-31,2026-10,2990,,,Cloud chargeback 2026-10: cleared to cost centers,,85.34,USD');
  });

  it('refuses, naming them, cost centers without an account and a missing clearing account', () => {
    const rules = parseRules({ ...tables({}), CostCenters: [{ CostCenter: 'CC-A', Name: 'Team A', GLAccount: '6100' }, { CostCenter: 'CC-B', Name: 'Team B', GLAccount: '' }, { CostCenter: 'CC-C', Name: 'Team C', GLAccount: '6300' }] });
    const result = allocate(lines, rules);
    const failure = (() => {
      try {
        journalFor(result, rules.settings);
      } catch (error) {
        return error as JournalError;
      }
    })();
    expect(failure).toBeInstanceOf(JournalError);
    expect(failure!.problems).toEqual([
      'Settings has no ClearingAccount: add the GL account the journal credits (Setting ClearingAccount)',
      'cost center CC-B (-20.00 USD) has no GLAccount in CostCenters',
      'UNALLOCATED (5.00 USD unallocated) has no GL account: map that cost to cost centers, or set Settings UnallocatedAccount',
    ]);
  });

  it('leaves out cost centers with nothing charged, so they need no account', () => {
    const rules = parseRules(tables());
    const result = allocate(lines.slice(0, 2), rules);
    expect(journalFor(result, rules.settings).lines.map((l) => l.costCenter)).toEqual(['CC-A', 'CC-B', '']);
  });

  it('posts on the last day of the period', () => {
    expect(lastDayOf('2024-02')).toBe('2024-02-29');
    expect(lastDayOf('2026-12')).toBe('2026-12-31');
  });
});
