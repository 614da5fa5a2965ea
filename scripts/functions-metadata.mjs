// Generates functions.json (the metadata Excel reads for the CB worksheet functions) from the
// JSDoc in src/functions/functions.ts, with the same generator the webpack plugin uses.
// Usage: node scripts/functions-metadata.mjs [source] [output]; fails on any metadata error.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { generateCustomFunctionsMetadata } from 'custom-functions-metadata';

const [source = 'src/functions/functions.ts', output = 'dist/functions.json'] = process.argv.slice(2);
const result = await generateCustomFunctionsMetadata(source);
if (result.errors.length > 0 || !result.metadataJson) {
  console.error(`error: the custom functions in ${source} have metadata problems:`);
  for (const problem of result.errors) console.error(`  ${problem}`);
  if (result.errors.length === 0) console.error('  no @customfunction found');
  process.exit(1);
}
mkdirSync(dirname(output), { recursive: true });
writeFileSync(output, result.metadataJson + '\n');
console.log(`wrote ${output}: ${JSON.parse(result.metadataJson).functions.length} functions`);
