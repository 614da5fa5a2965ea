/**
 * The Power BI project in assets/powerbi: its JSON parts validate against Microsoft's published
 * schemas (a copy in test/fixtures/powerbi-schemas, with its license and source), and its semantic model reads exactly
 * the columns publish writes (src/core/facts.ts), so the report cannot drift from the facts.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { FACT_TABLE_NAMES, FACT_TABLES, FactColumnType, FactTableName } from '../../src/core/facts';

const PROJECT = path.join(__dirname, '..', '..', 'assets', 'powerbi');
const SCHEMAS = path.join(__dirname, '..', 'fixtures', 'powerbi-schemas');
const SCHEMA_HOST = 'https://developer.microsoft.com/json-schemas/';
const MODEL = path.join(PROJECT, 'Chargeback.SemanticModel', 'definition');

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const full = path.join(folder, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** Every schema, under the address its files refer to it by (the embedded ones' own $id spells their file name differently). */
function schemaValidator(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  for (const file of filesUnder(SCHEMAS).filter((f) => f.endsWith('.json'))) {
    const schema = JSON.parse(readFileSync(file, 'utf8'));
    ajv.addSchema({ ...schema, $id: SCHEMA_HOST + path.relative(SCHEMAS, file).split(path.sep).join('/') });
  }
  return ajv;
}

const JSON_PARTS = filesUnder(PROJECT).filter((f) => /\.(json|pbip|pbir|pbism)$/.test(f));

// ---- a small reader for the TMDL the project holds (tables, columns, measures, partitions) ----

interface ModelTable {
  name: string;
  columns: { name: string; dataType: string; sourceColumn?: string; calculated: boolean }[];
  measures: string[];
  levels: string[];
  factTable?: string;
  mTypes: Record<string, string>;
  /** The culture each Table.TransformColumnTypes names (its third argument), or "" where it names none. */
  cultures: string[];
}

const unquote = (name: string) => name.trim().replace(/^'(.*)'$/, '$1');

function readTable(file: string): ModelTable {
  const lines = readFileSync(file, 'utf8').split('\n');
  const table: ModelTable = { name: unquote(lines[0].replace(/^table /, '')), columns: [], measures: [], levels: [], mTypes: {}, cultures: [] };
  for (const line of lines) {
    const column = /^\tcolumn ('[^']+'|\S+)( = .*)?$/.exec(line);
    if (column) table.columns.push({ name: unquote(column[1]), dataType: '', calculated: column[2] !== undefined });
    const measure = /^\tmeasure ('[^']+'|\S+) = /.exec(line);
    if (measure) table.measures.push(unquote(measure[1]));
    const last = table.columns[table.columns.length - 1];
    const dataType = /^\t\tdataType: (\w+)$/.exec(line);
    if (dataType && last && !last.dataType) last.dataType = dataType[1];
    const source = /^\t\tsourceColumn: (.+)$/.exec(line);
    if (source && last) last.sourceColumn = source[1];
    const level = /^\t\t\tcolumn: (.+)$/.exec(line);
    if (level) table.levels.push(unquote(level[1]));
    const fact = /#"Fact files"\("(\w+)"\)/.exec(line);
    if (fact) table.factTable = fact[1];
    if (line.includes('Table.TransformColumnTypes')) {
      for (const [, name, type] of line.matchAll(/\{"(\w+)", ((?:type )?[\w.]+)\}/g)) table.mTypes[name] = type;
      table.cultures.push(/\}\}, "([^"]+)"\)/.exec(line)?.[1] ?? '');
    }
  }
  return table;
}

const tables = readdirSync(path.join(MODEL, 'tables')).map((f) => readTable(path.join(MODEL, 'tables', f)));
const tableNamed = (name: string) => tables.find((t) => t.name === name);

/** How each fact column type is loaded: Power Query type, then model data type. */
const LOADED_AS: Record<FactColumnType, [string, string]> = {
  text: ['type text', 'string'],
  // Fixed decimal: four decimals, exact for money in minor units (at most 3 decimals).
  amount: ['Currency.Type', 'decimal'],
  // Power BI has no decimal type with the 15 decimals an exact amount keeps (Fixed decimal rounds to 4, Decimal is binary): text.
  exact: ['type text', 'string'],
  integer: ['Int64.Type', 'int64'],
  boolean: ['type logical', 'boolean'],
};

