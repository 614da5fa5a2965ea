// Times the CB worksheet functions over 10,000 weights and a full column, and CB.COSTCENTER over
// 50,000 distinct values (a benchmark, not a test: run it with `npm run bench:functions`).
import { allocateAmount } from '../src/functions/allocation';
import { costCenter, costCenters } from '../src/functions/cost-center';
import { split, splitEven } from '../src/functions/splits';
import { readRange, readWeights } from '../src/functions/inputs';
import { splitRounded } from '../src/core/split';

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

// CB.COSTCENTER over 50,000 distinct values against 500 mappings, as filled down a column (one call
// a row, Excel handing over the Mappings range each time, a fresh copy) and as one call spilling the
// column; plain values and FOCUS Tags cells; and two Mappings ranges used in turn. Goal: < 1 s each.
{
  const ROWS = 50_000;
  const MAPPINGS = 500;
  const mappingsFor = (dimension: string, suffix: string) => [
    ['Dimension', 'Pattern', 'CostCenter'],
    ...Array.from({ length: MAPPINGS - 1 }, (_, i) => [dimension, `team-${i}-*`, `CC-${i}${suffix}`]),
    [dimension, '*', `CC-PLATFORM${suffix}`],
  ];
  const mappings = mappingsFor('SubAccountName', '');
  const tagMappings = mappingsFor('Tag:team', '');
  const otherMappings = mappingsFor('SubAccountName', '-B');
  // 50,000 distinct accounts, a tenth of them matched by no team rule (they reach the last, catch-all row)
  const accounts = Array.from({ length: ROWS }, (_, r) => (r % 10 === 0 ? `shared-${r}` : `team-${r % (MAPPINGS - 1)}-prod-${r}`));
  const column = accounts.map((a) => [a]);
  const tagsColumn = accounts.map((a) => [JSON.stringify({ team: a, env: 'prod' })]);
  // a fresh range each call, as Excel passes it: new arrays and new strings (JSON, as the runtime hands arguments over)
  const copies = (range: string[][]) => Array.from({ length: 4 }, () => JSON.parse(JSON.stringify(range)) as string[][]);
  const [plainCopies, tagCopies, otherCopies] = [copies(mappings), copies(tagMappings), copies(otherMappings)];
  const once = (label: string, run: () => unknown) => {
    const start = performance.now();
    run();
    console.log(`${label}: ${(performance.now() - start).toFixed(0)} ms`);
  };
  const size = `${ROWS.toLocaleString('en-US')} distinct values × ${MAPPINGS} mappings`;
  once(`CB.COSTCENTER filled down, ${size}`, () => {
    for (let r = 0; r < ROWS; r++) costCenter(column[r][0], plainCopies[r % 4]);
  });
  once(`CB.COSTCENTER spilled, ${size}`, () => costCenters(column, mappings.map((row) => [...row])));
  once(`CB.COSTCENTER filled down, Tags cells, ${size}`, () => {
    for (let r = 0; r < ROWS; r++) costCenter(tagsColumn[r][0], tagCopies[r % 4]);
  });
  once(`CB.COSTCENTER spilled, Tags cells, ${size}`, () => costCenters(tagsColumn, tagMappings.map((row) => [...row])));
  once(`CB.COSTCENTER filled down, two Mappings ranges in turn, ${size}`, () => {
    for (let r = 0; r < ROWS; r++) costCenter(column[r][0], r % 2 === 0 ? plainCopies[r % 4] : otherCopies[r % 4]);
  });
  once(`CB.COSTCENTER spilled, a new Mappings range (nothing cached), ${size}`, () => costCenters(column, mappings.map((row) => [row[0], row[1], `${row[2]}-new`])));
}

// CB.SPLIT and CB.ALLOCATE over a full column (1,048,576 weights, Excel's row limit), and where
// the time goes: reading the weights (parsing), the exact split, and the whole function.
{
  const FULL = 1_048_576;
  const full = weights(FULL);
  const fullTargets = full.map((_, i) => [`CC-${i}`]);
  const size = FULL.toLocaleString('en-US');
  const range = (label: string, run: () => unknown) => {
    const ms: number[] = [];
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      run();
      ms.push(performance.now() - start);
    }
    ms.sort((a, b) => a - b);
    console.log(`${label}: ${ms.map((m) => m.toFixed(0)).join(', ')} ms (3 runs)`);
  };
  const read = () => readWeights(readRange(full, 'weights'), 'weights');
  const read_ = read();
  range(`reading ${size} weights (readRange + readWeights)`, read);
  range(`splitting them exactly to cents (splitRounded)`, () => splitRounded(123456789n * 10n ** 13n, read_, 10n ** 13n));
  range(`CB.SPLIT(1234567.89, ${size} weights)`, () => split(1234567.89, full));
  range(`CB.ALLOCATE(1234567.89, ${size} targets, "Driver", basis)`, () => allocateAmount(1234567.89, fullTargets, 'Driver', full));
}
