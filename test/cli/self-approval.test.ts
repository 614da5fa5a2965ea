/** `chargeback approve` follows the pane's segregation of duties: the rule lives once, in approveWorkbook. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { chargeback } from '../support/cli';
import { BASE_HEADER, focusCsv, tempDir } from '../support/files';

const rules = (allowSelfApproval?: string) => ({
  settings: { clearingAccount: '2990', ...(allowSelfApproval ? { allowSelfApproval } : {}) },
  costCenters: [{ costCenter: 'CC-A', name: 'Team A', glAccount: '6100' }],
  mappings: [{ dimension: 'SubAccountName', pattern: 'team-a', costCenter: 'CC-A' }],
});

function allocatedBook(allowSelfApproval?: string): string {
  const dir = tempDir('chargeback-self-approval-');
  writeFileSync(path.join(dir, 'rules.json'), JSON.stringify(rules(allowSelfApproval)));
  writeFileSync(path.join(dir, 'october.csv'), focusCsv(BASE_HEADER, [['2026-10-01T00:00:00Z', 'USD', 'Usage', '', '150.10', '150.10', 'team-a', 'Compute', 'VMs', 'Azure', '']]));
  const book = path.join(dir, 'book.xlsx');
  // The run is recorded as "test runner" (CHARGEBACK_USER): the preparer.
  expect(chargeback(['run', '--costs', path.join(dir, 'october.csv'), '--rules', path.join(dir, 'rules.json'), '--out', book]).code).toBe(0);
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
});
