/**
 * `chargeback approve` and segregation of duties: the rule lives once (approveWorkbook and the
 * administrator's policy); the command line knows the account it runs under without the
 * environment, and `--signed-in` asks Microsoft Graph who the developer's sign-in is.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chargeback, chargebackAsync } from '../support/cli';
import { BASE_HEADER, focusCsv, tempDir } from '../support/files';
import { allocatedBook as preparedByPat } from '../support/approved-book';
import { FakeGraph } from '../support/graph-server';
import { ExcelJsGateway } from '../../src/workbook/exceljs-gateway';
import { auditEntriesFrom } from '../../src/workbook/layout';

const rules = (settings: Record<string, string> = {}) => ({
  settings: { clearingAccount: '2990', ...settings },
  costCenters: [{ costCenter: 'CC-A', name: 'Team A', glAccount: '6100' }],
  mappings: [{ dimension: 'SubAccountName', pattern: 'team-a', costCenter: 'CC-A' }],
});

/** No administrator's policy: the defaults (no self-approval). */
const NO_POLICY = { CHARGEBACK_POLICY: '' };
/** This account as the command line must record it: the user database's name and the host name. */
const account = `${os.userInfo().username}@${os.hostname()}`;

function policyFile(policy: unknown): string {
  const file = path.join(tempDir('chargeback-policy-'), 'config.json');
  writeFileSync(file, JSON.stringify(policy));
  return file;
}

function allocatedBook(env: NodeJS.ProcessEnv, settings?: Record<string, string>): string {
  const dir = tempDir('chargeback-self-approval-');
  writeFileSync(path.join(dir, 'rules.json'), JSON.stringify(rules(settings)));
  writeFileSync(path.join(dir, 'october.csv'), focusCsv(BASE_HEADER, [['2026-10-01T00:00:00Z', 'USD', 'Usage', '', '150.10', '150.10', 'team-a', 'Compute', 'VMs', 'Azure', '']]));
  const book = path.join(dir, 'book.xlsx');
  const run = chargeback(['run', '--costs', path.join(dir, 'october.csv'), '--rules', path.join(dir, 'rules.json'), '--out', book], env);
  expect(run.code).toBe(0);
  return book;
}

const auditOf = async (book: string) => auditEntriesFrom(await (await ExcelJsGateway.fromBytes(readFileSync(book))).readTable('Audit'));

describe('chargeback approve and segregation of duties', () => {
  it('records the account from the user database and the host, not $USER: with no environment it is never "unknown", and the same account cannot approve', async () => {
    const bare = { ...NO_POLICY, USER: '', USERNAME: '', LOGNAME: '' };
    const book = allocatedBook(bare);
    const entries = await auditOf(book);
    expect(entries.map((e) => [e.action, e.by])).toEqual([
      ['Pull', `${account} (OS user)`],
      ['Allocate', `${account} (OS user)`],
    ]);
    // The account's own name, and then any other name typed from the same account: refused.
    for (const by of [os.userInfo().username, 'Dana Reviewer']) {
      const refused = chargeback(['approve', '--workbook', book, '--by', by], bare);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(`error: approval refused for 2026-10: ${account} prepared it (pulled or allocated, see Audit), and the preparer may not approve their own work; ask a reviewer to open this workbook and approve it\n`);
    }
    // $USER says nothing about who runs the command.
    expect(chargeback(['approve', '--workbook', book, '--by', 'Dana Reviewer'], { ...NO_POLICY, USER: 'bob', USERNAME: 'bob' }).code).toBe(1);
  });

  it('records a CHARGEBACK_USER or --by name as typed, with the account that typed it', async () => {
    const book = allocatedBook({ ...NO_POLICY, CHARGEBACK_USER: 'Pipeline' });
    expect(chargeback(['approve', '--workbook', book, '--by', 'Dana Reviewer'], { ...NO_POLICY, CHARGEBACK_USER: 'Dana Reviewer' }).stderr).toContain(`error: approval refused for 2026-10: ${account} prepared it`);
    expect((await auditOf(book)).map((e) => e.by)).toEqual([`Pipeline (typed, not verified; OS user ${account})`, `Pipeline (typed, not verified; OS user ${account})`]);
  });

  it("refuses a book whose Settings try to allow self-approval: that is the administrator's, not the book's", () => {
    const dir = tempDir('chargeback-self-approval-');
    writeFileSync(path.join(dir, 'rules.json'), JSON.stringify(rules({ allowSelfApproval: 'Yes' })));
    writeFileSync(path.join(dir, 'october.csv'), focusCsv(BASE_HEADER, [['2026-10-01T00:00:00Z', 'USD', 'Usage', '', '1.00', '1.00', 'team-a', 'Compute', 'VMs', 'Azure', '']]));
    const run = chargeback(['run', '--costs', path.join(dir, 'october.csv'), '--rules', path.join(dir, 'rules.json'), '--out', path.join(dir, 'book.xlsx')], NO_POLICY);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Settings row 3, Value: AllowSelfApproval is set by your administrator, not by the workbook');
  });

  it("lets the preparer approve when the administrator's policy file allows it, and marks it in the Audit log and the manifest", async () => {
    const policy = { CHARGEBACK_POLICY: policyFile({ allowSelfApproval: true }) };
    const book = allocatedBook(policy);
    const approved = chargeback(['approve', '--workbook', book, '--by', 'Pat'], policy);
    expect([approved.code, approved.stderr]).toEqual([0, '']);
    expect(approved.stdout).toContain("Marked in the Audit log as a self-approval, which the administrator's policy allows.");
    const approval = (await auditOf(book)).find((e) => e.action === 'Approve')!;
    expect(approval.details).toContain(`; self-approval: ${account} prepared it, allowed by the administrator's policy | tables `);
    const share = tempDir('chargeback-share-');
    expect(chargeback(['publish', '--workbook', book, '--to', share], policy).code).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(share, '2026-10', 'manifest.json'), 'utf8'));
    expect(manifest.approval).toMatchObject({ by: `Pat (typed, not verified; OS user ${account})`, known: 'typed', selfApproval: true });
    expect(manifest.published).toMatchObject({ known: 'os user' });
    // verify says how each step's person was known.
    const verified = chargeback(['verify', '--workbook', book], policy);
    expect(verified.stdout.split('\n').slice(1).map((l) => l.replace(/ \d{4}-\d\d-\d\dT[^:]*:\d\d:[\d.]+Z:/, ':'))).toEqual([
      `  Pull: ${account}: the operating-system account`,
      `  Allocate: ${account}: the operating-system account`,
      `  Approve: Pat: typed, not verified, from the account ${account}`,
      `  Publish: ${account}: the operating-system account`,
      '',
    ]);
  });

  it('refuses a policy file that is not right, naming the file and the field', () => {
    const file = policyFile({ allowSelfApproval: 'yes', colour: 'red' });
    const book = allocatedBook(NO_POLICY);
    const refused = chargeback(['approve', '--workbook', book, '--by', 'Dana'], { CHARGEBACK_POLICY: file });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`error: ${file}: the administrator's policy is not right: `);
    expect(refused.stderr).toContain('"colour" is not a policy setting');
    expect(refused.stderr).toContain('allowSelfApproval must be true or false');
  });
});

