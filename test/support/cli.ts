import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const bin = path.join(root, 'bin', 'chargeback.js');

/**
 * The administrator's policy the tests run under unless `env` says otherwise: the preparer may
 * approve (marked). Every command of a test runs under one operating-system account, which the
 * command line records with each step, so without it no test could approve its own run.
 */
export const SELF_APPROVAL_ALLOWED = path.join(root, 'test', 'fixtures', 'policy', 'self-approval-allowed.json');

/** Runs `chargeback ARGS` (dist/cli.cjs, built by test/support/global-setup.ts) as a user would, with the Audit log's user set to "test runner" unless `env` says otherwise. */
export function chargeback(args: string[], env: NodeJS.ProcessEnv = { CHARGEBACK_USER: 'test runner' }): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, CHARGEBACK_USER: '', CHARGEBACK_POLICY: SELF_APPROVAL_ALLOWED, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `chargeback ARGS` without blocking this process, for commands that call a stand-in server the test runs (Graph). */
export function chargebackAsync(args: string[], env: NodeJS.ProcessEnv = { CHARGEBACK_USER: 'test runner' }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, CHARGEBACK_USER: '', CHARGEBACK_POLICY: SELF_APPROVAL_ALLOWED, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
