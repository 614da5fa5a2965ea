import { allocate } from '../../src/core/allocate';
import { parseRules, RuleTables } from '../../src/core/rules';
import { reviewChecks } from '../../src/core/review';
import { approvalState, approvalSummary, approveWorkbook, contentDigest, isSelfApproval, preparersOf, reopenWorkbook, reviewWorkbook, verifyWorkbook } from '../../src/workbook/approval';
import { auditBy } from '../../src/core/identity';
import { ExcelJsGateway } from '../../src/workbook/exceljs-gateway';
import { allocateWorkbook } from '../../src/workbook/steps';
import { line, threeTeams } from '../core/helpers';
import { allocatedBook, clock, reviewer } from '../support/approved-book';

const tables: RuleTables = {
  ...threeTeams,
  // Publishable: approval is refused for a book whose journal publishing would refuse.
  Settings: [
    { Setting: 'ClearingAccount', Value: '2990' },
    { Setting: 'UnallocatedAccount', Value: '6190' },
  ],
  SharedPools: [{ Pool: 'Network', Dimension: 'ServiceCategory', Pattern: 'Networking', Method: 'Even', Targets: '*' }],
};

/** Saves and reloads, as the command line does between commands. */
async function roundTrip(gateway: ExcelJsGateway): Promise<ExcelJsGateway> {
  return ExcelJsGateway.fromBytes(await gateway.toBytes());
}

describe('approving a chargeback', () => {
  it('records who, when, the totals and the content digest, then protects the approved sheets', async () => {
    const gateway = await allocatedBook(tables);
    const { state } = await approveWorkbook(gateway, reviewer);
    expect(state.status).toBe('approved');
    expect(state.approval).toMatchObject({ action: 'Approve', by: 'Dana Reviewer', period: '2026-10', time: '2026-11-03T10:00:00Z' });
    expect(state.approval!.details).toMatch(/^approved 300.00 USD \(EffectiveCost\); source 300.00; unallocated 10.00; 4 cost centers/);
    expect(state.approval!.contentDigest).toBe((await contentDigest(gateway)).digest);
    const reloaded = await roundTrip(gateway);
    expect((await approvalState(reloaded)).status).toBe('approved');
    for (const sheet of ['Costs', 'Chargeback', 'Allocation', 'Mappings']) {
      expect((reloaded.workbook.getWorksheet(sheet) as unknown as { sheetProtection: object }).sheetProtection).toMatchObject({ sheet: true, sort: true, autoFilter: true });
    }
    expect((await verifyWorkbook(reloaded)).ok).toBe(true);
  });

  it('detects any later change to the approved content and says which table changed', async () => {
    const gateway = await roundTrip(await allocatedBook(tables));
    await approveWorkbook(gateway, reviewer);
    const tampered = await roundTrip(gateway);
    tampered.workbook.getWorksheet('Costs')!.getCell('H2').value = 1.23; // a cost amount edited by hand
    const state = await approvalState(tampered);
    expect(state.status).toBe('changed');
    expect(state.changedTables).toEqual(['Costs']);
    const verdict = await verifyWorkbook(tampered);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems[0]).toBe('2026-10 was approved by Dana Reviewer at 2026-11-03T10:00:00Z, but Costs changed since');
  });

  it('detects an edited or deleted Audit entry', async () => {
    const gateway = await allocatedBook(tables);
    await approveWorkbook(gateway, reviewer);
    const edited = await roundTrip(gateway);
    edited.workbook.getWorksheet('Audit')!.getCell('C2').value = 'Someone Else';
    expect((await verifyWorkbook(edited)).problems[0]).toMatch(/Audit row 2 \(Pull at .*\) was edited after it was written/);
    const removed = await roundTrip(gateway);
    removed.workbook.getWorksheet('Audit')!.spliceRows(3, 1);
    expect((await verifyWorkbook(removed)).problems.join()).toMatch(/does not follow the entry before it/);
  });

  it('refuses approval while the statement does not reconcile, and says why', async () => {
    const gateway = await roundTrip(await allocatedBook(tables));
    const sheet = gateway.workbook.getWorksheet('Chargeback')!;
    sheet.getCell('H2').value = 999; // CC-A's total typed over
    await expect(approveWorkbook(gateway, reviewer)).rejects.toThrow(/approval refused for 2026-10:\n {2}Reconciliation: the Chargeback sheet totals 1119.00 but the source is 300.00/);
    expect((await approvalState(gateway)).status).toBe('open');
  });

  it('reopens with who and why, unprotects, and locks pulls and allocations until then', async () => {
    const gateway = await allocatedBook(tables);
    await approveWorkbook(gateway, reviewer);
    await expect(allocateWorkbook(gateway, reviewer)).rejects.toThrow('2026-10 is approved (by Dana Reviewer at 2026-11-03T10:00:00Z): reopen it before you allocate again');
    await expect(reopenWorkbook(gateway, reviewer, '  ')).rejects.toThrow(/say why/);
    const state = await reopenWorkbook(gateway, { user: 'Sam Controller', now: clock('2026-11-04T09:00:00Z') }, 'late credit from AWS');
    expect(state.status).toBe('open');
    const reloaded = await roundTrip(gateway);
    expect((reloaded.workbook.getWorksheet('Costs') as unknown as { sheetProtection?: { sheet?: boolean } }).sheetProtection?.sheet ?? false).toBe(false);
    await allocateWorkbook(reloaded, reviewer);
    const audit = (await reloaded.readTable('Audit'))!;
    expect(audit.rows.map((r) => `${r[1]} by ${r[2]}`)).toEqual(['Pull by Pat Preparer', 'Allocate by Pat Preparer', 'Approve by Dana Reviewer', 'Reopen by Sam Controller', 'Allocate by Dana Reviewer']);
    expect(audit.rows[3][4]).toBe('late credit from AWS');
    expect((await verifyWorkbook(reloaded)).ok).toBe(true);
  });

  it('writes the Review sheet with the checks a reviewer sees when asked, and nothing otherwise', async () => {
    const gateway = await allocatedBook(tables);
    await reviewWorkbook(gateway);
    expect(await gateway.readTable('Review')).toBeUndefined();
    const review = await reviewWorkbook(gateway, { write: true });
    expect(review.blocking).toBe(false);
    const sheet = (await gateway.readTable('Review'))!;
    expect(sheet.headers).toEqual(['Check', 'Severity', 'Subject', 'Figure', 'Detail', 'Where']);
    // 10.00 of 300.00 unallocated is 3.3%: under the 5% threshold
    expect(sheet.rows.find((r) => r[0] === 'Unallocated share')!.slice(1, 4)).toEqual(['OK', 'UNALLOCATED', '3.3%']);
  });
});

