/**
 * Real spreadsheet programs for round-trip tests: LibreOffice Calc headless (`soffice`, Debian's
 * libreoffice-calc) and Gnumeric's `ssconvert`. They are part of the test suite, not optional:
 * .ci/run installs them, and a test that needs one fails with what to install when it is missing.
 *
 * LibreOffice runs one instance per user profile and hands a second start to the running one, so
 * each test process gets a profile of its own and its conversions run one at a time.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { tempDir } from './files';

function which(program: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

/** The program's path; throws (the test fails, it does not skip) when it is not installed. */
export function requireProgram(program: 'soffice' | 'ssconvert'): string {
  const found = which(program);
  if (!found) {
    const pkg = program === 'soffice' ? 'libreoffice-calc' : 'gnumeric';
    throw new Error(`${program} is not installed: the round-trip tests need it (apt-get install ${pkg}; .ci/run installs it)`);
  }
  return found;
}

let profile: string | undefined;
let queue: Promise<unknown> = Promise.resolve();

/** Runs one LibreOffice conversion at a time in this process, with this process's own profile. */
function serialised<T>(work: () => T): Promise<T> {
  const next = queue.then(work, work);
  queue = next.catch(() => undefined);
  return next;
}

/**
 * Converts a file with LibreOffice headless (`--convert-to FILTER`) and returns the output's bytes:
 * what a user gets by opening the file in LibreOffice Calc and saving it again.
 */
export function libreOfficeConvert(bytes: Uint8Array, from: string, to: string, filter = to): Promise<Uint8Array> {
  const soffice = requireProgram('soffice');
  return serialised(() => {
    profile ??= tempDir('lo-profile-');
    const work = tempDir('lo-work-');
    const input = path.join(work, `book.${from}`);
    const out = path.join(work, 'out');
    mkdirSync(out);
    writeFileSync(input, bytes);
    const run = spawnSync(soffice, [`-env:UserInstallation=${pathToFileURL(profile).href}`, '--headless', '--norestore', '--convert-to', filter, '--outdir', out, input], { encoding: 'utf8', timeout: 180_000 });
    const written = readdirSync(out).filter((name) => name.endsWith(`.${to}`));
    if (run.status !== 0 || written.length !== 1) throw new Error(`LibreOffice did not convert ${from} to ${to} (exit ${run.status}): ${run.stderr || run.stdout}`);
    return new Uint8Array(readFileSync(path.join(out, written[0])));
  });
}

/** The workbook as LibreOffice Calc saves it after opening it (Excel 2007-365 format). */
export const resavedByLibreOffice = (xlsx: Uint8Array) => libreOfficeConvert(xlsx, 'xlsx', 'xlsx', 'xlsx:Calc MS Excel 2007 XML');

/** Each sheet of the workbook as LibreOffice computes and shows it, as CSV text, by sheet name. */
export async function sheetsByLibreOffice(xlsx: Uint8Array, sheets: readonly string[], order: readonly string[]): Promise<Record<string, string>> {
  // CSV filter options: comma, double quote, UTF-8, first line 1, column types, ..., sheet number (1-based; -1 = every sheet to its own file is LibreOffice 7.2+).
  const result: Record<string, string> = {};
  for (const sheet of sheets) {
    const index = order.indexOf(sheet) + 1;
    if (index < 1) throw new Error(`no sheet ${sheet} in ${order.join(', ')}`);
    const csv = await libreOfficeConvert(xlsx, 'xlsx', 'csv', `csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,${index}`);
    result[sheet] = new TextDecoder().decode(csv);
  }
  return result;
}

/**
 * The workbook as Gnumeric reads it: each sheet as CSV (what Gnumeric shows, without recalculating
 * anything it can show from the file) and whatever Gnumeric said about the file on stderr.
 */
export function sheetsByGnumeric(xlsx: Uint8Array): { sheets: Record<string, string>; complaints: string } {
  const ssconvert = requireProgram('ssconvert');
  const work = tempDir('gnumeric-');
  const input = path.join(work, 'book.xlsx');
  writeFileSync(input, xlsx);
  const run = spawnSync(ssconvert, ['--export-file-per-sheet', input, path.join(work, 'sheet-%s.csv')], { encoding: 'utf8', timeout: 180_000, env: { ...process.env, HOME: work } });
  if (run.status !== 0) throw new Error(`ssconvert could not read the workbook (exit ${run.status}): ${run.stderr}`);
  const sheets: Record<string, string> = {};
  for (const name of readdirSync(work)) {
    const match = /^sheet-(.*)\.csv$/.exec(name);
    if (match) sheets[match[1]] = readFileSync(path.join(work, name), 'utf8');
  }
  return { sheets, complaints: run.stderr.trim() };
}

/** The version LibreOffice reports, for a test's message. */
export function libreOfficeVersion(): string {
  return execFileSync(requireProgram('soffice'), ['--version'], { encoding: 'utf8' }).trim();
}
