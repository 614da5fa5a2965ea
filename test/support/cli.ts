import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const bin = path.join(root, 'bin', 'chargeback.js');

/** Builds the command line once for the test file (bin/chargeback.js runs dist/cli.cjs). */
export function buildCommandLine(): void {
  beforeAll(() => {
    execFileSync(process.execPath, [path.join(root, 'scripts', 'build-cli.mjs')], { cwd: root });
  });
}

/** Runs `chargeback ARGS` as a user would, with the Audit log's user set to "test runner". */
export function chargeback(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, CHARGEBACK_USER: 'test runner' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
