/**
 * Jest's global setup, run once before the test files. It builds the command line (dist/cli.cjs,
 * which bin/chargeback.js runs) once, so the test files running it in parallel never see it
 * rewritten under them, and makes this run's folder for what is built once on demand (the
 * browser tests' harness page, test/browser/harness-page.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

export default function globalSetup(): void {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-cli.mjs')], { cwd: ROOT, stdio: 'inherit' });
  // Test workers start after this and inherit the environment.
  const run = mkdtempSync(path.join(tmpdir(), 'chargeback-jest-'));
  process.env.CHARGEBACK_TEST_RUN = run;
  process.once('exit', () => rmSync(run, { recursive: true, force: true }));
}
