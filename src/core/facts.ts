/**
 * Tidy facts for reporting (Power BI, a warehouse, DuckDB): what each publish adds under `facts/`
 * on the share, one file per table, period and version. The tables and their columns are defined
 * here once; the Parquet and CSV writers, the Power BI model's check and the docs all read them.
 *
 * Amounts are decimal text ("1234.50", exact amounts with up to 15 decimals): exact in every
 * reader, whatever the currency's minor digits. A Parquet DECIMAL needs one scale per column while
 * the scale differs by currency (JPY 0, USD 2, BHD 3) and the allocation detail keeps 15 decimals,
 * and JavaScript readers decode DECIMAL to binary floating point. Power BI reads money as a Fixed
 * decimal number (four decimals, exact to the cent) and the exact amounts as text: it has no decimal
 * type with 15 decimals (see assets/powerbi).
 *
 * Every row carries its period, version, currency and approval. A published version is never
 * rewritten, so "current" cannot be stored on old rows: the newest version of a period is its
 * current one, and `versions` says which that is (the report's `IsCurrent`; docs/reporting.md
 * gives the SQL view).
 */
import { AllocationResult } from './allocate';
import { dimensionValue } from './costs';
import { formatExact, formatMinor, MinorUnits } from './money';
import { percentFigure } from './percent';
import { POOL_METHOD_RULES } from './pool-methods';
import { codeKey, hierarchyPath, Rules } from './rules';

/** `amount`: money rounded to the currency's minor units; `exact`: an exact amount, up to 15 decimals. */
export type FactColumnType = 'text' | 'integer' | 'amount' | 'exact' | 'boolean';
export type FactCell = string | number | boolean | null;

export interface FactColumn {
  name: string;
  type: FactColumnType;
}

const text = (name: string): FactColumn => ({ name, type: 'text' });
const amount = (name: string): FactColumn => ({ name, type: 'amount' });
const exact = (name: string): FactColumn => ({ name, type: 'exact' });
const integer = (name: string): FactColumn => ({ name, type: 'integer' });
const flag = (name: string): FactColumn => ({ name, type: 'boolean' });

/** Columns every fact table starts with: which period and version the row belongs to. */
const VERSION_COLUMNS = [text('Period'), integer('Version'), text('VersionKey')];
/** Columns every fact table ends with: the currency and the approval behind the figures. */
const APPROVAL_COLUMNS = [text('Currency'), text('ApprovedBy'), text('ApprovedAt')];

export const FACT_TABLES = {
  /** One row per cost center: the statement as published. */
  statement: [
    ...VERSION_COLUMNS,
    text('CostCenter'), text('Name'), text('Owner'), text('GLAccount'), text('Parent'), flag('Listed'), flag('IsUnallocated'),
    amount('Direct'), amount('Shared'), amount('Total'), amount('Budget'), amount('Variance'), text('Metric'),
    ...APPROVAL_COLUMNS,
  ],
  /** One row per cost center and pool: its direct cost (Kind Direct) and each pool share, adding up to its Total. */
  charges: [
    ...VERSION_COLUMNS,
    text('CostCenter'), text('Kind'), text('Pool'), text('Method'), amount('Amount'), amount('PoolTotal'), text('SharePercent'), text('Rule'),
    ...APPROVAL_COLUMNS,
  ],
  /** One row per shared pool: what it collected and how it was split. */
  pools: [
    ...VERSION_COLUMNS,
    text('Pool'), text('Method'), text('Basis'), amount('Amount'), exact('CollectedExact'), amount('RoundingDifference'), integer('Targets'), text('Rule'), text('Fallback'),
    ...APPROVAL_COLUMNS,
  ],
  /**
   * The allocation detail at grain: every cost line and pool share, exact (not rounded). `CostLine`
   * numbers the period's cost lines (the rows of one line share it) and `Grain` holds every column
   * the line was kept at, so no two rows of different lines read the same. Rows of Kind `To pool`
   * move a line into a shared pool: they are transfers, left out of sums (the `Pool share` rows
   * charge the same amount to the targets).
   */
  allocation: [
    ...VERSION_COLUMNS,
    text('Kind'), text('CostCenter'), text('Pool'), integer('CostLine'), text('ProviderName'), text('SubAccountName'), text('ServiceCategory'), text('ServiceName'),
    text('ChargeCategory'), text('CommitmentDiscountStatus'), text('Grain'), exact('AmountExact'), text('Rule'),
    ...APPROVAL_COLUMNS,
  ],
  /** The cost centers of the version, with the hierarchy they roll up in (Path: top|…|code). */
  costcenters: [
    ...VERSION_COLUMNS,
    text('CostCenter'), text('Name'), text('Owner'), text('GLAccount'), text('Parent'), text('Path'), integer('Depth'), amount('Budget'),
    ...APPROVAL_COLUMNS,
  ],
  /** One row per published version: what it supersedes and its totals. */
  versions: [
    ...VERSION_COLUMNS,
    integer('Supersedes'), text('Metric'), amount('SourceTotal'), amount('AllocatedTotal'), amount('Unallocated'), integer('CostCenters'),
    text('PublishedBy'), text('PublishedAt'), text('ContentDigest'),
    ...APPROVAL_COLUMNS,
  ],
} as const satisfies Record<string, readonly FactColumn[]>;

export type FactTableName = keyof typeof FACT_TABLES;
export const FACT_TABLE_NAMES = Object.keys(FACT_TABLES) as FactTableName[];
export const FACTS_FOLDER = 'facts/';

