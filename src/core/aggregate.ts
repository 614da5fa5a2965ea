/**
 * Summing FOCUS rows into cost lines at allocation grain. Memory grows with the number of
 * distinct cost lines, not with rows; amounts stay exact (small ones summed as float64 integers
 * while exact, the rest as bigint). Fed row by row (CSV) or column chunk by column chunk (Parquet).
 */
import { CostLine } from './costs';
import { currencyProblem } from './currency';
import { NO_TAGS, REQUIRED_COLUMNS, billingPeriodOf, cellText, parseTags, tagsFromObject, TagValues, tagValue } from './focus';
import { costLineOf, GrainKey, grainKeys } from './grain';
import { IngestError, missingColumnsMessage, quotedForMessage } from './ingest-error';
import { AmountColumn, KeyColumn } from './parquet-columns';
import { rowCombinations, TupleTable } from './row-combinations';
import { addFine, amountDigitsProblem, ExactAmount, FineAmount, fineToExact, parseSmall, SMALL_TO_EXACT, smallFromNumber, toDecimal } from './money';

const SEPARATOR = '\u001f';

interface Group {
  line: CostLine;
  /**
   * Amounts not yet in `line`, as integer counts of 10^-10 (see parseSmall): plain float64
   * additions, exact while under SMALL_PENDING_LIMIT, moved into the bigint totals when the
   * next addition could pass it and when the lines are read.
   */
  billedSmall: number;
  effectiveSmall: number;
  /** Cells with digits past the 15th decimal, summed as they are and rounded once when the lines are read. */
  billedFine?: FineAmount;
  effectiveFine?: FineAmount;
}

/** |pending| ≤ 2^52 and |amount| < 10^15 < 2^50, so every pending sum is exact (< 2^53). */
const SMALL_PENDING_LIMIT = 2 ** 52;

/** An amount of one cell: a small integer count of 10^-10 when it fits, else exact, else fine (past 15 decimals). */
type CellAmount = number | bigint | FineAmount;

/**
 * A copy of a string that does not keep the text it was cut from alive: strings cut out of a
 * chunk of CSV text by slice() refer to the whole chunk, so keeping one would keep the chunk.
 */
function detach(text: string): string {
  return text.length < 13 ? text : (' ' + text).slice(1);
}

/** One group's sums from one reader (partialSums): exact, plain data (crosses to a worker and back). */
export interface PartialGroup {
  key: string;
  billed: ExactAmount;
  effective: ExactAmount;
  billedFine?: FineAmount;
  effectiveFine?: FineAmount;
  rows: number;
}

/** The cells of one row, as read from the file. */
export type RowReader = (cells: ArrayLike<unknown>, row: number) => void;

/** Sums FOCUS rows into cost lines. One per ingest; fed file by file. */
export class CostAggregator {
  private groups = new Map<string, Group>();
  private tagCache = new Map<string, TagValues>();
  private periodCache = new Map<string, string>();
  private datePeriodCache = new Map<number, string>();
  rowsRead = 0;
  /** The grain (grain.ts): a group key's values, in order. Worked out once here, not per group or file. */
  private readonly keys: readonly GrainKey[];
  /** The column dimensions and the tag keys (as the rules spell them), in that order in a group key after its first four values. */
  private readonly plainDimensions: readonly string[];
  private readonly tagKeys: readonly string[];

  /**
   * `optional`: dimensions a file may lack (read as empty), the ones kept only to show where money
   * came from; a dimension a rule names is required.
   */
  constructor(readonly dimensions: readonly string[], readonly optional: readonly string[] = []) {
    this.keys = grainKeys(dimensions);
    const dimensionKeys = this.keys.slice(4);
    this.plainDimensions = dimensionKeys.flatMap((k) => (k.kind === 'column' ? [k.column] : []));
    this.tagKeys = dimensionKeys.flatMap((k) => (k.kind === 'tag' ? [k.ruleKey] : []));
  }

