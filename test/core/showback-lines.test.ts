/**
 * What an owner's showback statement holds (issue 29): the lines they pay for, not pages of 0.00;
 * "—" rather than "0%" for a share of a pool that collected nothing; and the GL account the journal
 * posts unallocated cost to, on every artifact that shows the unallocated line.
 */
import { allocate } from '../../src/core/allocate';
import { sharePercent } from '../../src/core/facts';
import { factRows } from '../../src/core/facts';
import { journalFor } from '../../src/core/journal';
import { statementArtifact } from '../../src/core/publication';
import { parseRules, RuleTables } from '../../src/core/rules';
import { showbackStatements } from '../../src/core/showback';
import { line, threeTeams } from './helpers';

const tables: RuleTables = {
  ...threeTeams,
  Settings: [
    { Setting: 'ClearingAccount', Value: '2990' },
    { Setting: 'UnallocatedAccount', Value: '6190' },
  ],
  SharedPools: [
    { Pool: 'Network', Dimension: 'ServiceCategory', Pattern: 'Networking', Method: 'Even', Targets: '*' },
    // Nothing this month is Security: the pool collects nothing.
    { Pool: 'Security', Dimension: 'ServiceCategory', Pattern: 'Security', Method: 'Even', Targets: 'CC-A,CC-B' },
  ],
};

const lines = [
  line({ SubAccountName: 'team-a-prod', ServiceName: 'VMs', ServiceCategory: 'Compute' }, '100.00'),
  // A credit that cancels a charge: the group nets to 0.00.
  line({ SubAccountName: 'team-a-prod', ServiceName: 'Storage', ServiceCategory: 'Storage' }, '12.50'),
  line({ SubAccountName: 'team-a-prod', ServiceName: 'Storage', ServiceCategory: 'Storage' }, '-12.50', { chargeCategory: 'Credit' }),
  line({ SubAccountName: 'team-b-prod', ServiceName: 'VMs', ServiceCategory: 'Compute' }, '40.00'),
  line({ SubAccountName: 'hub', ServiceName: 'Firewall', ServiceCategory: 'Networking' }, '30.00'),
  line({ SubAccountName: 'sandbox', ServiceName: 'VMs', ServiceCategory: 'Compute' }, '7.25'),
];
const rules = parseRules(tables);
const result = allocate(lines, rules);
const context = { version: 1, approvedBy: 'Dana', approvedAt: '2026-11-03T10:00:00Z' };
const statementOf = (code: string, includeZeroLines = false) => showbackStatements(result, rules, { ...context, includeZeroLines }).find((s) => s.costCenter === code)!;

describe('showback lines', () => {
  it('leaves out direct lines and pool shares of 0.00, and the rest still add up to the statement', () => {
    const a = statementOf('CC-A');
    expect(a.lines.map((l) => [l.service, l.amount])).toEqual([['VMs', 10000n]]);
    expect(a.shares.map((s) => s.pool)).toEqual(['Network']);
    expect(a.lines.reduce((sum, l) => sum + l.amount, 0n)).toBe(a.direct);
    expect(a.shares.reduce((sum, s) => sum + s.amount, 0n)).toBe(a.shared);
  });

  it('keeps them when asked, with "—" for a share of a pool that collected nothing', () => {
    const a = statementOf('CC-A', true);
    expect(a.lines.map((l) => [l.service, l.amount])).toEqual([['Storage', 0n], ['VMs', 10000n]]);
    const security = a.shares.find((s) => s.pool === 'Security')!;
    expect(security.sharePercent).toBe('—');
    expect(security.explanation).toBe('Security collected nothing this month (it is split in equal shares); your share 0.00');
    expect(a.shares.find((s) => s.pool === 'Network')!.sharePercent).toBe('33.3%');
  });
});

describe('the unallocated line', () => {
  it('shows the GL account the journal posts it to, in the statement, the facts and showback', () => {
    const unallocated = result.costCenters.find((c) => c.isUnallocated)!;
    expect(unallocated.glAccount).toBe('6190');
    const journal = journalFor(result, rules.settings);
    expect(journal.lines.find((l) => l.costCenter === unallocated.costCenter)?.account).toBe('6190');
    expect(new TextDecoder().decode(statementArtifact(result).bytes)).toMatch(/,UNALLOCATED,Unallocated cost,,6190,/);
    const facts = factRows(result, rules, { version: 1, approval: { by: 'Dana', time: 't', contentDigest: 'd' }, published: { by: 'Dana', time: 't' } });
    expect(facts.statement.find((row) => row[3] === 'UNALLOCATED')![6]).toBe('6190');
    expect(statementOf('UNALLOCATED').glAccount).toBe('6190');
  });

  it('keeps the account CostCenters gives the unallocated code itself', () => {
    const own = parseRules({ ...tables, CostCenters: [...threeTeams.CostCenters!, { CostCenter: 'UNALLOCATED', Name: 'Not yet mapped', GLAccount: '6199' }] });
    expect(allocate(lines, own).costCenters.find((c) => c.isUnallocated)!.glAccount).toBe('6199');
  });
});

describe('share percents in the facts', () => {
  it('round to four decimals, half away from zero, so the shares of a pool add up to 100 within the last digit', () => {
    expect([sharePercent(4n, 15n), sharePercent(2n, 3n), sharePercent(1n, 3n), sharePercent(-4n, 15n), sharePercent(1n, 8n), sharePercent(5n, 0n), sharePercent(0n, 7n)]).toEqual(['26.6667', '66.6667', '33.3333', '-26.6667', '12.5000', '', '0.0000']);
    // 26.6667 + 26.6667 + 46.6667 = 100.0001 (truncated, they made 99.9998): in ten-thousandths of a percent
    const parts = [4n, 4n, 7n].map((part) => BigInt(sharePercent(part, 15n).replace('.', '')));
    const off = parts.reduce((a, b) => a + b, 0n) - 1_000_000n;
    expect(off === 1n || off === -1n || off === 0n).toBe(true);
  });
});