export interface FactContext {
  version: number;
  /** The version this one replaces, when the period was published before. */
  supersedes?: number;
  approval: { by: string; time: string; contentDigest: string };
  published: { by: string; time: string };
}

/** The key a version goes by in every table: `2026-10/v2`. */
export const versionKey = (period: string, version: number) => `${period}/v${version}`;

/**
 * Where a fact table's file for a period and version goes, each format in its own tree (so a Parquet
 * reader given a folder meets only Parquet): `facts/parquet/statement/period=2026-10/statement-2026-10-v1.parquet`,
 * `facts/csv/statement/period=2026-10/statement-2026-10-v1.csv`.
 */
export function factPath(table: FactTableName, period: string, version: number, extension: 'parquet' | 'csv'): string {
  return `${FACTS_FOLDER}${extension}/${table}/period=${period}/${table}-${period}-v${version}.${extension}`;
}

/** Every fact table's rows for one published version, in its columns' order. */
export function factRows(result: AllocationResult, rules: Rules, context: FactContext): Record<FactTableName, FactCell[][]> {
  return Object.fromEntries(FACT_TABLE_NAMES.map((table) => [table, [...factTableRows(table, result, rules, context)]])) as Record<FactTableName, FactCell[][]>;
}

/**
 * One fact table's rows. A publish makes the tables one at a time, and the allocation detail (a
 * row for every cost line and pool share) a row at a time as it is read, so its rows are never
 * all held at once.
 */
export function factTableRows(table: FactTableName, result: AllocationResult, rules: Rules, context: FactContext): Iterable<FactCell[]> {
  const m = (v: MinorUnits | undefined) => (v === undefined ? null : formatMinor(v, result.minorDigits));
  const head = [result.period, context.version, versionKey(result.period, context.version)];
  const tail = [result.currency, context.approval.by, context.approval.time];
  const listedOf = (code: string) => rules.costCenters.find((c) => codeKey(c.costCenter) === codeKey(code));

  switch (table) {
    case 'statement':
      return result.costCenters.map((c) => [
        ...head, c.costCenter, c.name, c.owner, c.glAccount, listedOf(c.costCenter)?.parent ?? '', c.listed, c.isUnallocated,
        m(c.direct), m(c.shared), m(c.total), m(c.budget), m(c.variance), result.metric, ...tail,
      ]);

    case 'charges': {
      const charges: FactCell[][] = [];
      for (const c of result.costCenters) {
        charges.push([...head, c.costCenter, 'Direct', '', '', m(c.direct), null, null, '', ...tail]);
        result.pools.forEach((pool, p) => {
          const at = pool.targets.indexOf(c.costCenter);
          if (at < 0) return;
          charges.push([...head, c.costCenter, 'Pool share', pool.pool, pool.method, m(c.shares[p]), m(pool.amount), sharePercent(pool.sharesExact[at], pool.amountExact), `${pool.source.table} row ${pool.source.row}`, ...tail]);
        });
      }
      return charges;
    }

    case 'pools':
      return result.pools.map((pool) => [
        ...head, pool.pool, pool.method, POOL_METHOD_RULES[pool.method].label, m(pool.amount), formatExact(pool.amountExact), m(pool.roundingDifference),
        pool.targets.length, `${pool.source.table} row ${pool.source.row}`, pool.fallback ?? '', ...tail,
      ]);

    case 'allocation':
      return (function* () {
        for (const entry of result.entries) {
          const line = entry.lineIndex === undefined ? undefined : result.lines[entry.lineIndex];
          const dimension = (name: string) => (line ? dimensionValue(line, name) : '');
          yield [
            ...head, entry.kind, entry.costCenter, entry.pool, entry.lineIndex === undefined ? null : entry.lineIndex + 1,
            dimension('ProviderName'), dimension('SubAccountName'), dimension('ServiceCategory'), dimension('ServiceName'),
            line?.chargeCategory ?? '', line?.commitmentDiscountStatus ?? '', line ? grainText(line.dimensions) : '', formatExact(entry.amountExact), entry.rule, ...tail,
          ];
        }
      })();

    case 'costcenters': {
      // The statement's codes, plus any parent that is only a parent, so every Path resolves.
      const codes = [...result.costCenters.map((c) => c.costCenter)];
      for (const center of rules.costCenters) if (!codes.some((code) => codeKey(code) === codeKey(center.costCenter))) codes.push(center.costCenter);
      return codes.map((code) => {
        const charge = result.costCenters.find((c) => c.costCenter === code);
        const listed = listedOf(code);
        const path = hierarchyPath(rules.costCenters, listed?.costCenter ?? code);
        return [...head, code, charge?.name ?? listed?.name ?? '', listed?.owner ?? '', listed?.glAccount ?? '', listed?.parent ?? '', path.join('|'), path.length, m(charge?.budget), ...tail];
      });
    }

    case 'versions':
      return [[
        ...head, context.supersedes ?? null, result.metric, m(result.sourceTotal), m(result.allocatedTotal), m(result.unallocated), result.costCenters.length,
        context.published.by, context.published.time, context.approval.contentDigest, ...tail,
      ]];
  }
}

/**
 * A share of a pool as a percent to four decimals, rounded half away from zero ("26.6667", so the
 * shares of a pool add up to 100 within the last digit); empty for an empty pool.
 */
export function sharePercent(part: bigint, whole: bigint): string {
  return whole === 0n ? '' : percentFigure(part, whole, 4);
}

/** A line's grain as one JSON object with its columns in name order: `{"RegionId":"westeurope","SubAccountName":"pay-prod"}`. */
function grainText(dimensions: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.fromEntries(Object.keys(dimensions).sort().map((name) => [name, dimensions[name]])));
}
