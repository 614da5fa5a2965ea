/**
 * The small month the command-line tests of publishing, restatements and late costs share, as a
 * FOCUS CSV and rules JSON: team-a 150.00 → CC-A, team-b 50.00 → CC-B, the hub's 90.00 of
 * networking split evenly over CC-A, CC-B and CC-C, and a stray 10.00 left unallocated (300.00 in
 * all; CC-A 180.00, CC-B 80.00, CC-C 30.00). The restated month adds a 12.00 credit for team-a and
 * takes the hub to 99.00.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { chargeback } from './cli';
import { BASE_HEADER, focusCsv, tempDir } from './files';
export const threeTeamsRules = {
  settings: { clearingAccount: '2990', unallocatedAccount: '6190' },
  costCenters: [
    { costCenter: 'CC-A', name: 'Team A', glAccount: '6100' },
    { costCenter: 'CC-B', name: 'Team B', glAccount: '6200' },
    { costCenter: 'CC-C', name: 'Team C', glAccount: '6300' },
  ],
  mappings: [
    { dimension: 'SubAccountName', pattern: 'team-a', costCenter: 'CC-A' },
    { dimension: 'SubAccountName', pattern: 'team-b', costCenter: 'CC-B' },
  ],
  sharedPools: [{ pool: 'Network', dimension: 'ServiceCategory', pattern: 'Networking', method: 'Even', targets: '*' }],
};

/** One FOCUS row of 2026-10 in USD, in the columns of files.ts BASE_HEADER. */
export const focusRow = (category: string, amount: string, account: string, service: string) => ['2026-10-01T00:00:00Z', 'USD', category, '', amount, amount, account, service, 'svc', 'Azure', ''];

export const octoberRows = [focusRow('Usage', '150.00', 'team-a', 'Compute'), focusRow('Usage', '50.00', 'team-b', 'Compute'), focusRow('Usage', '90.00', 'hub', 'Networking'), focusRow('Usage', '10.00', 'stray', 'Compute')];

export const restatedRows = [
  focusRow('Usage', '150.00', 'team-a', 'Compute'),
  focusRow('Credit', '-12.00', 'team-a', 'Compute'),
  focusRow('Usage', '50.00', 'team-b', 'Compute'),
  focusRow('Usage', '99.00', 'hub', 'Networking'),
  focusRow('Usage', '10.00', 'stray', 'Compute'),
];

/** A new folder holding `rules.json`, `october.csv` and `restated.csv`; `file(name)` is a path in it. */
export function threeTeamsFolder(prefix: string, rules: object = threeTeamsRules) {
  const dir = tempDir(prefix);
  const file = (name: string) => path.join(dir, name);
  writeFileSync(file('rules.json'), JSON.stringify(rules));
  writeFileSync(file('october.csv'), focusCsv(BASE_HEADER, octoberRows));
  writeFileSync(file('restated.csv'), focusCsv(BASE_HEADER, restatedRows));
  return { dir, file, book: file('book.xlsx'), share: file('share') };
}

/** October run into `book.xlsx` by the command line. */
export function threeTeamsBook(prefix: string, rules: object = threeTeamsRules) {
  const folder = threeTeamsFolder(prefix, rules);
  const { file, book } = folder;
  expect(chargeback(['run', '--costs', file('october.csv'), '--rules', file('rules.json'), '--out', book]).code).toBe(0);
  return folder;
}

/** October run, approved by Dana Reviewer and published to `share/` by the command line. */
export function publishedThreeTeamsBook(prefix: string, rules: object = threeTeamsRules) {
  const folder = threeTeamsBook(prefix, rules);
  const { book, share } = folder;
  expect(chargeback(['approve', '--workbook', book, '--by', 'Dana Reviewer']).code).toBe(0);
  const published = chargeback(['publish', '--workbook', book, '--to', share]);
  expect([published.code, published.stderr]).toEqual([0, '']);
  return { ...folder, published };
}
