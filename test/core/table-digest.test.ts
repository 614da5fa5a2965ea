import { canonicalRows, sha256Hex, tableDigest } from '../../src/core/digest';

describe('a table digest hashed a row at a time', () => {
  it('equals the digest of the whole canonical text, so books approved before still verify', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => [`line ${i}`, i % 7 === 0 ? '' : i * 0.01, null, undefined, 'Zürich "quoted" \\ 東京', i % 2 === 0]);
    expect(tableDigest('Costs', ['A', 'B', 'C', 'D', 'E', 'F'], rows)).toBe(await sha256Hex(canonicalRows('Costs', ['A', 'B', 'C', 'D', 'E', 'F'], rows)));
  });

  it('equals it for an empty table and a single row too', async () => {
    expect(tableDigest('Allocation', ['Kind'], [])).toBe(await sha256Hex(canonicalRows('Allocation', ['Kind'], [])));
    expect(tableDigest('Allocation', ['Kind'], [['Direct']])).toBe(await sha256Hex(canonicalRows('Allocation', ['Kind'], [['Direct']])));
  });

  it('changes when one cell changes', () => {
    expect(tableDigest('Costs', ['A'], [['1'], ['2']])).not.toBe(tableDigest('Costs', ['A'], [['1'], ['3']]));
  });
});
