/**
 * Summing FOCUS rows into cost lines at allocation grain. Memory grows with the number of
 * distinct cost lines, not with rows; amounts stay exact (small ones summed as float64 integers
 * while exact, the rest as bigint). Fed row by row (CSV) or column chunk by column chunk (Parquet).
 */
import { CostLine } from './costs';
import { currencyProblem } from './currency';
import { AMBIGUOUS_TAG, ambiguousTagProblem, REQUIRED_COLUMNS, billingPeriodOf, cellText, parseTags, tagKey, tagsFromObject, TagValues, tagValue } from './focus';
import { costLineOf, GrainKey, grainKeys } from './grain';
import { IngestError, missingColumnsMessage, quotedForMessage } from './ingest-error';
import { AmountColumn, KeyColumn } from './parquet-columns';
import { addFine, ExactAmount, FineAmount, fineToExact, parseSmall, SMALL_TO_EXACT, smallFromNumber, toDecimal } from './money';

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

/** The cells of one row, as read from the file. */
export type RowReader = (cells: ArrayLike<unknown>, row: number) => void;

/** Groups by a fixed-width tuple of value ids: open addressing over Int32Arrays, no per-row allocation. */
class TupleTable {
  private keys: Int32Array;
  private slots: Int32Array; // index + 1 into groups; 0 is empty
  private groups: Group[] = [];
  private mask: number;

  constructor(readonly width: number, capacity = 1024) {
    this.mask = capacity - 1;
    this.keys = new Int32Array(capacity * width);
    this.slots = new Int32Array(capacity);
  }

  private hash(tuple: Int32Array): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < this.width; i++) h = Math.imul(h ^ tuple[i], 0x01000193);
    return (h ^ (h >>> 15)) & this.mask;
  }

  private find(tuple: Int32Array): number {
    const { width, keys, slots, mask } = this;
    let slot = this.hash(tuple);
    for (;;) {
      const entry = slots[slot];
      if (entry === 0) return slot;
      const base = (entry - 1) * width;
      let i = 0;
      while (i < width && keys[base + i] === tuple[i]) i++;
      if (i === width) return slot;
      slot = (slot + 1) & mask;
    }
  }

  get(tuple: Int32Array): Group | undefined {
    const entry = this.slots[this.find(tuple)];
    return entry === 0 ? undefined : this.groups[entry - 1];
  }

  set(tuple: Int32Array, group: Group): void {
    const index = this.groups.length;
    if ((index + 1) * 2 > this.slots.length) this.grow();
    this.groups.push(group);
    if (this.keys.length < (index + 1) * this.width) {
      const keys = new Int32Array(this.keys.length * 2);
      keys.set(this.keys);
      this.keys = keys;
    }
    this.keys.set(tuple, index * this.width);
    this.slots[this.find(tuple)] = index + 1;
  }

  private grow(): void {
    const capacity = this.slots.length * 2;
    this.slots = new Int32Array(capacity);
    this.mask = capacity - 1;
    const tuple = new Int32Array(this.width);
    for (let g = 0; g < this.groups.length; g++) {
      for (let i = 0; i < this.width; i++) tuple[i] = this.keys[g * this.width + i];
      this.slots[this.find(tuple)] = g + 1;
    }
  }
}

/** Sums FOCUS rows into cost lines. One per ingest; fed file by file. */
export class CostAggregator {
  private groups = new Map<string, Group>();
  private tagCache = new Map<string, TagValues>();
  private periodCache = new Map<string, string>();
  private datePeriodCache = new Map<number, string>();
  rowsRead = 0;
  /** The grain (grain.ts): a group key's values, in order. Worked out once here, not per group or file. */
  private readonly keys: readonly GrainKey[];
  /** The column dimensions and the tag keys, in that order in a group key after its first four values. */
  private readonly plainDimensions: readonly string[];
  private readonly tagKeys: readonly string[];

