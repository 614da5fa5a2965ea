/** `chargeback approve` follows the pane's segregation of duties: the rule lives once, in approveWorkbook. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chargeback } from '../support/cli';
import { BASE_HEADER, focusCsv, tempDir } from '../support/files';
import { ExcelJsGateway } from '../../src/workbook/exceljs-gateway';
import { auditEntriesFrom } from '../../src/workbook/layout';

const rules = (allowSelfApproval?: string) => ({
  settings: { clearingAccount: '2990', ...(allowSelfApproval ? { allowSelfApproval } : {}) },
  costCenters: [{ costCenter: 'CC-A', name: 'Team A', glAccount: '6100' }],
  mappings: [{ dimension: 'SubAccountName', pattern: 'team-a', costCenter: 'CC-A' }],
});

function allocatedBook(allowSelfApproval?: string, env?: NodeJS.ProcessEnv): string {
  const dir = tempDir('chargeback-self-approval-');
  writeFileSync(path.join(dir, 'rules.json'), JSON.stringify(rules(allowSelfApproval)));
  writeFileSync(path.join(dir, 'october.csv'), focusCsv(BASE_HEADER, [['2026-10-01T00:00:00Z', 'USD', 'Usage', '', '150.10', '150.10', 'team-a', 'Compute', 'VMs', 'Azure', '']]));
  const book = path.join(dir, 'book.xlsx');
  // The run is recorded as "test runner" (CHARGEBACK_USER): the preparer.
  expect(chargeback(['run', '--costs', path.join(dir, 'october.csv'), '--rules', path.join(dir, 'rules.json'), '--out', book], env).code).toBe(0);
  return book;
}

describe('chargeback approve and segregation of duties', () => {
  it('refuses approval by the person who ran the chargeback, and says why; another person may approve', () => {
    const book = allocatedBook();
    const refused = chargeback(['approve', '--workbook', book, '--by', 'Test Runner']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error: approval refused for 2026-10: test runner prepared it (pulled or allocated, see Audit), and the preparer may not approve their own work');
    expect(chargeback(['approve', '--workbook', book, '--by', 'Dana Reviewer']).code).toBe(0);
  });

  it('lets the preparer approve when Settings AllowSelfApproval is Yes', () => {
    const book = allocatedBook('Yes');
    const approved = chargeback(['approve', '--workbook', book, '--by', 'test runner']);
    expect([approved.code, approved.stderr]).toEqual([0, '']);
  });

  it('records the operating-system account, marked "(OS user)", and a name given with --by as typed, not verified; the marks do not hide the preparer', async () => {
    const book = allocatedBook(undefined, { USER: 'alice', USERNAME: 'alice' });
    const refused = chargeback(['approve', '--workbook', book, '--by', 'Alice'], { USER: 'bob' });
    expect(refused.stderr).toContain('error: approval refused for 2026-10: alice prepared it');
    expect(chargeback(['approve', '--workbook', book, '--by', 'Dana Reviewer'], { USER: 'bob' }).code).toBe(0);
    const entries = auditEntriesFrom(await (await ExcelJsGateway.fromBytes(readFileSync(book))).readTable('Audit'));
    expect(entries.map((e) => [e.action, e.by])).toEqual([
      ['Pull', 'alice (OS user)'],
      ['Allocate', 'alice (OS user)'],
      ['Approve', 'Dana Reviewer (typed, not verified)'],
    ]);
  });
});
