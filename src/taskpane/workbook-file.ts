/**
 * Whether this Excel can hand the open workbook to the add-in as an .xlsx file, which Publish
 * needs for the workbook copy. `Document.getFileAsync` with the compressed (.xlsx) type belongs to
 * the CompressedFile requirement set (and getFileAsync itself to File), and the Office.js reference
 * lists only PDF for Excel on the web, so the pane asks Office at run time rather than declaring
 * the set in the manifest, which would keep the whole add-in, functions included, out of such an
 * Excel. Asked before the share is opened, so nobody signs in to be told no.
 *
 * Office is described by the few members used here, so tests drive this with hand-made objects.
 */
import { OfficeDocumentLike, readDocumentBytes } from '../workbook/office-file';

export interface OfficeRequirementsLike {
  isSetSupported(name: string, minVersion?: string): boolean;
}

export interface OfficeContextLike {
  requirements: OfficeRequirementsLike;
  document: OfficeDocumentLike;
}

/** The requirement sets getFileAsync('compressed') needs (Office Common API requirement sets). */
export const WORKBOOK_FILE_SETS = ['File', 'CompressedFile'] as const;

export class WorkbookFileUnavailable extends Error {
  constructor(missing: readonly string[]) {
    super(
      `this Excel cannot hand the workbook file to an add-in (it lacks the ${missing.join(' and ')} requirement set${missing.length === 1 ? '' : 's'}), ` +
        'so the pane cannot publish the workbook copy; nothing was published. Publish from Excel for Windows or Mac, or save the workbook ' +
        'and run: chargeback publish --workbook BOOK.xlsx --to FOLDER_OR_CONTAINER_URL',
    );
    this.name = 'WorkbookFileUnavailable';
  }
}

/** The sets this Excel lacks for reading the workbook file; empty when it can. */
export function missingWorkbookFileSets(requirements: OfficeRequirementsLike): string[] {
  return WORKBOOK_FILE_SETS.filter((name) => !requirements.isSetSupported(name));
}

/** Throws WorkbookFileUnavailable unless this Excel can hand over the workbook file. */
export function assertWorkbookFileReadable(requirements: OfficeRequirementsLike): void {
  const missing = missingWorkbookFileSets(requirements);
  if (missing.length > 0) throw new WorkbookFileUnavailable(missing);
}

/** The workbook's .xlsx bytes, once Office has said it can give them. */
export async function readWorkbookFile(office: OfficeContextLike, onProgress?: (readBytes: number, totalBytes: number) => void): Promise<Uint8Array> {
  assertWorkbookFileReadable(office.requirements);
  return readDocumentBytes(office.document, onProgress);
}
