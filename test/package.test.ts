/**
 * The command line installs for everyday use: `npm pack` yields a package whose `chargeback` runs
 * from any folder once installed, and the Node.js versions package.json declares are ones every
 * locked dependency supports (so `npm ci` prints no engine warning on any of them).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import semver from 'semver';
import { tempDir } from './support/files';

const ROOT = path.resolve(__dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** The files `npm pack` puts in the package (the command line is already built by jest's global setup). */
function packedFiles(): string[] {
  const out = execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return JSON.parse(out)[0].files.map((file: { path: string }) => file.path);
}

/** The packages a bundle loads at run time: every require() or import() of a name that is not Node's own or a relative path. */
function packagesLoadedBy(bundle: string): string[] {
  // Lines of comments (bundled libraries' JSDoc examples) load nothing.
  const text = readFileSync(bundle, 'utf8')
    .split('\n')
    .filter((line) => !/^\s*(\*|\/\/)/.test(line))
    .join('\n');
  const names = new Set<string>();
  for (const match of text.matchAll(/\b(?:require|import)\(\s*["']([^"'./][^"']*)["']\s*\)/g)) {
    const name = match[1].startsWith('@') ? match[1].split('/').slice(0, 2).join('/') : match[1].split('/')[0];
    if (!name.startsWith('node:') && !builtinModules.includes(name)) names.add(name);
  }
  return [...names].sort();
}

describe('the packed command line', () => {
  const bundles = ['dist/cli.cjs', 'dist/ingest-worker.cjs'];

  it('holds the command, its bundles, the sample for the demo, the docs and the license, and no sources, tests or source maps', () => {
    const files = packedFiles();
    expect(files).toEqual(expect.arrayContaining(['bin/chargeback.js', ...bundles, 'assets/sample/rules.xlsx', 'assets/sample/focus-2026-10.csv', 'README.md', 'LICENSE', 'package.json']));
    expect(files.filter((file) => /^(src|test|scripts|bench)\/|\.map$/.test(file))).toEqual([]);
    expect(pkg.bin.chargeback).toBe('bin/chargeback.js');
    expect(readFileSync(path.join(ROOT, 'bin', 'chargeback.js'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('declares as dependencies exactly the packages its bundles load at run time (the rest is bundled)', () => {
    const loaded = [...new Set(bundles.flatMap((bundle) => packagesLoadedBy(path.join(ROOT, bundle))))].sort();
    expect(loaded).toEqual(Object.keys(pkg.dependencies).sort());
  });

  it('runs the demo from another folder with only the packed files and its declared dependencies', () => {
    const work = tempDir('packed-');
    execFileSync(npm, ['pack', '--ignore-scripts', '--pack-destination', work], { cwd: ROOT, stdio: 'ignore' });
    const tarball = path.join(work, `${pkg.name}-${pkg.version}.tgz`);
    execFileSync('tar', ['-xzf', tarball, '-C', work]);
    const installed = path.join(work, 'package');
    // What `npm install -g` would put beside it: the declared dependencies and nothing else.
    for (const name of Object.keys(pkg.dependencies)) {
      const link = path.join(installed, 'node_modules', name);
      mkdirSync(path.dirname(link), { recursive: true });
      symlinkSync(path.join(ROOT, 'node_modules', name), link, 'dir');
    }
    const elsewhere = path.join(work, 'month-end');
    mkdirSync(elsewhere);
    const demo = spawnSync(process.execPath, [path.join(installed, 'bin', 'chargeback.js'), 'demo', '--out', 'out'], { cwd: elsewhere, encoding: 'utf8' });
    expect(demo.stderr).not.toMatch(/^error/m);
    expect(demo.status).toBe(0);
    expect(demo.stdout).toContain('allocated 23884.20 USD of 23884.20');
    expect(existsSync(path.join(elsewhere, 'out', 'finance-share', '2026-10', 'manifest.json'))).toBe(true);
  });
});

describe('the supported Node.js versions', () => {
  it('are declared, and every locked package supports all of them (npm ci prints no engine warning)', () => {
    const supported = pkg.engines.node as string;
    expect(semver.validRange(supported)).not.toBeNull();
    const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
    const narrower = Object.entries(lock.packages as Record<string, { version?: string; engines?: { node?: string } | string[] }>)
      .filter(([place, entry]) => place !== '' && entry.engines && !Array.isArray(entry.engines) && entry.engines.node)
      .filter(([, entry]) => !semver.subset(supported, (entry.engines as { node: string }).node))
      .map(([place, entry]) => `${place.replace(/^node_modules\//, '')}@${entry.version} wants node ${(entry.engines as { node: string }).node}`);
    expect(narrower).toEqual([]);
  });

  it('include the Node.js this runs on, and the README names the same lines', () => {
    expect(semver.satisfies(process.versions.node, pkg.engines.node)).toBe(true);
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const line of ['20', '22', '24']) expect(readme).toMatch(new RegExp(`Node\\.js[^\\n]*\\b${line}\\b`));
  });
});