  /**
   * `optional`: dimensions a file may lack (read as empty), the ones kept only to show where money
   * came from; a dimension a rule names is required.
   */
  constructor(readonly dimensions: readonly string[], private readonly optional: readonly string[] = []) {
    this.keys = grainKeys(dimensions);
    const dimensionKeys = this.keys.slice(4);
    this.plainDimensions = dimensionKeys.flatMap((k) => (k.kind === 'column' ? [k.column] : []));
    this.tagKeys = dimensionKeys.flatMap((k) => (k.kind === 'tag' ? [k.tagKey] : []));
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
        for (const key of tagKeys) keyParts[k++] = this.tagOf(rowTags, key, file, row);
      }
      const group = this.groupOf(keyParts.join(SEPARATOR));
      this.add(group, billedCost, effectiveCost);
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
    const tuples = (this.tuples ??= new TupleTable(width));
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
          for (let t = 0; t < tagKeys.length; t++) out[at + t] = this.partId(this.tagOf(rowTags, tagKeys[t], file, row));
        },
      });
    }
    const empty = this.partId('');

    /** Sums `rowCount` rows (file rows firstRow, firstRow + 1, …): `columns[k]` is the key column keyColumns[k]. */
    const addRows = (columns: readonly KeyColumn[], billed: AmountColumn, effective: AmountColumn, rowCount: number, firstRow: number) => {
      const tuple = new Int32Array(width);
      if (layout.status < 0) tuple[3] = empty;
      for (const at of absent) tuple[at] = empty;
      // per key column: the parts of each distinct value (its code; the last slot is null), -1 until first seen
      const partsOf = keys.map((key, k) => new Int32Array((columns[k].values.length + 1) * key.parts).fill(-1));
      const keyCount = keys.length;
      for (let r = 0; r < rowCount; r++) {
        const row = firstRow + r;
        for (let k = 0; k < keyCount; k++) {
          const key = keys[k];
          const column = columns[k];
          const code = column.codes[r];
          const slot = (code < 0 ? column.values.length : code) * key.parts;
          const parts = partsOf[k];
          if (parts[slot] < 0) key.read(code < 0 ? null : column.values[code], row, parts, slot);
          if (key.parts === 1) tuple[key.at] = parts[slot];
          else for (let p = 0; p < key.parts; p++) tuple[key.at + p] = parts[slot + p];
        }
        let billedCost: CellAmount = billed.small[r];
        if (billedCost !== billedCost) billedCost = billed.exact.get(r) ?? this.amountOf(billed.raw.get(r), file, row, 'BilledCost');
        let effectiveCost: CellAmount = effective.small[r];
        if (effectiveCost !== effectiveCost) effectiveCost = effective.exact.get(r) ?? this.amountOf(effective.raw.get(r), file, row, 'EffectiveCost');
        let group = tuples.get(tuple);
        if (!group) {
          const parts: string[] = new Array(width);
          for (let p = 0; p < width; p++) parts[p] = this.partStrings[tuple[p]];
          group = this.groupOf(parts.join(SEPARATOR));
          tuples.set(tuple, group);
        }
        this.add(group, billedCost, effectiveCost);
      }
      this.rowsRead += rowCount;
    };
    return { keyColumns: keys.map((k) => k.column), billed: layout.billed, effective: layout.effective, addRows };
  }

  private partIds = new Map<string, number>();
  private partStrings: string[] = [];
  private tuples: TupleTable | undefined;

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
  // this runs once per row, and a shared per-metric sum object measured slower (Parquet ingest).
  private add(group: Group, billedCost: CellAmount, effectiveCost: CellAmount): void {
    group.line.sourceRows++;
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

  /** A rule's tag on a row ('' when the row lacks it); an error when the row spells the key twice with different values. */
  private tagOf(tags: TagValues, key: string, file: string, row: number): string {
    const value = tagValue(tags, key);
    if (value === AMBIGUOUS_TAG) throw new IngestError(file, row, 'Tags', ambiguousTagProblem(key));
    return value;
  }

  private tagsOf(value: unknown, file: string, row: number): TagValues {
    if (value && typeof value === 'object') return tagsFromObject(value as Record<string, unknown>);
    const raw = cellText(value);
    if (raw === '') return {};
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