describe('review checks', () => {
  const rules = (extra: RuleTables = {}) =>
    parseRules({
      ...tables,
      CostCenters: [
        { CostCenter: 'CC-A', Name: 'A', GLAccount: '6100', Budget: 100 },
        { CostCenter: 'CC-B', Name: 'B', GLAccount: '', Budget: 100 },
        { CostCenter: 'CC-C', Name: 'C', GLAccount: '6300' },
      ],
      Mappings: [{ Dimension: 'Tag:cc', Pattern: 'CC-*', CostCenter: '{value}' }, ...threeTeams.Mappings!],
      SharedPools: [{ Pool: 'Network', Dimension: 'ServiceCategory', Pattern: 'Networking', Method: 'Proportional', Targets: 'CC-C' }],
      ...extra,
    });
  const data = [
    line({ SubAccountName: 'team-a', ServiceCategory: 'Compute', 'Tag:cc': '' }, '150.00'),
    line({ SubAccountName: 'x', ServiceCategory: 'Compute', 'Tag:cc': 'CC-Z' }, '20.00'),
    line({ SubAccountName: 'hub', ServiceCategory: 'Networking', 'Tag:cc': '' }, '10.00'),
    line({ SubAccountName: 'stray', ServiceName: 'Mystery', ServiceCategory: 'Compute', 'Tag:cc': '' }, '20.00'),
  ];

  it('flags unallocated cost over the threshold, listing the biggest lines', () => {
    const result = allocate(data, rules());
    const checks = reviewChecks({ result, rules: rules() });
    expect(checks.find((c) => c.check === 'Unallocated share')).toMatchObject({ severity: 'Warning', figure: '10.0%', detail: '20.00 of 200.00 is unallocated (threshold 5%)' });
    expect(checks.find((c) => c.check === 'Largest unallocated cost')).toMatchObject({ figure: '20.00', detail: 'SubAccountName stray, ServiceName Mystery' });
  });

  it('flags cost centers a {value} mapping made up, and cost centers without a GL account', () => {
    const result = allocate(data, rules());
    const checks = reviewChecks({ result, rules: rules() });
    expect(checks.filter((c) => c.check === 'Unlisted cost center').map((c) => [c.subject, c.figure])).toEqual([['CC-Z', '20.00']]);
    expect(checks.filter((c) => c.check === 'Missing GL account').map((c) => c.subject)).toEqual(['CC-B']);
  });

  it('measures variance against budget and the previous approved period', () => {
    const result = allocate(data, rules());
    const previous = { period: '2026-09', totals: new Map([['CC-A', 12000n], ['CC-B', 500n], ['CC-Q', 100n]]) };
    const checks = reviewChecks({ result, rules: rules(), previous });
    expect(checks.find((c) => c.check === 'Budget variance' && c.subject === 'CC-A')).toMatchObject({ severity: 'Warning', figure: '50.00', detail: '150.00 against a budget of 100.00 (+50.0%; threshold ±10%)' });
    expect(checks.find((c) => c.check === 'Change since last period' && c.subject === 'CC-A')).toMatchObject({ severity: 'Warning', figure: '30.00', detail: '150.00 in 2026-10 against 120.00 approved for 2026-09 (+25.0%)' });
    expect(checks.filter((c) => c.check === 'New cost center').map((c) => c.subject)).toEqual(['CC-C', 'CC-Z', 'UNALLOCATED']);
    expect(checks.filter((c) => c.check === 'Vanished cost center').map((c) => c.subject)).toEqual(['CC-B', 'CC-Q']);
  });

  it('says when a pool had no basis and how it was split instead', () => {
    const result = allocate(data, rules());
    expect(reviewChecks({ result, rules: rules() }).find((c) => c.check === 'Pool without basis')).toMatchObject({ subject: 'Network', detail: 'Proportional: no target has a direct cost above zero, so it was split evenly' });
  });

  it('explains effective vs billed by commitment purchases, covered usage and unused commitments', () => {
    const commitment = [
      line({ SubAccountName: 'team-a' }, '0', { billed: '120.00', chargeCategory: 'Purchase' }),
      line({ SubAccountName: 'team-a' }, '90.00', { billed: '0', commitmentDiscountStatus: 'Used' }),
      line({ SubAccountName: 'team-a' }, '30.00', { billed: '0', commitmentDiscountStatus: 'Unused' }),
    ];
    const result = allocate(commitment, rules());
    expect(reviewChecks({ result, rules: rules() }).find((c) => c.check === 'Effective vs billed')!.detail).toBe(
      'effective 120.00 − billed 120.00: commitment purchases spread over their term -120.00, commitment-covered usage 90.00, unused commitments 30.00',
    );
  });
});

