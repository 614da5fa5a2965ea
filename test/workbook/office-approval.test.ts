/**
 * Review, approval, a change after approval, and reopening, on the Office.js gateway (the in-memory
 * Excel behind office-addin-mock), with the sample month-end. The same flows on real .xlsx files
 * are in approval.test.ts.
 */
import { AUDIT_COLUMNS } from '../../src/core/audit';
import { APPROVED_TABLES, approvalState, approveWorkbook, contentDigest, reopenWorkbook, reviewWorkbook, verifyWorkbook } from '../../src/workbook/approval';
import { allocateWorkbook } from '../../src/workbook/steps';
import { OfficeGateway } from '../../src/workbook/office-gateway';
import { errorNotice } from '../../src/taskpane/notice';
import { clock, reviewer } from '../support/approved-book';
import { paneOperations, sampleMonthEndOnOffice } from '../support/office-month-end';

const preparer = { user: 'Pat Preparer', now: clock('2026-11-03T09:00:00Z') };
const controller = { user: 'Sam Controller', now: clock('2026-11-04T09:00:00Z') };


const auditColumn = (header: string) => AUDIT_COLUMNS.indexOf(header as (typeof AUDIT_COLUMNS)[number]);

describe('approval on the Office.js gateway, with the sample', () => {
  it('reviews the sample: reconciled to 0.00, 1.9% unallocated, CC-ML over budget; the Review sheet is written when asked', async () => {
    const { excel, gateway } = await sampleMonthEndOnOffice(preparer);
    const review = await reviewWorkbook(gateway, { write: true });
    expect(review.blocking).toBe(false);
    const find = (check: string, subject?: string) => review.checks.find((c) => c.check === check && (subject === undefined || c.subject === subject));
    expect(find('Reconciliation')).toMatchObject({ severity: 'OK', figure: '0.00' });
    expect(find('Unallocated share')).toMatchObject({ severity: 'OK', figure: expect.stringMatching(/^1\.9%$/) });
    expect(find('Budget variance', 'CC-ML')).toMatchObject({ severity: 'Warning', detail: expect.stringMatching(/\(\+13\.3%; threshold ±10%\)$/) });
    expect(excel.tableRows('Review').map((row) => row[0])).toEqual(review.checks.map((c) => c.check));
  });

  it('approves: Audit row with who, when, period, totals and digest; the approved sheets protected with sort and filter allowed; ApprovalHistory written', async () => {
    const { excel, gateway, result } = await sampleMonthEndOnOffice(preparer);
    const { state } = await approveWorkbook(gateway, reviewer);

    expect(state).toMatchObject({ period: '2026-10', status: 'approved', changedTables: [] });
    const audit = excel.tableRows('Audit');
    expect(audit.map((row) => row[auditColumn('Action')])).toEqual(['Pull', 'Allocate', 'Approve']);
    const approve = audit[2];
    expect(approve[auditColumn('Time')]).toBe('2026-11-03T10:00:00Z');
    expect(approve[auditColumn('By')]).toBe('Dana Reviewer');
    expect(approve[auditColumn('Period')]).toBe('2026-10');
    expect(approve[auditColumn('Details')]).toMatch(/^approved 23884\.20 USD \(EffectiveCost\); source 23884\.20; unallocated \d+\.\d\d; \d+ cost centers/);
    expect(approve[auditColumn('ContentDigest')]).toBe((await contentDigest(gateway)).digest);
    expect(approve[auditColumn('ContentDigest')]).toMatch(/^[0-9a-f]{64}$/);

    // Every approved sheet protected once, still sortable and filterable; the log and the history stay open.
    const protectedSheets = excel.protectionCalls.filter((c) => c.action === 'protect');
    expect(protectedSheets.map((c) => c.sheet).sort()).toEqual([...APPROVED_TABLES].filter((t) => excel.sheet(t)).sort());
    for (const call of protectedSheets) expect(call.options).toEqual({ allowSort: true, allowAutoFilter: true });
    expect(excel.sheet('Audit')?.protected).toBe(false);
    expect(excel.sheet('ApprovalHistory')?.protected).toBe(false);

    const history = excel.tableRows('ApprovalHistory');
    expect(history).toHaveLength(result.costCenters.length);
    expect(history.every((row) => row[0] === '2026-10' && row[4] === 'Dana Reviewer' && row[5] === '2026-11-03T10:00:00Z')).toBe(true);
    expect(Math.round(history.reduce((a, row) => a + Number(row[2]) * 100, 0))).toBe(2388420);
    expect((await verifyWorkbook(gateway)).ok).toBe(true);

    // Locked until reopened: allocating again is refused and writes nothing.
    await expect(allocateWorkbook(gateway, preparer)).rejects.toThrow('2026-10 is approved (by Dana Reviewer at 2026-11-03T10:00:00Z): reopen it before you allocate again');
  });

  it('detects a Costs cell edited after approval, refuses to re-approve what no longer reconciles, and reopens with who and why', async () => {
    const { excel, gateway } = await sampleMonthEndOnOffice(preparer);
    await approveWorkbook(gateway, reviewer);

    // Someone unprotects Costs (no password) and types over an amount, and its exact twin (a euro line: +100 EUR is +108.25 USD at 1.0825).
    excel.sheet('Costs')!.protected = false;
    const headers = excel.tableHeaders('Costs');
    const cellOf = (header: string) => `${String.fromCharCode(65 + headers.indexOf(header))}2`;
    const amount = Number(excel.cell('Costs', cellOf('EffectiveCost')).value) + 100;
    excel.typeInto('Costs', cellOf('EffectiveCost'), amount);
    excel.typeInto('Costs', cellOf('EffectiveCostExact'), String(amount));

    const changed = await approvalState(gateway);
    expect(changed).toMatchObject({ status: 'changed', changedTables: ['Costs'] });
    expect((await verifyWorkbook(gateway)).problems).toEqual(['2026-10 was approved by Dana Reviewer at 2026-11-03T10:00:00Z, but Costs changed since']);
    await expect(approveWorkbook(gateway, reviewer)).rejects.toThrow(/^approval refused for 2026-10:\n {2}Reconciliation: the Chargeback sheet totals 23884\.20 but the source is 23992\.45/);

    const calls = excel.protectionCalls.length;
    const reopened = await reopenWorkbook(gateway, controller, 'late credit from the provider');
    expect(reopened.status).toBe('open');
    const unprotected = excel.protectionCalls.slice(calls);
    // Every approved sheet is unprotected now (Costs had been unprotected by hand already: unprotecting it again is harmless).
    expect(unprotected.every((c) => c.action === 'unprotect')).toBe(true);
    expect(unprotected.map((c) => c.sheet).sort()).toEqual([...APPROVED_TABLES].filter((t) => excel.sheet(t)).sort());
    expect(excel.sheets.filter((s) => s.protected)).toEqual([]);
    const reopen = excel.tableRows('Audit').at(-1)!;
    expect([reopen[auditColumn('Action')], reopen[auditColumn('By')], reopen[auditColumn('Period')], reopen[auditColumn('Details')]]).toEqual(['Reopen', 'Sam Controller', '2026-10', 'late credit from the provider']);

    // Allocate again on the edited costs, then approve again: a new approval with a new digest.
    await allocateWorkbook(gateway, preparer, { period: '2026-10' });
    const again = await approveWorkbook(gateway, { user: 'Dana Reviewer', now: clock('2026-11-04T11:00:00Z') });
    expect(again.state.status).toBe('approved');
    expect(again.state.approval!.details).toMatch(/^approved 23992\.45 USD/);
    expect(excel.tableRows('Audit').map((row) => row[auditColumn('Action')])).toEqual(['Pull', 'Allocate', 'Approve', 'Reopen', 'Allocate', 'Approve']);
    expect(excel.sheet('Costs')?.protected).toBe(true);
    expect((await verifyWorkbook(gateway)).ok).toBe(true);
  });

  it('selects the rows behind a review check: a cell, a cost center row in a table, or a whole table', async () => {
    const { excel, gateway } = await sampleMonthEndOnOffice(preparer);
    const ops = paneOperations(gateway);
    const view = await ops.review();
    const budget = view.checks.find((c) => c.check === 'Budget variance' && c.subject === 'CC-ML')!;
    const address = await ops.selectCheck(budget);
    const row = excel.tableRows('Chargeback').findIndex((r) => r[0] === 'CC-ML');
    expect(address).toBe(`Chargeback!A${row + 2}`);
    expect(excel.active).toBe('Chargeback');
    expect(excel.selections.at(-1)).toEqual({ sheet: 'Chargeback', row: row + 1, column: 0, rowCount: 1, columnCount: 1 });

    await ops.selectCheck({ where: 'Reconciliation', subject: '' });
    expect(excel.selections.at(-1)).toMatchObject({ sheet: 'Reconciliation', row: 0, column: 0, rowCount: excel.table('Reconciliation')!.rows + 1 });
    await ops.selectCheck({ where: 'Allocation!A17', subject: 'UNALLOCATED' });
    expect(excel.selections.at(-1)).toEqual({ sheet: 'Allocation', row: 16, column: 0, rowCount: 1, columnCount: 1 });
    // A sheet that is not there selects nothing and does not fail.
    await ops.selectCheck({ where: 'Nowhere!B2', subject: '' });
    expect(excel.selections).toHaveLength(3);
  });

  it('through the pane: approve in the name of the reviewer, then loading rules and allocating are refused with what to do', async () => {
    const { excel, gateway } = await sampleMonthEndOnOffice(preparer);
    const ops = paneOperations(gateway);
    await expect(ops.approve('  ')).rejects.toThrow(/the reviewer's name is required/);
    const approved = await ops.approve('Dana Reviewer');
    expect(approved.approval).toMatchObject({ period: '2026-10', status: 'approved', by: 'Dana Reviewer' });
    expect(approved.approval.shortDigest).toBe(`${approved.approval.digest!.slice(0, 12)}…`);
    expect(await ops.lock()).toMatchObject({ period: '2026-10', by: 'Dana Reviewer' });

    const rules = excel.tableRows('Mappings');
    const refused = await ops.loadRules({}, 'a test').catch((error: unknown) => error);
    expect(errorNotice(refused, 'rules')).toMatchObject({ intent: 'warning', title: 'The period is approved', body: expect.stringMatching(/^2026-10 is approved \(by Dana Reviewer at .*\): reopen it before you replace the rules\. Nothing was written\./) });
    expect(excel.tableRows('Mappings')).toEqual(rules);
    const creating = await ops.createRuleTables().catch((error: unknown) => error);
    expect(errorNotice(creating, 'rules').body).toMatch(/reopen it before you create rule tables\. Nothing was written\./);
    const allocating = await ops.allocate('2026-10').catch((error: unknown) => error);
    expect(errorNotice(allocating, 'allocate').title).toBe('The period is approved');

    await expect(ops.reopen('Sam Controller', '')).rejects.toThrow(/say why/);
    expect(await ops.reopen('Sam Controller', 'rules change for November')).toMatchObject({ status: 'open' });
    expect(await ops.lock()).toBeUndefined();
  });
});
