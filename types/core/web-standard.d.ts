/**
 * The web-standard APIs src/core may use, because both of its hosts have them as globals: Node 20
 * and the browser (WHATWG Streams, Encoding, Compression Streams, Web Crypto, AbortSignal, File).
 * Only for tsconfig.core.json, which leaves out the DOM and Node libraries so that a use of
 * `document`, `window`, `Buffer` or `process` in src/core fails the type check. Declared as far as
 * src/core uses them; the full build checks the same code against the DOM library.
 */
export {};

declare global {
  interface ReadableStreamReadResult<T> {
    done: boolean;
    value: T;
  }
  interface ReadableStreamDefaultReader<R> {
    read(): Promise<ReadableStreamReadResult<R>>;
    releaseLock(): void;
    cancel(reason?: unknown): Promise<void>;
  }
  interface ReadableStream<R = unknown> {
    getReader(): ReadableStreamDefaultReader<R>;
    pipeThrough<T>(transform: { writable: WritableStream<R>; readable: ReadableStream<T> }): ReadableStream<T>;
    cancel(reason?: unknown): Promise<void>;
  }
  interface ReadableStreamDefaultController<R> {
    enqueue(chunk: R): void;
    close(): void;
  }
  interface UnderlyingSource<R> {
    pull?(controller: ReadableStreamDefaultController<R>): void | Promise<void>;
  }
  const ReadableStream: { new <R = unknown>(source?: UnderlyingSource<R>): ReadableStream<R> };
  interface WritableStream<W = unknown> {
    readonly locked: boolean;
    /** Never called by src/core; keeps the write type in the interface. */
    getWriter(): { write(chunk: W): Promise<void> };
  }
  interface TransformStreamDefaultController<O> {
    enqueue(chunk: O): void;
  }
  interface Transformer<I, O> {
    transform?(chunk: I, controller: TransformStreamDefaultController<O>): void | Promise<void>;
  }
  interface TransformStream<I = unknown, O = unknown> {
    readonly readable: ReadableStream<O>;
    readonly writable: WritableStream<I>;
  }
  const TransformStream: { new <I = unknown, O = unknown>(transformer?: Transformer<I, O>): TransformStream<I, O> };
  const DecompressionStream: { new (format: 'gzip' | 'deflate' | 'deflate-raw'): TransformStream<Uint8Array, Uint8Array> };
  const TextDecoderStream: { new (label?: string): TransformStream<Uint8Array, string> };

  interface TextEncoder {
    encode(input?: string): Uint8Array;
  }
  const TextEncoder: { new (): TextEncoder };
  interface TextDecoder {
    decode(input?: Uint8Array | ArrayBuffer): string;
  }
  const TextDecoder: { new (label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean }): TextDecoder };

  interface AbortSignal {
    readonly aborted: boolean;
    readonly reason: unknown;
    addEventListener(type: 'abort', listener: () => void): void;
    removeEventListener(type: 'abort', listener: () => void): void;
  }
  interface AbortController {
    readonly signal: AbortSignal;
    abort(reason?: unknown): void;
  }
  const AbortController: { new (): AbortController };

  /** A File as papaparse's types name it; src/core only casts to it. */
  interface File {
    readonly name: string;
  }

  const crypto: {
    subtle: { digest(algorithm: 'SHA-256', data: ArrayBuffer | Uint8Array): Promise<ArrayBuffer> };
  };
}