describe('the Power BI project', () => {
  const ajv = schemaValidator();

  it.each(JSON_PARTS.map((f) => [path.relative(PROJECT, f)]))('%s validates against its published schema', (relative) => {
    const part = JSON.parse(readFileSync(path.join(PROJECT, relative), 'utf8'));
    expect(part.$schema).toMatch(/^https:\/\/developer\.microsoft\.com\/json-schemas\//);
    const validate = ajv.getSchema(part.$schema);
    expect(validate).toBeDefined();
    validate!(part);
    expect(validate!.errors ?? []).toEqual([]);
  });

  it('the schema check fails on a part that breaks its schema', () => {
    const page = JSON.parse(readFileSync(path.join(PROJECT, 'Chargeback.Report/definition/pages/statement/page.json'), 'utf8'));
    const validate = ajv.getSchema(page.$schema)!;
    expect(validate({ ...page, displayOption: 'Sideways' })).toBe(false);
    const { displayName: _dropped, ...withoutName } = page;
    expect(validate(withoutName)).toBe(false);
  });

  it('has a project file pointing at its report, and the report at its semantic model', () => {
    const pbip = JSON.parse(readFileSync(path.join(PROJECT, 'Chargeback.pbip'), 'utf8'));
    const report = pbip.artifacts[0].report.path;
    expect(existsSync(path.join(PROJECT, report, 'definition.pbir'))).toBe(true);
    const pbir = JSON.parse(readFileSync(path.join(PROJECT, report, 'definition.pbir'), 'utf8'));
    expect(existsSync(path.join(PROJECT, report, pbir.datasetReference.byPath.path, 'definition.pbism'))).toBe(true);
    expect(existsSync(path.join(MODEL, 'model.tmdl'))).toBe(true);
  });

  it('reads every fact table publish writes, column for column, with the types publish gives them', () => {
    for (const fact of FACT_TABLE_NAMES) {
      const table = tables.find((t) => t.factTable === fact);
      expect([fact, table !== undefined]).toEqual([fact, true]);
      const expected = FACT_TABLES[fact as FactTableName].map((c) => [c.name, LOADED_AS[c.type][1], LOADED_AS[c.type][0]]);
      const loaded = table!.columns.filter((c) => !c.calculated).map((c) => [c.sourceColumn, c.dataType, table!.mTypes[c.sourceColumn!]]);
      expect([fact, loaded]).toEqual([fact, expected]);
    }
  });

  it('converts types in a named culture, the one the fact files are written in (a full stop before the decimals)', () => {
    const conversions = tables.filter((t) => t.factTable).flatMap((t) => t.cultures.map((culture) => [t.name, culture]));
    expect(conversions.length).toBe(FACT_TABLE_NAMES.length);
    for (const [table, culture] of conversions) expect([table, culture]).toEqual([table, 'en-US']);
  });

  it('keeps the exact amounts exact: AmountExact and CollectedExact load as text, not a Fixed decimal', () => {
    expect(tableNamed('Allocation')!.columns.find((c) => c.name === 'AmountExact')!.dataType).toBe('string');
    expect(tableNamed('Pools')!.columns.find((c) => c.name === 'CollectedExact')!.dataType).toBe('string');
    expect(tableNamed('Allocation')!.mTypes.AmountExact).toBe('type text');
  });

  it('lists every table file in the model, and relates only columns that exist', () => {
    const model = readFileSync(path.join(MODEL, 'model.tmdl'), 'utf8');
    const referenced = [...model.matchAll(/^ref table (.+)$/gm)].map((m) => unquote(m[1])).sort();
    expect(referenced).toEqual(tables.map((t) => t.name).sort());
    const relationships = readFileSync(path.join(MODEL, 'relationships.tmdl'), 'utf8');
    const ends = [...relationships.matchAll(/^\t(?:from|to)Column: ('[^']+'|[^.]+)\.(.+)$/gm)].map((m) => [unquote(m[1]), m[2].trim()]);
    expect(ends.length).toBeGreaterThanOrEqual(20);
    for (const [table, column] of ends) expect([table, column, tableNamed(table)?.columns.some((c) => c.name === column)]).toEqual([table, column, true]);
  });

  it('has measures for charged, unallocated, budget and variance, and a cost center hierarchy', () => {
    expect(tableNamed('Statement')!.measures).toEqual(expect.arrayContaining(['Charged', 'Unallocated', 'Budget', 'Variance']));
    expect(tableNamed('Cost centers')!.levels).toEqual(['Level 1', 'Level 2', 'Level 3']);
    expect(tableNamed('Versions')!.columns.map((c) => c.name)).toContain('IsCurrent');
  });

  it('has pages for the month, the trend and the restatements, each visual bound to fields the model has', () => {
    const pagesFolder = path.join(PROJECT, 'Chargeback.Report', 'definition', 'pages');
    const order = JSON.parse(readFileSync(path.join(pagesFolder, 'pages.json'), 'utf8')).pageOrder;
    expect(order).toEqual(['statement', 'trend', 'restatements']);
    expect(readdirSync(pagesFolder).filter((f) => f !== 'pages.json').sort()).toEqual([...order].sort());
    const visuals = filesUnder(pagesFolder).filter((f) => f.endsWith('visual.json'));
    expect(visuals.length).toBeGreaterThanOrEqual(9);
    for (const file of visuals) {
      const text = readFileSync(file, 'utf8');
      for (const field of text.matchAll(/"(Column|Measure)": \{\s*"Expression": \{\s*"SourceRef": \{\s*"Entity": "([^"]+)"\s*\}\s*\},\s*"Property": "([^"]+)"/g)) {
        const [, kind, entity, property] = field;
        const table = tableNamed(entity);
        const found = kind === 'Measure' ? table?.measures.includes(property) : table?.columns.some((c) => c.name === property);
        expect([path.relative(pagesFolder, file), kind, entity, property, found]).toEqual([path.relative(pagesFolder, file), kind, entity, property, true]);
      }
    }
  });
});
