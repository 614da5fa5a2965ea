/**
 * A late credit given to an existing book (issue 29): adding it to the period's costs is an action
 * of its own, and replacing the period's costs says what it did to each period's total, so a
 * partial file cannot silently take the place of the whole month.
 * October: team-a 150.00, team-b 50.00, hub 90.00, stray 10.00 = 300.00; the late file: a -12.00
 * credit for team-a.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { ExcelJsGateway } from '../../src/workbook/exceljs-gateway';
import { chargeback } from '../support/cli';
import { BASE_HEADER, focusCsv } from '../support/files';
import { focusRow, threeTeamsBook } from '../support/three-teams';

const lateCredit = [focusRow('Credit', '-12.00', 'team-a', 'Compute')];

/** The October book, and the late credit beside it. */
function book() {
  const { file, book: out } = threeTeamsBook('chargeback-late-');
  writeFileSync(file('late-credit.csv'), focusCsv(BASE_HEADER, lateCredit));
  return { file, out };
}

async function lastAudit(out: string): Promise<{ action: string; details: string }> {
  const audit = (await (await ExcelJsGateway.fromBytes(readFileSync(out))).readTable('Audit'))!;
  const pulls = audit.rows.filter((r) => r[audit.headers.indexOf('Action')] === 'Pull');
  const last = pulls[pulls.length - 1];
  return { action: String(last[audit.headers.indexOf('Action')]), details: String(last[audit.headers.indexOf('Details')]) };
}

describe('late cost lines into an existing book', () => {
  it('adds them with --add: the month keeps its lines, the credit lands on CC-A, and the Audit log says what was added and what the total became', async () => {
    const { file, out } = book();
    const added = chargeback(['run', '--workbook', out, '--costs', file('late-credit.csv'), '--add', '--json']);
    expect([added.code, added.stderr]).toEqual([0, '']);
    const summary = JSON.parse(added.stdout);
    expect(summary.sourceTotal).toBe('288.00');
    expect(summary.costCenters.find((c: { costCenter: string }) => c.costCenter === 'CC-A').direct).toBe('138.00');
    expect(await lastAudit(out)).toEqual({ action: 'Pull', details: `1 cost line added (1 FOCUS rows from ${file('late-credit.csv')}) to the 4 held; EffectiveCost: 2026-10 USD 300.00 → 288.00 (-4.0%)` });
  });

  it('says, when a file takes the place of the month, what each period\'s total was and now is', async () => {
    const { file, out } = book();
    const replaced = chargeback(['run', '--workbook', out, '--costs', file('late-credit.csv')]);
    expect(replaced.code).toBe(0);
    const said = `1 FOCUS rows from ${file('late-credit.csv')} → 1 cost lines in place of the 4 held; EffectiveCost: 2026-10 USD 300.00 → -12.00 (-104.0%)`;
    expect(replaced.stdout).toContain(`Costs: ${said}\n`);
    expect((await lastAudit(out)).details).toBe(said);
  });

  it('refuses --add without a book to add to', () => {
    const { file } = book();
    const refused = chargeback(['run', '--costs', file('late-credit.csv'), '--rules', file('rules.json'), '--out', file('other.xlsx'), '--add']);
    expect(refused.code).toBe(2);
    expect(refused.stderr.split('\n')[0]).toBe('usage error: --add adds cost lines to an existing book: give it with --workbook');
  });
});
