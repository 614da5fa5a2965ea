/**
 * Which Cost Management export runs to read, wherever they lie (a Blob container or a folder on
 * disk): every run of an export re-delivers the whole month in its own folder with its own
 * `manifest.json`, so for each export and billing period only the newest run is read. Reading
 * two runs of one month would count the month twice and still "reconcile".
 */

export interface ExportManifest {
  manifestVersion?: string;
  dataRowCount?: number;
  blobCount?: number;
  byteCount?: number;
  exportConfig?: { exportName?: string; resourceId?: string; dataVersion?: string; type?: string; timeFrame?: string };
  runInfo?: { runId?: string; executionType?: string; submittedTime?: string; startDate?: string; endDate?: string };
  blobs?: { blobName: string; byteCount?: number; dataRowCount?: number }[];
}

/** What decides which run is read: the export, its billing period and when the run was submitted. */
export interface RunIdentity {
  exportName: string;
  /** `YYYY-MM` */
  period: string;
  /** ISO time */
  submittedTime: string;
}

const RUN_FOLDER = /(?:^|\/)(\d{4})(\d{2})\d{2}-\d{8}\//;

/** A run's billing period: the manifest's `runInfo.startDate`, else the `YYYYMMDD-YYYYMMDD` folder it lies in; undefined when neither says. */
export function runPeriod(manifest: ExportManifest, folder: string): string | undefined {
  const fromPath = RUN_FOLDER.exec(folder.endsWith('/') ? folder : `${folder}/`);
  const period = manifest.runInfo?.startDate?.slice(0, 7) ?? (fromPath ? `${fromPath[1]}-${fromPath[2]}` : '');
  return /^\d{4}-\d{2}$/.test(period) ? period : undefined;
}

/** The newest run of each export and billing period, in the order given. */
export function newestRuns<R extends RunIdentity>(runs: readonly R[]): R[] {
  const newest = new Map<string, R>();
  for (const run of runs) {
    const key = `${run.exportName.toLowerCase()}|${run.period}`;
    const current = newest.get(key);
    if (!current || Date.parse(run.submittedTime) > Date.parse(current.submittedTime)) newest.set(key, run);
  }
  const chosen = new Set(newest.values());
  return runs.filter((run) => chosen.has(run));
}
