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
