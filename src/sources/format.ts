/** Which FOCUS file formats a name stands for: `.csv`, `.csv.gz` / `.gz`, `.parquet`. */
export function costFileFormat(name: string): { format: 'csv' | 'parquet'; gzip: boolean } | undefined {
  const lower = name.toLowerCase();
  if (lower.endsWith('.parquet')) return { format: 'parquet', gzip: false };
  if (lower.endsWith('.csv.gz') || lower.endsWith('.gz')) return { format: 'csv', gzip: true };
  if (lower.endsWith('.csv')) return { format: 'csv', gzip: false };
  return undefined;
}
