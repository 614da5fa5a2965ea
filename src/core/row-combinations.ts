/**
 * The distinct combinations of key values in one batch of rows, found column by column on the
 * columns' codes (Parquet dictionary indices, the CSV reader's value codes) rather than row by row
 * on the values: each pass over a column is a tight loop over two typed arrays, and a row's group
 * is then one array index. What a code means is looked at once per combination, not once per row.
 */

/** One key column of a batch: `codes[r]` in [-1, cardinality - 1), -1 for an empty (null) cell. */
export interface CodeColumn {
  codes: Int32Array;
  /** how many codes the column can hold, the null one included */
  cardinality: number;
}

export interface RowCombinations {
  /** row r's combination, 0..count-1, numbered in the order they first appear */
  ids: Int32Array;
  count: number;
  /** the first row of each combination (ascending) */
  firstRows: Int32Array;
}

/** Below this many possible combinations, ids are multiplied out rather than looked up. */
const DIRECT_LIMIT = 1 << 16;

/**
 * Numbers the distinct tuples (codes of every column) of rows 0..rowCount-1. Two rows get the same
 * id exactly when every column has the same code in both.
 */
export function rowCombinations(columns: readonly CodeColumn[], rowCount: number): RowCombinations {
  let ids = new Int32Array(rowCount);
  let spread = 1; // every id is below this
  let scratch: PairTable | undefined;
  // Low-cardinality columns first, so more of them multiply out without a lookup.
  const ordered = [...columns].filter((c) => c.cardinality > 1).sort((a, b) => a.cardinality - b.cardinality);
  for (const { codes, cardinality } of ordered) {
    if (spread * cardinality <= Math.max(DIRECT_LIMIT, rowCount)) {
      for (let r = 0; r < rowCount; r++) ids[r] = ids[r] * cardinality + codes[r] + 1;
      spread *= cardinality;
    } else {
      scratch ??= new PairTable(rowCount);
      spread = scratch.densify(ids, codes, rowCount);
    }
  }
  return firstAppearance(ids, spread, rowCount);
}

/** Renumbers ids (all below `spread`) in the order they first appear, with each one's first row. */
function firstAppearance(ids: Int32Array, spread: number, rowCount: number): RowCombinations {
  const renumbered = new Int32Array(spread).fill(-1);
  const firstRows: number[] = [];
  for (let r = 0; r < rowCount; r++) {
    let id = renumbered[ids[r]];
    if (id < 0) {
      id = renumbered[ids[r]] = firstRows.length;
      firstRows.push(r);
    }
    ids[r] = id;
  }
  return { ids, count: firstRows.length, firstRows: Int32Array.from(firstRows) };
}

/** Open addressing over (id, code) pairs: no per-row allocation, cleared between columns. */
class PairTable {
  private slots: Int32Array; // new id + 1; 0 is empty
  private firstIds: Int32Array;
  private firstCodes: Int32Array;
  private readonly mask: number;

  constructor(rowCount: number) {
    let capacity = 16;
    while (capacity < rowCount * 2) capacity *= 2;
    this.mask = capacity - 1;
    this.slots = new Int32Array(capacity);
    this.firstIds = new Int32Array(rowCount);
    this.firstCodes = new Int32Array(rowCount);
  }

  /** Replaces ids[r] by a dense number of the pair (ids[r], codes[r]); returns how many there are. */
  densify(ids: Int32Array, codes: Int32Array, rowCount: number): number {
    const { slots, firstIds, firstCodes, mask } = this;
    slots.fill(0);
    let count = 0;
    for (let r = 0; r < rowCount; r++) {
      const id = ids[r];
      const code = codes[r];
      let h = Math.imul(id, 0x9e3779b1) ^ Math.imul(code + 1, 0x85ebca77);
      h ^= h >>> 15;
      let slot = h & mask;
      for (;;) {
        const entry = slots[slot];
        if (entry === 0) {
          firstIds[count] = id;
          firstCodes[count] = code;
          slots[slot] = ++count;
          ids[r] = count - 1;
          break;
        }
        if (firstIds[entry - 1] === id && firstCodes[entry - 1] === code) {
          ids[r] = entry - 1;
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
    return count;
  }
}

/** A batch's combinations to their groups across batches and files, by the tuple of their values' ids (open addressing over Int32Arrays). */
export class TupleTable<Group> {
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