  /** Where the columns allocation needs are in one file's header; reports the missing ones. */
  private layoutOf(file: string, header: readonly string[]) {
    const index = (column: string) => header.findIndex((h) => h.trim() === column);
    const missing = REQUIRED_COLUMNS.filter((c) => index(c) < 0);
    const { plainDimensions, tagKeys } = this;
    // a dimension column by its exact name, else ignoring case; -1 when the header has neither
    const dimensionIndex = plainDimensions.map((d) => {
      const exact = index(d);
      return exact >= 0 ? exact : header.findIndex((h) => h.trim().toLowerCase() === d.toLowerCase());
    });
    const optional = new Set([...this.optional, ...this.keys.flatMap((k) => (k.kind === 'column' && !k.required ? [k.column] : []))].map((d) => d.toLowerCase()));
    for (let i = 0; i < plainDimensions.length; i++) if (dimensionIndex[i] < 0 && !optional.has(plainDimensions[i].toLowerCase())) missing.push(plainDimensions[i] as never);
    if (tagKeys.length > 0 && index('Tags') < 0) missing.push('Tags' as never);
    if (missing.length > 0) {
      throw new IngestError(file, 1, undefined, missingColumnsMessage(missing, header));
    }
    return {
      billed: index('BilledCost'),
      effective: index('EffectiveCost'),
      currency: index('BillingCurrency'),
      period: index('BillingPeriodStart'),
      category: index('ChargeCategory'),
      status: index('CommitmentDiscountStatus'),
      tags: index('Tags'),
      dimensionIndex,
      tagKeys,
    };
  }

  /** The group of a key (the grain values joined by SEPARATOR), created when new. */
  private groupOf(key: string): Group {
    let group = this.groups.get(key);
    if (!group) {
      // The values are taken from the key (a new string), not from the row's cells (cut from the file's text).
      group = {
        line: costLineOf(this.keys, key.split(SEPARATOR), 0n, 0n, 0),
        billedSmall: 0,
        effectiveSmall: 0,
      };
      this.groups.set(key, group);
    }
    return group;
  }

  /** Prepares for one file's header; returns the function that takes each of its rows. */
  beginFile(file: string, header: readonly string[]): RowReader {
    const { billed, effective, currency, period, category, status, tags, dimensionIndex, tagKeys } = this.layoutOf(file, header);
    const keyParts: string[] = new Array(4 + this.dimensions.length);

    const onRow: RowReader = (cells, row) => {
      this.rowsRead++;
      const billingPeriod = this.periodOf(cells[period], file, row);
      const billingCurrency = this.currencyOf(cells[currency], file, row);
      const billedCost = this.amountOf(cells[billed], file, row, 'BilledCost');
      const effectiveCost = this.amountOf(cells[effective], file, row, 'EffectiveCost');
      keyParts[0] = billingPeriod;
      keyParts[1] = billingCurrency;
      keyParts[2] = cellText(cells[category]);
      keyParts[3] = status < 0 ? '' : cellText(cells[status]);
      let k = 4;
      for (const i of dimensionIndex) keyParts[k++] = cellText(cells[i]);
      if (tagKeys.length > 0) {
        const rowTags = this.tagsOf(cells[tags], file, row);
        for (const key of tagKeys) keyParts[k++] = tagValue(rowTags, key);
      }
      const group = this.groupOf(keyParts.join(SEPARATOR));
      group.line.sourceRows++;
      this.addAmounts(group, billedCost, effectiveCost);
    };
    return onRow;
  }

