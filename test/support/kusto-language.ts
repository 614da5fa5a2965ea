/**
 * Microsoft's Kusto language service (the parser and type checker of Kusto Explorer and the Azure
 * Data Explorer web UI) with a FinOps hub's `Hub` database: `Costs_final_v1_2` typed from the
 * toolkit's schema (test/fixtures/finops-hub), `Costs_v1_2()` over it and `Costs()` over that, as
 * HubSetup_v1_2.kql defines them. An older hub (before v12) has neither function.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

require('@kusto/language-service-next/bridge.js');
require('@kusto/language-service-next/Kusto.Language.Bridge.js');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const Kusto = (globalThis as any).Kusto;

/** `ColumnName:type, …` of Costs_v1_2(), from the toolkit's schema. */
export function hubCostColumns(): [string, string][] {
  return readFileSync(path.resolve(__dirname, '../fixtures/finops-hub/costs_v1_2.columns.tsv'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split('\t') as [string, string]);
}

/** v12: Costs_v1_2() and Costs(); only-costs: Costs() alone; older: neither. */
export type HubVersion = 'v12' | 'only-costs' | 'older';

function hubDatabase(version: HubVersion) {
  const S = Kusto.Language.Symbols;
  const schema = `(${hubCostColumns().map(([name, type]) => `['${name}']:${type}`).join(', ')})`;
  const table = new S.TableSymbol.$ctor7('Costs_final_v1_2', schema, null);
  // (name, parameter list, body, description)
  const fn = (name: string, body: string) => new S.FunctionSymbol.$ctor16(name, '()', body, null);
  const functions = version === 'v12' ? [fn('Costs_v1_2', '{ Costs_final_v1_2 }'), fn('Costs', '{ Costs_v1_2() }')] : version === 'only-costs' ? [fn('Costs', '{ Costs_final_v1_2 }')] : [];
  return new S.DatabaseSymbol.$ctor2('Hub', null, [table, ...functions]);
}

export interface KustoDiagnostic {
  severity: string;
  message: string;
  at: number;
}

/** Parses and type-checks a query in the hub's database; returns its errors (none when it is valid) and its result columns. */
export function analyzeKql(query: string, version: HubVersion = 'v12'): { errors: KustoDiagnostic[]; columns: [string, string][] } {
  const globals = Kusto.Language.GlobalState.Default.WithDatabase(hubDatabase(version));
  const code = Kusto.Language.KustoCode.ParseAndAnalyze(query, globals);
  const diagnostics = code.GetDiagnostics();
  const errors: KustoDiagnostic[] = [];
  for (let i = 0; i < diagnostics.Count; i++) {
    const d = diagnostics.getItem(i);
    if (d.Severity === 'Error') errors.push({ severity: d.Severity, message: d.Message, at: d.Start });
  }
  const columns: [string, string][] = [];
  const result = code.ResultType;
  if (result && result.Columns) for (let i = 0; i < result.Columns.Count; i++) columns.push([result.Columns.getItem(i).Name, result.Columns.getItem(i).Type.Name]);
  return { errors, columns };
}
