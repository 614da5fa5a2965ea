/**
 * Streaming CSV with papaparse, fed from web streams so the very same code runs in Node (the
 * command line) and in the browser (the task pane's Web Worker). Only one chunk of text is in
 * memory at a time; rows are handed over in batches as papaparse finishes them.
 */
import Papa from 'papaparse';

type Listener = (value?: unknown) => void;

/**
 * papaparse streams any object that looks like a Node readable (`readable`, `read`, `on`,
 * `pause`, `resume`). This small emitter is that object, fed from a web ReadableStream, so no
 * Node built-in is needed.
 */
class TextChunkEmitter {
  readonly readable = true;
  private listeners = new Map<string, Listener[]>();
  private paused = false;
  private wake?: () => void;

  read(): null {
    return null;
  }
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  removeListener(event: string, listener: Listener): this {
    this.listeners.set(event, (this.listeners.get(event) ?? []).filter((l) => l !== listener));
    return this;
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
    this.wake?.();
  }
  emit(event: string, value?: unknown): void {
    for (const listener of this.listeners.get(event) ?? []) listener(value);
  }
  async whileResumed(): Promise<void> {
    while (this.paused) await new Promise<void>((resolve) => (this.wake = resolve));
  }
}

/** A row papaparse could not read cleanly (an unterminated or stray quote): `index` is the row's place in its batch. */
export interface CsvRowProblem {
  index: number;
  message: string;
}

export interface CsvReadOptions {
  /**
   * Called with each batch of parsed rows (cells as text), the header first, and the rows of the
   * batch papaparse found malformed; throwing stops the read with that error. A blank line is a
   * row of one empty cell, so a row's place in the file is its count.
   */
  onRows: (rows: string[][], problems: readonly CsvRowProblem[]) => void;
  /** Called once with the header row, before its batch is handed over (the reader prepares its columns). */
  onHeader?: (header: readonly string[]) => void;
  /** Called after each chunk of text. */
  onChunk?: () => void;
  signal?: AbortSignal;
}

/** Reads CSV text from a stream of string chunks; resolves when the last row has been handed over. */
export async function readCsv(text: ReadableStream<string>, options: CsvReadOptions): Promise<void> {
  const reader = text.getReader();
  // papaparse guesses the line ending from its first chunk; a chunk cut between \r and \n would
  // fool it, so read up to the first line break and tell it.
  let head = '';
  let ended = false;
  const lineLength = new LineLengthGuard();
  while (!head.includes('\n')) {
    const { value, done } = await reader.read();
    if (done) {
      ended = true;
      break;
    }
    lineLength.check(value);
    head += value;
  }
  const firstBreak = head.indexOf('\n');
  const newline = firstBreak < 0 ? undefined : head[firstBreak - 1] === '\r' ? '\r\n' : '\n';
  const emitter = new TextChunkEmitter();
  let failure: unknown;
  let headerSeen = false;
  const finished = new Promise<void>((resolve, reject) => {
    Papa.parse(emitter as unknown as File, {
      header: false,
      // Blank lines are kept (as one empty cell) so papaparse's error rows are the batch's row indices.
      skipEmptyLines: false,
      ...(newline ? { newline } : {}),
      chunk: (results: Papa.ParseResult<string[]>) => {
        if (failure) return;
        try {
          if (!headerSeen && results.data.length > 0) {
            headerSeen = true;
            options.onHeader?.(results.data[0]);
          }
          const problems = results.errors
            .filter((e) => e.type === 'Quotes')
            .map((e) => ({ index: Math.min(e.row ?? 0, results.data.length - 1), message: e.message.toLowerCase() }));
          options.onRows(results.data, problems);
        } catch (error) {
          failure = error;
        }
      },
      complete: () => (failure ? reject(failure) : resolve()),
      error: (error: unknown) => reject(failure ?? error),
    });
  });
  finished.catch(() => undefined);
  try {
    if (head !== '') {
      emitter.emit('data', head);
      options.onChunk?.();
    }
    while (!ended && !failure) {
      if (options.signal?.aborted) throw options.signal.reason ?? new Error('cancelled');
      await emitter.whileResumed();
      const { value, done } = await reader.read();
      if (done) break;
      lineLength.check(value);
      emitter.emit('data', value);
      options.onChunk?.();
    }
    if (!failure) emitter.emit('end');
  } finally {
    reader.releaseLock();
  }
  if (failure) {
    void text.cancel().catch(() => undefined);
    throw failure;
  }
  await finished;
}

/** Longest line read (in characters): far above any real FOCUS row, far below what exhausts memory. */
export const MAX_LINE_CHARS = 16 * 1024 * 1024;

export class CsvLineTooLongError extends Error {}

/**
 * Stops a read at a line longer than MAX_LINE_CHARS (a file that is not CSV, or a damaged one)
 * before papaparse holds it whole; the message does not echo the line.
 */
class LineLengthGuard {
  private run = 0;
  check(chunk: string): void {
    const lastBreak = chunk.lastIndexOf('\n');
    this.run = lastBreak < 0 ? this.run + chunk.length : chunk.length - lastBreak - 1;
    if (this.run > MAX_LINE_CHARS) throw new CsvLineTooLongError(`a line is longer than ${MAX_LINE_CHARS / 1024 / 1024} MB with no line break: this is not a FOCUS CSV file, or it is damaged`);
  }
}