describe('segregation of duties', () => {
  it('refuses approval by whoever pulled or allocated the period, says why and whom to ask, never how to lift it', async () => {
    const gateway = await allocatedBook(tables);
    const refusal = approveWorkbook(gateway, { ...reviewer, user: ' pat preparer ' });
    await expect(refusal).rejects.toThrow(
      'approval refused for 2026-10: Pat Preparer prepared it (pulled or allocated, see Audit), and the preparer may not approve their own work; ask a reviewer to open this workbook and approve it',
    );
    await expect(refusal).rejects.toMatchObject({ kind: 'refused' });
    await expect(refusal).rejects.not.toThrow(/AllowSelfApproval|Settings/);
    // Nothing was written: the period stays open and another person can approve it.
    expect((await approvalState(gateway)).status).toBe('open');
    await expect(approveWorkbook(gateway, reviewer)).resolves.toMatchObject({ state: { status: 'approved' } });
  });

  it.each([
    ['a zero-width space', 'Pat Preparer\u200b'],
    ['a Cyrillic а', 'Pаt Preparer'],
    ['fullwidth letters', 'Ｐａｔ Ｐｒｅｐａｒｅｒ'],
    ['a soft hyphen', 'Pat Pre\u00adparer'],
    ['a word joiner', 'Pat\u2060 Preparer'],
    ['a direction override', '\u202dPat Preparer'],
  ])('refuses the preparer spelled with %s (typed, not verified)', async (_, spelled) => {
    const gateway = await allocatedBook(tables);
    await expect(approveWorkbook(gateway, { ...reviewer, user: auditBy({ name: spelled, source: 'typed' }) })).rejects.toThrow('Pat Preparer prepared it');
  });

  it("lets the preparer approve only where the administrator's policy allows it, and marks the approval", async () => {
    const gateway = await allocatedBook(tables);
    const { state } = await approveWorkbook(gateway, { ...reviewer, user: 'Pat Preparer' }, { allowSelfApproval: true, requireSignIn: false });
    expect(state.approval).toMatchObject({ by: 'Pat Preparer' });
    expect(approvalSummary(state.approval!)).toMatch(/; self-approval: Pat Preparer prepared it, allowed by the administrator's policy$/);
    expect(isSelfApproval(state.approval!)).toBe(true);
  });

  it("refuses a book whose Settings say AllowSelfApproval Yes: the book cannot loosen the administrator's policy", () => {
    expect(() => parseRules({ ...tables, Settings: [{ Setting: 'AllowSelfApproval', Value: 'Yes' }] })).toThrow(
      'Settings row 2, Value: AllowSelfApproval is set by your administrator, not by the workbook',
    );
    expect(() => parseRules({ ...tables, Settings: [{ Setting: 'AllowSelfApproval', Value: 'No' }] })).not.toThrow();
  });

  it('with RequireSignIn, refuses a typed name and approves a signed-in one', async () => {
    const gateway = await allocatedBook(tables);
    const policy = { allowSelfApproval: false, requireSignIn: true };
    await expect(approveWorkbook(gateway, { ...reviewer, user: auditBy({ name: 'Dana Reviewer', source: 'typed' }) }, policy)).rejects.toThrow(
      'approval refused for 2026-10: your organisation accepts only a signed-in approver (Microsoft Entra ID), and Dana Reviewer is a typed name',
    );
    await expect(approveWorkbook(gateway, { ...reviewer, user: 'dana@contoso.com' }, policy)).resolves.toMatchObject({ state: { status: 'approved' } });
  });

  it('names the preparers from the Pull and Allocate rows of the Audit log for that period', () => {
    const entry = (action: string, by: string, period: string) => ({ time: '', action, by, period, details: '', contentDigest: '', previousEntryDigest: '', entryDigest: '' });
    const entries = [entry('Pull', 'Ann', '2026-09, 2026-10'), entry('Load rules', 'Bo', ''), entry('Allocate', 'Cy', '2026-10'), entry('Allocate', 'Di', '2026-09')];
    expect(preparersOf(entries, '2026-10')).toEqual(['Ann', 'Cy']);
  });
});

describe('an approved period always publishes', () => {
  it('refuses approval while publishing would refuse the journal: no clearing account, no account for unallocated cost', async () => {
    const gateway = await allocatedBook({ ...tables, Settings: [] });
    const refusal = approveWorkbook(gateway, reviewer);
    await expect(refusal).rejects.toThrow(
      'approval refused for 2026-10:\n  Not publishable: the journal cannot be built, so publishing would be refused: Settings has no ClearingAccount: add the GL account the journal credits (Setting ClearingAccount)\n  Not publishable: the journal cannot be built, so publishing would be refused: UNALLOCATED (10.00 USD unallocated) has no GL account: map that cost to cost centers, or set Settings UnallocatedAccount',
    );
    const { checks } = await reviewWorkbook(gateway);
    expect(checks.filter((c) => c.check === 'Not publishable').map((c) => [c.severity, c.where])).toEqual([
      ['Blocking', 'Settings'],
      ['Blocking', 'Settings'],
    ]);
  });
});
