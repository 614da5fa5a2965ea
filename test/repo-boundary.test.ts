/**
 * Nothing in the repository reads outside it: a clone with nothing beside it must build and pass
 * its tests. This scans the code, tests, scripts, benchmarks and configs for paths that climb out of
 * the repository: relative paths in strings ('../../x') and path.join / path.resolve chains of '..'
 * from __dirname, each resolved from the file that holds it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const FOLDERS = ['src', 'test', 'scripts', 'bench', 'bin'];
const CONFIGS = ['package.json', 'jest.config.js', 'webpack.config.js', 'tsconfig.json', 'tsconfig.core.json', '.ci/run'];
const CODE = /\.(ts|tsx|js|mjs|cjs|json)$/;

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const full = path.join(folder, name);
    if (name === 'node_modules' || name === 'fixtures') return [];
    return statSync(full).isDirectory() ? filesUnder(full) : CODE.test(name) ? [full] : [];
  });
}

const inside = (target: string) => target === ROOT || target.startsWith(ROOT + path.sep);

/** Each place in `text` (a file in `folder`) whose path, resolved from there, lands outside the repository. */
export function climbsOut(text: string, folder: string): string[] {
  const found: string[] = [];
  // A string that starts with ../ : an import, a require, a path given whole.
  for (const match of text.matchAll(/['"`]((?:\.\.\/)+[^'"`\s]*)['"`]/g)) {
    if (!inside(path.resolve(folder, match[1]))) found.push(match[0]);
  }
  // path.join(__dirname, '..', '..', 'x') and path.resolve(__dirname, '../..', 'x').
  for (const match of text.matchAll(/path\.(?:join|resolve)\(\s*__dirname((?:\s*,\s*['"][^'"]*['"])+)/g)) {
    const parts = [...match[1].matchAll(/['"]([^'"]*)['"]/g)].map((part) => part[1]);
    if (!inside(path.resolve(folder, ...parts))) found.push(match[0]);
  }
  // A folder that only exists beside the checkout.
  for (const match of text.matchAll(/shared[/\\]references/g)) found.push(match[0]);
  return found;
}

describe('the repository reads nothing outside itself', () => {
  const files = [...FOLDERS.flatMap((folder) => filesUnder(path.join(ROOT, folder))), ...CONFIGS.map((file) => path.join(ROOT, file))];

  it('has files to look at', () => {
    expect(files.length).toBeGreaterThan(200);
  });

  it('holds no path that climbs out of the repository in src/, test/, scripts/, bench/, bin/ or the configs', () => {
    const offenders = files
      .filter((file) => file !== __filename)
      .flatMap((file) => climbsOut(readFileSync(file, 'utf8'), path.dirname(file)).map((place) => `${path.relative(ROOT, file)}: ${place}`));
    expect(offenders).toEqual([]);
  });

  it('catches each way of climbing out (the check itself can fail)', () => {
    const here = path.join(ROOT, 'test', 'powerbi');
    // The folder beside a checkout, spelled in parts: this file itself names no path outside the repository.
    const beside = ['shared', 'references'];
    expect(climbsOut(`const SCHEMAS = path.join(__dirname, '..', '..', '..', ${beside.map((part) => `'${part}'`).join(', ')}, 'x');`, here)).toHaveLength(1);
    expect(climbsOut(`a copy in ../${beside.join('/')}/powerbi-schemas`, here)).toHaveLength(1);
    expect(climbsOut("import x from '../../../outside/x';", here)).toHaveLength(1);
    expect(climbsOut("path.resolve(__dirname, '../../..')", here)).not.toEqual([]);
    expect(climbsOut("path.join(__dirname, '..', '..', 'assets', 'powerbi'); import y from '../../src/core/facts';", here)).toEqual([]);
  });
});
