/** Bad input, with the file, row and column to look at. Nothing has been written when it is thrown. */
export class IngestError extends Error {
  constructor(
    readonly file: string,
    readonly row: number | undefined,
    readonly column: string | undefined,
    readonly reason: string,
  ) {
    super(`${file}${row ? `, row ${row}` : ''}${column ? `, column ${column}` : ''}: ${reason}`);
    this.name = 'IngestError';
  }
}

/** A cell's text quoted for a message, cut short: a damaged file can hold a cell of megabytes. */
export function quotedForMessage(text: string, max = 80): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

/** What a file lacks, with the header it has (shortened): one wording for every engine that reads files. */
export function missingColumnsMessage(missing: readonly string[], header: readonly string[]): string {
  return `missing FOCUS column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (found: ${quotedForMessage(header.join(', '), 400)})`;
}
