/**
 * The workbook's lock file: taken and taken over atomically, so that of several commands racing
 * for one stale lock exactly one wins; its content (host, process, start time) is checked as
 * untrusted input; something else at its path is a clear error.
 */
import { ChildProcess, fork, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { lockPathOf, parseLockHolder, releaseWorkbookLock, takeWorkbookLock, withWorkbookLock } from '../../src/cli/workbook-lock';

const dir = mkdtempSync(path.join(os.tmpdir(), 'workbook-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The id of a process that has exited: a stale lock's holder. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

const staleLock = (pid: number) => JSON.stringify({ host: os.hostname(), pid, started: '2026-01-01T00:00:00.000Z' });

describe('the lock file', () => {
  it('names the host, the process and its start time', async () => {
    const book = path.join(dir, 'named.xlsx');
    await withWorkbookLock(book, async () => {
      const holder = parseLockHolder(readFileSync(lockPathOf(book), 'utf8'));
      expect(holder).toEqual({ host: os.hostname(), pid: process.pid, started: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    });
    expect(existsSync(lockPathOf(book))).toBe(false);
  });

  it('is refused, with what holds it, while a live command holds it', async () => {
    const book = path.join(dir, 'held.xlsx');
    writeFileSync(lockPathOf(book), JSON.stringify({ host: os.hostname(), pid: process.pid, started: '2026-12-08T00:00:00.000Z' }));
    await expect(takeWorkbookLock(book)).rejects.toThrow(`${book}: another chargeback command (process ${process.pid}, started 2026-12-08T00:00:00.000Z) is updating this workbook; try again when it has finished`);
  });

  it('held by a command on another host is refused (its process cannot be checked from here)', async () => {
    const book = path.join(dir, 'remote.xlsx');
    writeFileSync(lockPathOf(book), JSON.stringify({ host: 'finance-vm-7', pid: 4242, started: '2026-12-08T00:00:00.000Z' }));
    await expect(takeWorkbookLock(book)).rejects.toThrow(/process 4242 on finance-vm-7, started .*if no chargeback command is running on finance-vm-7, delete /);
  });

  it.each([
    ['empty', ''],
    ['not JSON', 'hello'],
    ['JSON of the wrong shape', '{"pid":"1; rm -rf /","host":7}'],
    ['a negative process id', '{"host":"h","pid":-1,"started":""}'],
    ['megabytes long', 'x'.repeat(5_000_000)],
  ])('that is %s is reported, not trusted', async (_, content) => {
    const book = path.join(dir, `odd-${_.replace(/\W/g, '')}.xlsx`);
    writeFileSync(lockPathOf(book), content);
    await expect(takeWorkbookLock(book)).rejects.toThrow(`${book}: the lock file ${lockPathOf(book)} does not name a chargeback command (it was not written by one); if no chargeback command is running, delete ${lockPathOf(book)}`);
  });

  it('gives a clear error when a folder stands at its path', async () => {
    const book = path.join(dir, 'folder.xlsx');
    mkdirSync(lockPathOf(book));
    await expect(takeWorkbookLock(book)).rejects.toThrow(`${book}: a folder stands where the workbook's lock file goes (${lockPathOf(book)}); move it away, then try again`);
  });

  it("is released only when it is still this command's own", async () => {
    const book = path.join(dir, 'released.xlsx');
    const mine = await takeWorkbookLock(book);
    const theirs = staleLock(1);
    writeFileSync(lockPathOf(book), theirs);
    await releaseWorkbookLock(book, mine);
    expect(readFileSync(lockPathOf(book), 'utf8')).toBe(theirs);
  });

  it('of a process that is gone is taken over', async () => {
    const book = path.join(dir, 'stale.xlsx');
    writeFileSync(lockPathOf(book), staleLock(deadPid()));
    const mine = await takeWorkbookLock(book);
    expect(parseLockHolder(mine)?.pid).toBe(process.pid);
    expect(readFileSync(lockPathOf(book), 'utf8')).toBe(mine);
    expect(existsSync(`${lockPathOf(book)}.takeover`)).toBe(false);
  });
});

describe('several commands racing for one stale lock', () => {
  const CONTENDERS = 4;
  const ROUNDS = 40;
  let children: ChildProcess[] = [];

  afterAll(() => children.forEach((child) => child.kill()));

  it(`has exactly one winner in each of ${ROUNDS} rounds`, async () => {
    // Each contender is its own Node process running the real lock code, bundled as the CLI is.
    const script = path.join(dir, 'contender.cjs');
    buildSync({
      stdin: {
        contents: `const { takeWorkbookLock } = require(${JSON.stringify(path.resolve(__dirname, '../../src/cli/workbook-lock.ts'))});
process.on('message', async ({ book }) => {
  try { await takeWorkbookLock(book); process.send({ won: true }); }
  catch (error) { process.send({ won: false, message: error.message }); }
});
process.send({ ready: true });`,
        resolveDir: __dirname,
        loader: 'js',
      },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: script,
      logLevel: 'silent',
    });
    children = Array.from({ length: CONTENDERS }, () => fork(script, [], { stdio: 'ignore' }));
    const next = (child: ChildProcess) => new Promise<{ won?: boolean; message?: string }>((resolve) => child.once('message', resolve));
    await Promise.all(children.map(next));

    const book = path.join(dir, 'race.xlsx');
    const dead = deadPid();
    const winners: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      writeFileSync(lockPathOf(book), staleLock(dead));
      const answers = children.map(next);
      for (const child of children) child.send({ book });
      const results = await Promise.all(answers);
      winners.push(results.filter((r) => r.won).length);
      for (const lost of results.filter((r) => !r.won)) expect(lost.message).toMatch(/another chargeback command .* is updating this workbook|stopped part way/);
      expect(existsSync(`${lockPathOf(book)}.takeover`)).toBe(false);
      rmSync(lockPathOf(book), { force: true });
    }
    expect(winners).toEqual(Array(ROUNDS).fill(1));
  });
});