  /**
   * Prepares for one columnar file (Parquet): returns the header indices of the key columns it
   * reads, and the function that takes one batch of rows, given column by column (see
   * parquet-columns.ts). Each distinct value of a key column is worked out once per batch, and a
   * row's group is found by the tuple of its values' ids, with no per-row strings.
   */
  beginColumnarFile(file: string, header: readonly string[]) {
    const layout = this.layoutOf(file, header);
    const { tagKeys } = layout;
    const { plainDimensions } = this;
    // A group key is the four fixed values and one per dimension, the same for every file.
    const width = 4 + this.dimensions.length;
    const tuples = (this.tuples ??= new TupleTable<Group>(width));
    // the key columns read, the first position each fills in the tuple, and how it reads a value into parts
    type Part = (value: unknown, row: number, out: Int32Array, at: number) => void;
    const text: Part = (value, _row, out, at) => (out[at] = this.partId(cellText(value)));
    const keys: { column: number; at: number; parts: number; read: Part }[] = [
      { column: layout.period, at: 0, parts: 1, read: (value, row, out, at) => (out[at] = this.partId(this.periodOf(value, file, row))) },
      { column: layout.currency, at: 1, parts: 1, read: (value, row, out, at) => (out[at] = this.partId(this.currencyOf(value, file, row))) },
      { column: layout.category, at: 2, parts: 1, read: text },
      // an optional dimension the file lacks is left empty (below), not read
      ...layout.dimensionIndex.flatMap((column, i) => (column < 0 ? [] : [{ column, at: 4 + i, parts: 1, read: text }])),
    ];
    const absent = layout.dimensionIndex.flatMap((column, i) => (column < 0 ? [4 + i] : []));
    if (layout.status >= 0) keys.push({ column: layout.status, at: 3, parts: 1, read: text });
    if (tagKeys.length > 0) {
      keys.push({
        column: layout.tags,
        at: 4 + plainDimensions.length,
        parts: tagKeys.length,
        read: (value, row, out, at) => {
          const rowTags = this.tagsOf(value, file, row);
          for (let t = 0; t < tagKeys.length; t++) out[at + t] = this.partId(tagValue(rowTags, tagKeys[t]));
        },
      });
    }
    const empty = this.partId('');

    /**
     * Sums `rowCount` rows (file rows firstRow, firstRow + 1, …): `columns[k]` is the key column keyColumns[k].
     * Rows are grouped by the codes of their key columns first (row-combinations.ts); a combination's
     * values and group are worked out once, at its first row, so a bad value is reported at the first
     * row that has it, as a row-by-row reading would.
     */
    const addRows = (columns: readonly KeyColumn[], billed: AmountColumn, effective: AmountColumn, rowCount: number, firstRow: number) => {
      const { ids, count, firstRows } = rowCombinations(
        columns.map((column) => ({ codes: column.codes, cardinality: column.values.length + 1 })),
        rowCount,
      );
      // A cell that is not a number fails at its row, unless a key value fails at that row or before.
      const amountFailure = this.firstAmountFailure(billed, effective, file, firstRow);
      const tuple = new Int32Array(width);
      if (layout.status < 0) tuple[3] = empty;
      for (const at of absent) tuple[at] = empty;
      // per key column: the parts of each distinct value (its code; the last slot is null), -1 until first seen
      const partsOf = keys.map((key, k) => new Int32Array((columns[k].values.length + 1) * key.parts).fill(-1));
      const groupOfCombination: Group[] = new Array(count);
      for (let c = 0; c < count; c++) {
        const r = firstRows[c];
        if (amountFailure && amountFailure.index < r) throw amountFailure.error;
        for (let k = 0; k < keys.length; k++) {
          const key = keys[k];
          const column = columns[k];
          const code = column.codes[r];
          const slot = (code < 0 ? column.values.length : code) * key.parts;
          const parts = partsOf[k];
          if (parts[slot] < 0) key.read(code < 0 ? null : column.values[code], firstRow + r, parts, slot);
          for (let p = 0; p < key.parts; p++) tuple[key.at + p] = parts[slot + p];
        }
        let group = tuples.get(tuple);
        if (!group) {
          const parts: string[] = new Array(width);
          for (let p = 0; p < width; p++) parts[p] = this.partStrings[tuple[p]];
          group = this.groupOf(parts.join(SEPARATOR));
          tuples.set(tuple, group);
        }
        groupOfCombination[c] = group;
      }
      if (amountFailure) throw amountFailure.error;
      this.sumCombinations(groupOfCombination, ids, billed, effective, rowCount, file, firstRow);
      this.rowsRead += rowCount;
    };
    return { keyColumns: keys.map((k) => k.column), billed: layout.billed, effective: layout.effective, addRows };
  }

  private partIds = new Map<string, number>();
  private partStrings: string[] = [];
  private tuples: TupleTable<Group> | undefined;

  /** A small integer for a grain value (a part of a group key), the same for equal strings. */
  private partId(value: string): number {
    let id = this.partIds.get(value);
    if (id === undefined) {
      id = this.partStrings.length;
      const copy = detach(value);
      this.partStrings.push(copy);
      this.partIds.set(copy, id);
    }
    return id;
  }

