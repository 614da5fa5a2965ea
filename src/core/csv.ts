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

export interface CsvReadOptions {
  /** Called with each batch of parsed rows (cells as text); throwing stops the read with that error. */
  onRows: (rows: string[][]) => void;
  /** Called after each chunk of text with the number of UTF-16 characters consumed so far. */
  onChunk?: () => void;
  signal?: AbortSignal;
}

/** Reads CSV text from a stream of string chunks; resolves when the last row has been handed over. */
export async function readCsv(text: ReadableStream<string>, options: CsvReadOptions): Promise<void> {
  const emitter = new TextChunkEmitter();
  let failure: unknown;
  let done = false;
  const finished = new Promise<void>((resolve, reject) => {
    Papa.parse(emitter as unknown as File, {
      header: false,
      skipEmptyLines: 'greedy',
      chunk: (results: Papa.ParseResult<string[]>) => {
        if (failure) return;
        try {
          options.onRows(results.data);
        } catch (error) {
          failure = error;
        }
      },
      complete: () => {
        done = true;
        if (failure) reject(failure);
        else resolve();
      },
      error: (error: unknown) => {
        done = true;
        reject(failure ?? error);
      },
    });
  });
  finished.catch(() => undefined);
  const reader = text.getReader();
  try {
    for (;;) {
      if (failure) break;
      if (options.signal?.aborted) throw options.signal.reason ?? new Error('cancelled');
      await emitter.whileResumed();
      const { value, done: ended } = await reader.read();
      if (ended) break;
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
  if (!done) await finished;
  await finished;
}
