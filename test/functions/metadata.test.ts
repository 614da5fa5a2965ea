import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/files';

interface Parameter {
  name: string;
  description?: string;
  optional?: boolean;
  dimensionality?: string;
  type?: string;
}
interface FunctionMetadata {
  id: string;
  name: string;
  description?: string;
  parameters: Parameter[];
  result: { dimensionality?: string; type?: string };
}

const IDS = ['SPLIT', 'SPLITEVEN', 'SPLITFIXED', 'ALLOCATE', 'AMORTIZE', 'TAG', 'COSTCENTER', 'RECONCILE', 'CONVERT'];

describe('functions.json generated from the JSDoc', () => {
  let functions: FunctionMetadata[];
  const dir = tempDir('cb-functions-');

  beforeAll(() => {
    const output = join(dir, 'functions.json');
    execFileSync(process.execPath, ['scripts/functions-metadata.mjs', 'src/functions/functions.ts', output], { cwd: join(__dirname, '../..'), stdio: 'pipe' });
    functions = JSON.parse(readFileSync(output, 'utf8')).functions;
  });

  it('has every CB function under its stable upper-case id, named as its id', () => {
    expect(functions.map((f) => f.id)).toEqual(IDS);
    for (const fn of functions) expect(fn.name).toBe(fn.id);
  });

  it('describes every function in one line', () => {
    for (const fn of functions) {
      expect(fn.description).toMatch(/\S{3}/);
      expect(fn.description).not.toMatch(/\n/);
    }
  });

  it('describes every parameter in one line', () => {
    for (const fn of functions) {
      for (const parameter of fn.parameters) {
        expect([fn.id, parameter.name, parameter.description ?? '']).toEqual([fn.id, parameter.name, expect.stringMatching(/^[^\n]{10,}$/)]);
      }
    }
  });

  it('lists the parameters of the published signatures, decimals optional', () => {
    const signature = (fn: FunctionMetadata) => `${fn.id}(${fn.parameters.map((p) => (p.optional ? `[${p.name}]` : p.name)).join(', ')})`;
    expect(functions.map(signature)).toEqual([
      'SPLIT(amount, weights, [decimals])',
      'SPLITEVEN(amount, count_or_range, [decimals])',
      'SPLITFIXED(amount, percents, [decimals])',
      'ALLOCATE(amount, targets, method, [basis], [decimals])',
      'AMORTIZE(amount, term_start, term_end, period_start, period_end, [decimals])',
      'TAG(tags_json, key)',
      'COSTCENTER(value_or_tags, mappings_range, [dimension], [cost_centers])',
      'RECONCILE(expected, parts, [decimals])',
      'CONVERT(amount, from, to, rates_range, [period], [decimals])',
    ]);
  });

  it('takes ranges as matrices and spills the lists', () => {
    const byId = Object.fromEntries(functions.map((f) => [f.id, f]));
    expect(byId.SPLIT.parameters[1].dimensionality).toBe('matrix');
    expect(byId.COSTCENTER.parameters[0].dimensionality).toBe('matrix');
    expect(byId.COSTCENTER.parameters[1].dimensionality).toBe('matrix');
    for (const id of ['SPLIT', 'SPLITEVEN', 'SPLITFIXED', 'ALLOCATE', 'COSTCENTER']) expect(byId[id].result.dimensionality).toBe('matrix');
    expect(byId.CONVERT.parameters[3].dimensionality).toBe('matrix');
    for (const id of ['AMORTIZE', 'TAG', 'RECONCILE', 'CONVERT']) expect(byId[id].result.dimensionality).toBeUndefined();
  });
});
