// Prints how the Office.js host writes a Costs table of 10,000 and 100,000 cost lines: the
// context.sync() calls and the largest request, against Excel on the web's 5 MB limit.
import { BENCH_GRAIN, costsWritePlan } from '../bench/write-plan';
import { REQUEST_LIMIT_BYTES } from '../src/workbook/write-plan';

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(2);
console.log('rows      syncs  data requests  largest request  all cell data   (limit ' + mb(REQUEST_LIMIT_BYTES) + ' MB)');
for (const rows of [10_000, 100_000]) {
  const plan = costsWritePlan(rows, BENCH_GRAIN);
  console.log(`${String(rows).padEnd(9)} ${String(plan.syncs).padStart(5)}  ${String(plan.requests.length).padStart(13)}  ${mb(plan.largestRequestBytes).padStart(12)} MB  ${mb(plan.totalBytes).padStart(10)} MB`);
}
