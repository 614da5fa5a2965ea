import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chargeback } from '../support/cli';
import { BASE_HEADER, focusCsv, tempDir } from '../support/files';

const rules = {
  settings: { clearingAccount: '2990' },
  costCenters: [{ costCenter: 'CC-A', name: 'Team A', glAccount: '6100' }],
  mappings: [{ dimension: 'SubAccountName', pattern: 'team-a*', costCenter: 'CC-A' }],
};
const row = (cost: string) => ['2026-10-01T00:00:00Z', 'USD', 'Usage', '', cost, cost, 'team-a', 'Compute', 'VMs', 'Azure', ''];

function fixture() {
  const dir = tempDir('chargeback-safety-');
  writeFileSync(path.join(dir, 'rules.json'), JSON.stringify(rules));
  writeFileSync(path.join(dir, 'october.csv'), focusCsv(BASE_HEADER, [row('100.00'), row('23.45')]));
  return { dir, rules: path.join(dir, 'rules.json'), costs: path.join(dir, 'october.csv'), out: path.join(dir, 'book.xlsx') };
}
const run = (f: ReturnType<typeof fixture>, ...extra: string[]) => chargeback(['run', '--costs', f.costs, '--rules', f.rules, '--out', f.out, '--json', ...extra]);

describe('the command line never destroys a file it was not asked to replace', () => {
  it('refuses --out onto the rules file or a costs file, even with --force, and leaves them as they were', () => {
    const f = fixture();
    const rulesBefore = readFileSync(f.rules, 'utf8');
    const ontoRules = chargeback(['run', '--costs', f.costs, '--rules', f.rules, '--out', f.rules, '--force']);
    expect(ontoRules.code).toBe(1);
    expect(ontoRules.stderr).toBe(`error: --out ${f.rules} is the --rules input of this command: writing it would destroy it; choose another --out\n`);
    const ontoCosts = chargeback(['run', '--costs', f.costs, '--rules', f.rules, '--out', f.costs]);
    expect(ontoCosts.stderr).toContain(`is the --costs input of this command`);
    expect(readFileSync(f.rules, 'utf8')).toBe(rulesBefore);
    expect(readFileSync(f.costs, 'utf8')).toContain('23.45');
  });

  it('refuses to replace an existing workbook unless --force is given', () => {
    const f = fixture();
    expect(run(f).code).toBe(0);
    const approve = chargeback(['approve', '--workbook', f.out, '--by', 'Dana Reviewer']);
    expect(approve.code).toBe(0);
    const before = readFileSync(f.out);
    const again = run(f);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      `error: ${f.out} exists already: it is not replaced (it may hold approvals, an Audit log or filled-in rules); to run a chargeback workbook again keeping its Audit log, use --workbook ${f.out} instead of --out; add --force to replace it, or choose another --out\n`,
    );
    expect(readFileSync(f.out).equals(before)).toBe(true);
    expect(run(f, '--force').code).toBe(0);
  });

  it('refuses rules-template --out onto an existing rules workbook unless --force is given', () => {
    const dir = tempDir();
    const out = path.join(dir, 'rules.xlsx');
    expect(chargeback(['rules-template', '--out', out]).code).toBe(0);
    const before = readFileSync(out);
    const again = chargeback(['rules-template', '--out', out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('exists already');
    expect(again.stderr).toContain('add --force to replace it');
    expect(readFileSync(out).equals(before)).toBe(true);
    expect(chargeback(['rules-template', '--out', out, '--force']).code).toBe(0);
  });

  it('says plainly that --out is a folder', () => {
    const f = fixture();
    const result = chargeback(['run', '--costs', f.costs, '--rules', f.rules, '--out', f.dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`error: --out ${f.dir} is a folder: give the workbook's file name, e.g. ${path.join(f.dir, 'chargeback.xlsx')}\n`);
  });

  it('removes temporaries a killed run left beside the output, and leaves other files alone', () => {
    const f = fixture();
    const stale = path.join(f.dir, '.book.xlsx.999999.k2j3.tmp'); // process 999999 is not running
    const other = path.join(f.dir, '.notes.tmp');
    writeFileSync(stale, 'half a workbook');
    writeFileSync(other, 'not ours');
    expect(run(f).code).toBe(0);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(other)).toBe(true);
    expect(readdirSync(f.dir).filter((n) => n.endsWith('.tmp'))).toEqual(['.notes.tmp']);
  });
});

describe('the same data is never read twice', () => {
  it('refuses a file given twice, or given alone and inside a folder also given', () => {
    const f = fixture();
    const twice = chargeback(['run', '--costs', f.costs, '--costs', f.costs, '--rules', f.rules, '--out', f.out]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toBe(`error: ${f.costs}: this file is given twice; its costs would be counted twice. Give each file or folder once.\n`);
    const viaFolder = chargeback(['run', '--costs', f.costs, '--costs', f.dir, '--rules', f.rules, '--out', f.out]);
    expect(viaFolder.code).toBe(1);
    expect(viaFolder.stderr).toContain('this file is given twice');
    expect(existsSync(f.out)).toBe(false);
  });

  it('skips macOS ._ metadata files in a folder of exports with a note, and reads the rest', () => {
    const f = fixture();
    const exports = path.join(f.dir, 'exports');
    mkdirSync(exports);
    writeFileSync(path.join(exports, 'october.csv'), readFileSync(f.costs));
    writeFileSync(path.join(exports, '._october.csv'), Buffer.from([0, 5, 22, 7, 0, 2, 0, 0]));
    const result = chargeback(['run', '--costs', exports, '--rules', f.rules, '--out', f.out, '--json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(`note: ${path.join(exports, '._october.csv')}: skipped (a hidden file or folder)\n`);
    expect(JSON.parse(result.stdout).sourceTotal).toBe('123.45');
  });
});

describe('secrets never reach the terminal', () => {
  it('redacts a SAS given where an option was expected, in the usage error', () => {
    const url = 'https://acct.blob.core.windows.net/finance?sv=2024-11-04&ss=b&sp=rwl&sig=SuperSecretSignature123%3D';
    const result = chargeback(['publish', '--workbook', 'book.xlsx', url]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^usage error: /);
    expect(result.stderr).toContain('https://acct.blob.core.windows.net/finance?<SAS redacted>');
    expect(result.stderr).not.toContain('SuperSecretSignature');
    expect(result.stderr).not.toContain('sp=rwl');
  });

  it('redacts a stray sig= in an unknown command', () => {
    const result = chargeback(['sig=SuperSecretSignature123']);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain('SuperSecretSignature');
  });
});

describe('one command at a time on a workbook', () => {
  it('refuses to update a workbook another live command holds, and takes over the lock of one that is gone', () => {
    const f = fixture();
    expect(run(f).code).toBe(0);
    const lock = path.join(f.dir, '.book.xlsx.lock');
    writeFileSync(lock, String(process.pid)); // this test process: alive
    const refused = chargeback(['approve', '--workbook', f.out, '--by', 'Dana Reviewer']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`error: ${f.out}: another chargeback command (process ${process.pid}) is updating this workbook; try again when it has finished\n`);
    writeFileSync(lock, '999999');
    expect(chargeback(['approve', '--workbook', f.out, '--by', 'Dana Reviewer']).code).toBe(0);
    expect(existsSync(lock)).toBe(false);
  });
});
