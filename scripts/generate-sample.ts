/**
 * Regenerates the bundled sample data in assets/sample/ (or the folder given as the first
 * argument): `npm run sample`. Seeded, so every run writes the same bytes.
 */
import path from 'node:path';
import { writeSample } from './sample/write-sample';

// Bundled to dist/generate-sample.cjs; both dist/ and scripts/ sit one level below the repository root.
const outDir = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'assets', 'sample'));

writeSample(outDir).then(
  (files) => {
    for (const file of files) console.log(`${path.join(outDir, file.name)}  ${file.bytes} bytes${file.rows === undefined ? '' : `, ${file.rows} rows`}`);
  },
  (error: unknown) => {
    console.error(`error: ${(error as Error).message ?? error}`);
    process.exitCode = 1;
  },
);
