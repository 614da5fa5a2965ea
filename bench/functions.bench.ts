// Times the CB worksheet functions over 10,000 weights (a benchmark, not a test: run it with
// `npm run bench:functions`). The issue asks for well under a second.
import { allocateAmount } from '../src/functions/allocation';
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
