/**
 * A failure of an engine that runs the grain query where the data lives (DuckDB, a FinOps hub,
 * a SQL warehouse), told as the engine, the query step that failed, the problem and what to do.
 */
export class EngineError extends Error {
  constructor(
    readonly engine: string,
    readonly step: string,
    readonly problem: string,
    readonly advice?: string,
  ) {
    super(`${engine}, ${step}: ${problem}${advice ? `${/[.!?]$/.test(problem) ? '' : '.'} ${advice}` : ''}`);
  }
}
