/**
 * Real spreadsheet programs for round-trip tests: LibreOffice Calc headless (`soffice`, Debian's
 * libreoffice-calc) and Gnumeric's `ssconvert`. They are part of the test suite, not optional:
 * .ci/run installs them, and a test that needs one fails with what to install when it is missing.
 *
 * LibreOffice runs one instance per user profile and hands a second start to the running one, so
 * each test process gets a profile of its own and its conversions run one at a time.
 */
import { spawnSync } from 'node:child_process';
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
 * Converts a file with LibreOffice headless (`--convert-to FILTER`) and returns the output files'
 * bytes by name: what a user gets by opening the file in LibreOffice Calc and saving it.
 */
function libreOfficeConvert(bytes: Uint8Array, from: string, to: string, filter: string): Promise<Map<string, Uint8Array>> {
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
    if (run.status !== 0 || written.length === 0) throw new Error(`LibreOffice did not convert ${from} to ${to} (exit ${run.status}): ${run.stderr || run.stdout}`);
    return new Map(written.map((name) => [name, new Uint8Array(readFileSync(path.join(out, name)))]));
  });
}

/** The workbook as LibreOffice Calc saves it after opening it (Excel 2007-365 format). */
export async function resavedByLibreOffice(xlsx: Uint8Array): Promise<Uint8Array> {
  return [...(await libreOfficeConvert(xlsx, 'xlsx', 'xlsx', 'xlsx:Calc MS Excel 2007 XML')).values()][0];
}

/** Each sheet of the workbook as LibreOffice Calc shows it, as CSV text by sheet name. */
export async function sheetsByLibreOffice(xlsx: Uint8Array): Promise<Record<string, string>> {
  // Comma, double quote, UTF-8 (76), from line 1, ..., the last token -1: every sheet, each to book-<sheet>.csv.
  const files = await libreOfficeConvert(xlsx, 'xlsx', 'csv', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1');
  return Object.fromEntries([...files].map(([name, bytes]) => [name.replace(/^book-(.*)\.csv$/, '$1'), new TextDecoder().decode(bytes)]));
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