  // The billed and effective halves are the same pending-sum logic written out twice on purpose:
  // this runs once per row (or combination), and a shared per-metric sum object measured slower.
  /** Adds amounts to a group; a number is a count of 10^-10 of at most 2^52 in magnitude (a cell, or a pending sum). */
  private addAmounts(group: Group, billedCost: CellAmount, effectiveCost: CellAmount): void {
    if (typeof billedCost === 'number') {
      const sum = group.billedSmall + billedCost;
      if (sum > SMALL_PENDING_LIMIT || sum < -SMALL_PENDING_LIMIT) {
        group.line.billedCost += BigInt(group.billedSmall) * SMALL_TO_EXACT;
        group.billedSmall = billedCost;
      } else group.billedSmall = sum;
    } else if (typeof billedCost === 'bigint') group.line.billedCost += billedCost;
    else group.billedFine = addFine(group.billedFine, billedCost);
    if (typeof effectiveCost === 'number') {
      const sum = group.effectiveSmall + effectiveCost;
      if (sum > SMALL_PENDING_LIMIT || sum < -SMALL_PENDING_LIMIT) {
        group.line.effectiveCost += BigInt(group.effectiveSmall) * SMALL_TO_EXACT;
        group.effectiveSmall = effectiveCost;
      } else group.effectiveSmall = sum;
    } else if (typeof effectiveCost === 'bigint') group.line.effectiveCost += effectiveCost;
    else group.effectiveFine = addFine(group.effectiveFine, effectiveCost);
  }

  /**
   * Sums a batch's amounts into the groups of its combinations: small counts per combination in
   * float64 (exact while |sum| ≤ 2^52, handed to the group before passing it), the rest one by one.
   */
  private sumCombinations(groups: readonly Group[], ids: Int32Array, billed: AmountColumn, effective: AmountColumn, rowCount: number, file: string, firstRow: number): void {
    const count = groups.length;
    const billedSums = new Float64Array(count);
    const effectiveSums = new Float64Array(count);
    const rows = new Int32Array(count);
    const billedSmall = billed.small;
    const effectiveSmall = effective.small;
    for (let r = 0; r < rowCount; r++) {
      const c = ids[r];
      rows[c]++;
      const b = billedSmall[r];
      if (b === b) {
        const sum = billedSums[c] + b;
        if (sum > SMALL_PENDING_LIMIT || sum < -SMALL_PENDING_LIMIT) {
          this.addAmounts(groups[c], billedSums[c], 0);
          billedSums[c] = b;
        } else billedSums[c] = sum;
      } else this.addAmounts(groups[c], billed.exact.get(r) ?? this.amountOf(billed.raw.get(r), file, firstRow + r, 'BilledCost'), 0);
      const e = effectiveSmall[r];
      if (e === e) {
        const sum = effectiveSums[c] + e;
        if (sum > SMALL_PENDING_LIMIT || sum < -SMALL_PENDING_LIMIT) {
          this.addAmounts(groups[c], 0, effectiveSums[c]);
          effectiveSums[c] = e;
        } else effectiveSums[c] = sum;
      } else this.addAmounts(groups[c], 0, effective.exact.get(r) ?? this.amountOf(effective.raw.get(r), file, firstRow + r, 'EffectiveCost'));
    }
    for (let c = 0; c < count; c++) {
      this.addAmounts(groups[c], billedSums[c], effectiveSums[c]);
      groups[c].line.sourceRows += rows[c];
    }
  }

  /** The first cell of a batch (by row; BilledCost before EffectiveCost) that is not a number, with its error. */
  private firstAmountFailure(billed: AmountColumn, effective: AmountColumn, file: string, firstRow: number): { index: number; error: unknown } | undefined {
    let failure: { index: number; error: unknown } | undefined;
    for (const [amounts, column] of [
      [billed, 'BilledCost'],
      [effective, 'EffectiveCost'],
    ] as const) {
      for (const [r, value] of amounts.raw) {
        if ((failure && failure.index <= r) || amounts.exact.has(r)) continue;
        try {
          this.amountOf(value, file, firstRow + r, column);
        } catch (error) {
          failure = { index: r, error };
        }
      }
      for (const [r, amount] of amounts.exact) {
        if (failure && failure.index <= r) continue;
        const problem = amountDigitsProblem(amount);
        if (problem) failure = { index: r, error: new IngestError(file, firstRow + r, column, `${column} ${problem}`) };
      }
    }
    return failure;
  }

  /**
   * The groups summed so far, unrounded (digits past the 15th decimal kept): what one reader of a
   * part of a file hands back, for mergePartialSums to add exactly into the whole.
   */
  partialSums(): PartialGroup[] {
    return [...this.groups.entries()].map(([key, g]) => ({
      key,
      billed: g.line.billedCost + BigInt(g.billedSmall) * SMALL_TO_EXACT,
      effective: g.line.effectiveCost + BigInt(g.effectiveSmall) * SMALL_TO_EXACT,
      billedFine: g.billedFine,
      effectiveFine: g.effectiveFine,
      rows: g.line.sourceRows,
    }));
  }

