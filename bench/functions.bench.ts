// Times the CB worksheet functions over 10,000 weights, and CB.COSTCENTER over 50,000 rows (a benchmark, not a test: run it with
// `npm run bench:functions`). The issue asks for well under a second.
import { allocateAmount } from '../src/functions/allocation';
import { costCenter, costCenters } from '../src/functions/cost-center';
import { split, splitEven } from '../src/functions/splits';

const COUNT = 10_000;
const RUNS = 20;

/** Deterministic weights with 0 to 4 decimals, as usage figures look. */
function weights(count: number): number[][] {
  let seed = 42;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
  return Array.from({ length: count }, () => [(next() % 1_000_000) / 10 ** (next() % 5)]);
}

function time(label: string, run: () => unknown): void {
  run(); // warm up
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    run();
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  console.log(`${label}: median ${ms[Math.floor(RUNS / 2)].toFixed(1)} ms, slowest ${ms[RUNS - 1].toFixed(1)} ms (${RUNS} runs)`);
}

const column = weights(COUNT);
const targets = column.map((_, i) => [`CC-${i}`]);
time(`CB.SPLIT(1234567.89, ${COUNT} weights)`, () => split(1234567.89, column));
time(`CB.SPLITEVEN(1234567.89, ${COUNT})`, () => splitEven(1234567.89, COUNT));
time(`CB.ALLOCATE(1234567.89, ${COUNT} targets, "Proportional", basis)`, () => allocateAmount(1234567.89, targets, 'Proportional', column));

// CB.COSTCENTER over 50,000 rows against 500 mappings, as filled down a column (one call a row,
// Excel handing over the Mappings range each time) and as one call spilling the column. Goal: < 1 s.
{
  const ROWS = 50_000;
  const MAPPINGS = 500;
  const mappings = [
    ['Dimension', 'Pattern', 'CostCenter'],
    ...Array.from({ length: MAPPINGS - 1 }, (_, i) => ['SubAccountName', `team-${i}-*`, `CC-${i}`]),
    ['SubAccountName', '*', 'CC-PLATFORM'],
  ];
  // 5,000 accounts, a tenth of them matched by no team rule (they reach the last, catch-all row)
  const accounts = Array.from({ length: ROWS }, (_, r) => {
    const account = (r * 7919) % 5_000;
    return account % 10 === 0 ? `shared-${account}` : `team-${account % (MAPPINGS - 1)}-prod`;
  });
  const column = accounts.map((a) => [a]);
  // a fresh range each call, as Excel passes it: new arrays and new strings (JSON, as the runtime hands arguments over)
  const copies = Array.from({ length: 4 }, () => JSON.parse(JSON.stringify(mappings)) as string[][]);
  const once = (label: string, run: () => unknown) => {
    const start = performance.now();
    run();
    console.log(`${label}: ${(performance.now() - start).toFixed(0)} ms`);
  };
  once(`CB.COSTCENTER filled down ${ROWS.toLocaleString('en-US')} rows × ${MAPPINGS} mappings`, () => {
    for (let r = 0; r < ROWS; r++) costCenter(column[r][0], copies[r % copies.length]);
  });
  once(`CB.COSTCENTER(${ROWS.toLocaleString('en-US')}-row column, ${MAPPINGS} mappings), spilled`, () => costCenters(column, mappings));
  once(`CB.COSTCENTER spilled, a new Mappings range (nothing cached)`, () => costCenters(column, mappings.map((row) => [row[0], row[1], `${row[2]}-new`])));
}
