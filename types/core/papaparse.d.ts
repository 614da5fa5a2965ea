/**
 * The part of papaparse src/core uses, declared for tsconfig.core.json only: @types/papaparse pulls
 * in Node's types, which src/core must not see. The full build checks csv.ts against @types/papaparse.
 */
declare namespace Papa {
  interface ParseError {
    type: 'Quotes' | 'Delimiter' | 'FieldMismatch';
    code: string;
    message: string;
    row?: number;
  }
  interface ParseResult<T> {
    data: T[];
    errors: ParseError[];
  }
  interface ParseConfig<T> {
    header?: boolean;
    skipEmptyLines?: boolean | 'greedy';
    newline?: string;
    chunk?(results: ParseResult<T>): void;
    complete?(): void;
    error?(error: unknown): void;
  }
  function parse<T>(input: unknown, config: ParseConfig<T>): void;
}
export default Papa;
