import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const bin = path.join(root, 'bin', 'chargeback.js');

/** Runs `chargeback ARGS` (dist/cli.cjs, built by test/support/global-setup.ts) as a user would, with the Audit log's user set to "test runner" unless `env` says otherwise. */
export function chargeback(args: string[], env: NodeJS.ProcessEnv = { CHARGEBACK_USER: 'test runner' }): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, CHARGEBACK_USER: '', ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
