/**
 * The grain query in KQL for a FinOps hub (Azure Data Explorer or Microsoft Fabric Real-Time
 * Intelligence), derived from the grain (grain.ts). Everything a user types (the period, tag
 * keys) is a query parameter (`declare query_parameters`), never pasted into the text; column
 * names are checked FOCUS identifiers. Costs are summed with todecimal() (never a `real`
 * accumulator) and returned as text. The hub stores costs as `real`, so a hub is exactly as exact as
 * its stored doubles; their sum is exact.
 */
import { AMBIGUOUS_TAG, TRIMMED_SPACE_CLASS } from './focus';
import { GRAIN_MEASURES, GrainKey, grainKeys, periodBounds } from './grain';

/** The hub's cost functions, newest first: `Costs_v1_2()` since FinOps hubs v0.7 (v12 schema), `Costs()` the alias of the latest. */
export const HUB_COST_FUNCTIONS = ['Costs_v1_2', 'Costs'] as const;
export type HubCostFunction = (typeof HUB_COST_FUNCTIONS)[number];

export const KQL_RESULT = { billed: 'billed', effective: 'effective', rows: 'source_rows', missing: 'missing_amounts' } as const;

/** A column name the query may name: a FOCUS or `x_` identifier, nothing else. */
export function kqlColumn(column: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(column)) throw new Error(`"${column}" is not a FOCUS column name`);
  return `['${column}']`;
}

/** A checked column name as a KQL string literal (column_ifexists takes the name as text). */
const kqlString = (column: string) => `'${kqlColumn(column).slice(2, -2)}'`;

export interface KqlQuery {
  text: string;
  /** Parameter values by name, as text in KQL literal form for their declared types. */
  parameters: Record<string, string>;
  /** Declared parameter types, in declaration order. */
  parameterTypes: Record<string, 'datetime' | 'string'>;
}

/**
 * The grain query over one billing period: one row per cost line (k0…kN in grainKeys order),
 * exact sums as text, the row count, and how many rows have no cost (the engine refuses those).
 */
export function grainKql(costFunction: HubCostFunction, dimensions: readonly string[], period: string, optionalDimensions: readonly string[] = []): KqlQuery {
  const keys = grainKeys(dimensions, optionalDimensions);
  const { start, end } = periodBounds(period);
  const parameterTypes: KqlQuery['parameterTypes'] = { periodStart: 'datetime', periodEnd: 'datetime' };
  const parameters: Record<string, string> = { periodStart: start, periodEnd: end };
  const tagKeys = keys.flatMap((k) => (k.kind === 'tag' ? [k] : []));
  tagKeys.forEach((key, i) => {
    parameterTypes[`tagKey${i}`] = 'string';
    parameters[`tagKey${i}`] = key.ruleKey;
    parameterTypes[`tagFolded${i}`] = 'string';
    parameters[`tagFolded${i}`] = key.tagKey;
  });
  // focus.ts tagValue: the key spelled as the rule names it wins, else the one value of the keys equal to it trimmed and ignoring case
  const tagValue = (i: number) =>
    `iff(TagExact${i} > 0, TagExactValue${i}, iff(array_length(TagFolded${i}) == 0, '', iff(array_length(TagFolded${i}) == 1, tostring(TagFolded${i}[0]), '${AMBIGUOUS_TAG}')))`;
  const tagSummaries = tagKeys.flatMap((_, i) => [
    `TagExact${i} = countif(TagKey == tagKey${i})`,
    `TagExactValue${i} = take_anyif(TagValue, TagKey == tagKey${i})`,
    `TagFolded${i} = make_set_if(TagValue, tolower(trim(@"${TRIMMED_SPACE_CLASS}+", TagKey)) == tagFolded${i})`,
  ]);
  const expression = (key: GrainKey, i: number): string => {
    if (key.kind === 'period') return `format_datetime(${kqlColumn(key.column)}, 'yyyy-MM')`;
    if (key.kind === 'tag') return tagValue(tagKeys.indexOf(key));
    // a key the data may lack (a dimension no rule names, the provider's exchange rate) reads as '' where the function has no such column
    return key.required ? `tostring(${kqlColumn(key.column)})` : `tostring(column_ifexists(${kqlString(key.column)}, ''))`;
  };
  const names = keys.map((_, i) => `k${i}`);
  const [billed, effective] = GRAIN_MEASURES.map((m) => kqlColumn(m.column));
  const declare = Object.entries(parameterTypes)
    .map(([name, type]) => `${name}:${type}`)
    .join(', ');
  const lines = [
    `declare query_parameters(${declare});`,
    `${costFunction}()`,
    `| where ${kqlColumn('BillingPeriodStart')} >= periodStart and ${kqlColumn('BillingPeriodStart')} < periodEnd`,
    // Each row's tags one by one: the value under the rule's spelling, and the values under keys equal to it regardless of case.
    ...(tagKeys.length > 0
      ? [
          `| mv-apply Tag = ${kqlColumn('Tags')} on (extend TagKey = tostring(bag_keys(Tag)[0]) | extend TagText = tostring(Tag[TagKey]) | extend TagValue = iff(TagText in ('null', 'NULL'), '', TagText) ` +
            `| summarize ${tagSummaries.join(', ')})`,
        ]
      : []),
    `| extend ${keys.map((k, i) => `${names[i]} = ${expression(k, i)}`).join(', ')}`,
    `| summarize ${KQL_RESULT.billed} = sum(todecimal(${billed})), ${KQL_RESULT.effective} = sum(todecimal(${effective})), ${KQL_RESULT.rows} = count(), ` +
      `${KQL_RESULT.missing} = countif(isnull(${billed}) or isnull(${effective})) by ${names.join(', ')}`,
    `| project ${names.join(', ')}, ${KQL_RESULT.billed} = tostring(${KQL_RESULT.billed}), ${KQL_RESULT.effective} = tostring(${KQL_RESULT.effective}), ${KQL_RESULT.rows}, ${KQL_RESULT.missing}`,
  ];
  return { text: lines.join('\n'), parameters, parameterTypes };
}

/** The billing periods a hub holds, newest first: fills a period picker, and `sources test` says what is there. */
export function periodsKql(costFunction: HubCostFunction): KqlQuery {
  return {
    text: `${costFunction}()\n| summarize ${KQL_RESULT.rows} = count() by BillingPeriod = format_datetime(${kqlColumn('BillingPeriodStart')}, 'yyyy-MM')\n| order by BillingPeriod desc`,
    parameters: {},
    parameterTypes: {},
  };
}