  /** Adds another reader's partialSums: the same lines as if this aggregator had read its rows. */
  mergePartialSums(partial: readonly PartialGroup[], rowsRead: number): void {
    for (const p of partial) {
      const group = this.groupOf(p.key);
      group.line.billedCost += p.billed;
      group.line.effectiveCost += p.effective;
      if (p.billedFine) group.billedFine = addFine(group.billedFine, p.billedFine);
      if (p.effectiveFine) group.effectiveFine = addFine(group.effectiveFine, p.effectiveFine);
      group.line.sourceRows += p.rows;
    }
    this.rowsRead += rowsRead;
  }

  /** The cost lines so far, in a stable order (by their grain values), whatever the row order was. */
  lines(): CostLine[] {
    for (const group of this.groups.values()) {
      group.line.billedCost += BigInt(group.billedSmall) * SMALL_TO_EXACT;
      group.line.effectiveCost += BigInt(group.effectiveSmall) * SMALL_TO_EXACT;
      group.billedSmall = 0;
      group.effectiveSmall = 0;
      if (group.billedFine) group.line.billedCost += fineToExact(group.billedFine);
      if (group.effectiveFine) group.line.effectiveCost += fineToExact(group.effectiveFine);
      group.billedFine = group.effectiveFine = undefined;
    }
    return [...this.groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g.line);
  }

  private amountOf(value: unknown, file: string, row: number, column: string): CellAmount {
    const small = typeof value === 'string' ? parseSmall(value) : typeof value === 'number' ? smallFromNumber(value) : undefined;
    if (small !== undefined) return small;
    const amount: ExactAmount | FineAmount | undefined = toDecimal(value);
    if (amount === undefined) {
      throw new IngestError(file, row, column, `${quotedForMessage(cellText(value))} is not a number`);
    }
    const problem = amountDigitsProblem(amount);
    if (problem) throw new IngestError(file, row, column, `${column} ${problem}`);
    return amount;
  }

  /** A row's BillingCurrency, which must be an ISO 4217 code. */
  private currencyOf(value: unknown, file: string, row: number): string {
    const currency = cellText(value);
    if (currency === '') throw new IngestError(file, row, 'BillingCurrency', 'BillingCurrency is empty');
    const problem = currencyProblem(currency);
    if (problem) throw new IngestError(file, row, 'BillingCurrency', problem);
    return currency;
  }

  private periodOf(value: unknown, file: string, row: number): string {
    if (value instanceof Date) {
      const time = value.getTime();
      let period = this.datePeriodCache.get(time);
      if (period === undefined) {
        period = billingPeriodOf(value);
        if (!period) throw new IngestError(file, row, 'BillingPeriodStart', `${quotedForMessage(cellText(value))} is not a date`);
        this.datePeriodCache.set(time, period);
      }
      return period;
    }
    const raw = cellText(value);
    let period = this.periodCache.get(raw);
    if (period === undefined) {
      period = billingPeriodOf(value);
      if (!period) throw new IngestError(file, row, 'BillingPeriodStart', `${quotedForMessage(raw)} is not a valid date (ISO 8601, e.g. 2026-10-01T00:00:00Z)`);
      if (this.periodCache.size > 10_000) this.periodCache.clear();
      this.periodCache.set(detach(raw), period);
    }
    return period;
  }

  private tagsOf(value: unknown, file: string, row: number): TagValues {
    if (value && typeof value === 'object') return tagsFromObject(value as Record<string, unknown>);
    const raw = cellText(value);
    if (raw === '') return NO_TAGS;
    let parsed = this.tagCache.get(raw);
    if (parsed) return parsed;
    const read = parseTags(raw);
    if ('problem' in read) {
      throw new IngestError(file, row, 'Tags', `Tags is ${read.problem}: ${raw.length > 80 ? raw.slice(0, 80) + '…' : raw}`);
    }
    parsed = read as TagValues;
    if (this.tagCache.size > 200_000) this.tagCache.clear();
    this.tagCache.set(detach(raw), parsed);
    return parsed;
  }
}