describe('chargeback approve --signed-in, with RequireSignIn', () => {
  let graph: FakeGraph;
  let azFolder: string;
  beforeAll(async () => {
    graph = await new FakeGraph().start();
    // A stand-in for the Azure CLI: `az account get-access-token --output json --resource R` prints what az prints.
    azFolder = tempDir('chargeback-az-');
    const az = path.join(azFolder, 'az');
    writeFileSync(az, `#!/bin/sh\nprintf '%s' '{"accessToken":"test-token","expiresOn":"2030-01-01 00:00:00.000000","expires_on":1893456000,"subscription":"00000000-0000-0000-0000-000000000001","tenant":"00000000-0000-0000-0000-000000000002","tokenType":"Bearer"}'\n`);
    chmodSync(az, 0o755);
  });
  afterAll(() => graph.stop());

  const signedInEnv = (policy: unknown) => ({ CHARGEBACK_POLICY: policyFile(policy), PATH: `${azFolder}${path.delimiter}${process.env.PATH}` });

  /** A period Pat Preparer pulled and allocated in another copy of the product (no account of ours in its Audit log). */
  async function bookByPat(): Promise<string> {
    const book = path.join(tempDir('chargeback-signed-in-'), 'book.xlsx');
    writeFileSync(book, await (await preparedByPat()).toBytes());
    return book;
  }

  it('approves as the user Graph /me names for the sign-in, and publishes it; typed names are refused and a typed approval is not published', async () => {
    graph.me = { userPrincipalName: 'dana@contoso.com', displayName: 'Dana Reviewer' };
    const env = signedInEnv({ requireSignIn: true, graph: graph.baseUrl });
    const book = await bookByPat();
    const typed = await chargebackAsync(['approve', '--workbook', book, '--by', 'Dana Reviewer'], env);
    expect(typed.code).toBe(1);
    expect(typed.stderr).toContain('error: approval refused for 2026-10: your organisation accepts only a signed-in approver (Microsoft Entra ID), and Dana Reviewer is a typed name; sign in to approve');
    const approved = await chargebackAsync(['approve', '--workbook', book, '--signed-in'], env);
    expect([approved.code, approved.stderr]).toEqual([0, '']);
    expect(approved.stdout).toContain(`Approved 2026-10 by dana@contoso.com (signed in; OS user ${account})`);
    expect(graph.requests.filter((r) => r.url.startsWith('/v1.0/me')).map((r) => r.authorization)).toEqual(['Bearer test-token']);
    const share = tempDir('chargeback-share-');
    expect((await chargebackAsync(['publish', '--workbook', book, '--to', share], env)).code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(share, '2026-10', 'manifest.json'), 'utf8')).approval).toMatchObject({ by: `dana@contoso.com (signed in; OS user ${account})`, known: 'signed in' });

    // A period approved with a typed name before the policy said so is not published under it.
    const other = await bookByPat();
    expect((await chargebackAsync(['approve', '--workbook', other, '--by', 'Dana Reviewer'], { CHARGEBACK_POLICY: '' })).code).toBe(0);
    const refused = await chargebackAsync(['publish', '--workbook', other, '--to', tempDir('chargeback-share-')], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`error: publishing 2026-10 refused: it was approved by Dana Reviewer (typed, not verified; OS user ${account}), and your organisation publishes only approvals by a signed-in reviewer`);
  });

  it('refuses the signed-in preparer, and says so when Graph cannot name the user', async () => {
    graph.me = { userPrincipalName: 'Pat Preparer', displayName: 'Pat' };
    const env = signedInEnv({ requireSignIn: true, graph: graph.baseUrl });
    const book = await bookByPat();
    expect((await chargebackAsync(['approve', '--workbook', book, '--signed-in'], env)).stderr).toContain('error: approval refused for 2026-10: Pat Preparer prepared it');
    graph.me = undefined;
    const unknown = await chargebackAsync(['approve', '--workbook', book, '--signed-in'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('error: Microsoft Graph refused to say who is signed in');
    expect((await chargebackAsync(['approve', '--workbook', book, '--signed-in', '--by', 'Dana'], env)).code).toBe(2);
  });
});
