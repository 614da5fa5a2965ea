import type { ReviewCheck } from '../../src/core/review';
import { approveBlockedBecause, approvalView, groupChecks, reviewLayout, rowsBehind } from '../../src/taskpane/review-view';
import { storedReviewerName } from '../../src/taskpane/reviewer';

const check = (severity: ReviewCheck['severity'], name: ReviewCheck['check'], subject = ''): ReviewCheck => ({ check: name, severity, subject, figure: '0.00', detail: '', where: 'Chargeback' });

describe('the Review step', () => {
  it('lists what blocks first, then warnings, OK and info, keeping the order within each group', () => {
    const groups = groupChecks([check('OK', 'Reconciliation'), check('Info', 'Effective vs billed'), check('Warning', 'Budget variance', 'CC-ML'), check('Blocking', 'Statement edited', 'CC-A'), check('Warning', 'Budget variance', 'CC-WEB')]);
    expect(groups.map((g) => [g.title, g.checks.map((c) => `${c.check} ${c.subject}`.trim())])).toEqual([
      ['Blocking', ['Statement edited CC-A']],
      ['Warnings', ['Budget variance CC-ML', 'Budget variance CC-WEB']],
      ['OK', ['Reconciliation']],
      ['Info', ['Effective vs billed']],
    ]);
  });

  it('says why Approve is unavailable: the blocking checks by name, or an approval already in force', () => {
    expect(approveBlockedBecause([check('OK', 'Reconciliation')], undefined)).toBeUndefined();
    expect(approveBlockedBecause([check('Blocking', 'Reconciliation')], undefined)).toBe('Approval is blocked until this check passes: Reconciliation.');
    expect(approveBlockedBecause([check('Blocking', 'Reconciliation'), check('Blocking', 'Statement edited', 'CC-A')], undefined)).toBe('Approval is blocked until these 2 checks pass: Reconciliation, Statement edited (CC-A).');
    expect(approveBlockedBecause([], { period: '2026-10', status: 'approved', changedTables: [] })).toBe('2026-10 is approved already.');
  });

  it('points a check at its subject row when the table has one, else at what the check names', () => {
    const chargeback = { headers: ['CostCenter', 'Total'], rows: [['CC-A', 1], ['CC-ML', 2]] };
    expect(rowsBehind({ where: 'Chargeback', subject: 'CC-ML' }, chargeback)).toBe('Chargeback!A3');
    expect(rowsBehind({ where: 'Chargeback', subject: 'CC-ZZ' }, chargeback)).toBe('Chargeback');
    expect(rowsBehind({ where: 'Allocation!A17', subject: 'UNALLOCATED' }, chargeback)).toBe('Allocation!A17');
    expect(rowsBehind({ where: 'Reconciliation', subject: '' }, undefined)).toBe('Reconciliation');
  });

  it('opens what needs attention, folds OK and info, and after a change since approval folds the checks it causes under one root cause', () => {
    const checks = [check('OK', 'Reconciliation'), check('Info', 'Effective vs billed'), check('Warning', 'Budget variance', 'CC-ML'), check('Blocking', 'Statement edited', 'CC-A')];
    const open = reviewLayout(checks, { period: '2026-10', status: 'open', changedTables: [] });
    expect([open.rootCause, open.attention.map((g) => g.severity), open.folded.map((g) => g.severity)]).toEqual([undefined, ['Blocking', 'Warning'], ['OK', 'Info']]);
    const changed = reviewLayout(checks, { period: '2026-10', status: 'changed', changedTables: ['Costs', 'Mappings'] });
    expect(changed.rootCause?.title).toBe('Costs changed since approval');
    expect(changed.rootCause?.derived.map((g) => g.severity)).toEqual(['Blocking', 'Warning']);
    expect([changed.attention, changed.folded.map((g) => g.severity)]).toEqual([[], ['OK', 'Info']]);
    expect(reviewLayout(checks, { period: '2026-10', status: 'changed', changedTables: ['Mappings'] }).rootCause?.title).toBe('Mappings changed since approval');
  });

  it('shortens the approval digest for display and keeps it whole', () => {
    const digest = 'ab'.repeat(32);
    const view = approvalView({ period: '2026-10', status: 'approved', changedTables: [], approval: { time: 'T', action: 'Approve', by: 'Dana', period: '2026-10', details: '', contentDigest: digest, previousEntryDigest: '', entryDigest: '' } });
    expect(view).toMatchObject({ by: 'Dana', time: 'T', digest, shortDigest: 'abababababab…' });
  });
});

describe('who approves', () => {
  it('remembers the name the reviewer typed', () => {
    const store = new Map<string, string>();
    const names = storedReviewerName({ getItem: (k) => store.get(k) ?? null, setItem: (k, v) => void store.set(k, v) });
    expect(names.remembered()).toBe('');
    names.remember('  Dana Reviewer ');
    expect(names.remembered()).toBe('Dana Reviewer');
  });

  it('names no signed-in user unless an identity provider is given', async () => {
    const names = storedReviewerName({ getItem: () => null, setItem: () => undefined });
    await expect(names.signedIn()).resolves.toBeUndefined();
    const signed = storedReviewerName({ getItem: () => null, setItem: () => undefined }, async () => ({ username: 'dana@contoso.com' }));
    await expect(signed.signedIn()).resolves.toEqual({ username: 'dana@contoso.com' });
  });
});
