/**
 * The README's first command is what a newcomer runs to see whether the install worked: the
 * statement it shows must be the one the demo prints, line for line.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../support/files';

const ROOT = path.resolve(__dirname, '..', '..');

/** The lines between the README's demo-output markers, inside their code fence. */
function readmeDemoBlock(): string[] {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const block = /<!-- demo-output: begin -->\n```\n([\s\S]*?)\n```\n<!-- demo-output: end -->/.exec(readme);
  if (!block) throw new Error('README.md has no demo-output block');
  return block[1].split('\n');
}

describe('the README demo', () => {
  it('shows the statement the demo prints, from "Month-end" to "Wrote"', () => {
    // Run as the README says, from a folder of the user's, with --out demo-output.
    const cwd = tempDir('readme-demo-');
    const demo = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'chargeback.js'), 'demo', '--out', 'demo-output'], { cwd, encoding: 'utf8' });
    expect(demo.status).toBe(0);
    const printed = demo.stdout.split('\n');
    const first = printed.findIndex((line) => line.startsWith('Month-end on the bundled sample'));
    const last = printed.findIndex((line) => line.startsWith('Wrote '));
    expect(first).toBeGreaterThanOrEqual(0);
    expect(last).toBeGreaterThan(first);
    // On a difference: paste the demo's lines (received) into README.md between the markers.
    expect(readmeDemoBlock()).toEqual(printed.slice(first, last + 1));
  });
});
