/**
 * The open workbook's bytes in Excel, for the copy that is published: Office hands the file over
 * in slices (`Document.getFileAsync` with the compressed .xlsx type). Every slice is read, in
 * order, and the file is always closed — Office allows one open file per document, so a file left
 * open would make the next publish fail until Excel restarts.
 *
 * The Office objects are described by the few members used here, so tests drive this with a
 * hand-made document and no Office runtime.
 */

interface AsyncResultLike<T> {
  status: 'succeeded' | 'failed' | string;
  value: T;
  error?: { message: string; code?: number };
}

export interface OfficeSliceLike {
  data: ArrayLike<number> | ArrayBuffer;
  index: number;
  size: number;
}

export interface OfficeFileLike {
  size: number;
  sliceCount: number;
  getSliceAsync(index: number, callback: (result: AsyncResultLike<OfficeSliceLike>) => void): void;
  closeAsync(callback?: (result: AsyncResultLike<void>) => void): void;
}

export interface OfficeDocumentLike {
  getFileAsync(fileType: string, options: { sliceSize: number }, callback: (result: AsyncResultLike<OfficeFileLike>) => void): void;
}

/** Office's largest slice is 4 MB. */
const SLICE_BYTES = 4 * 1024 * 1024;

function settle<T>(call: (callback: (result: AsyncResultLike<T>) => void) => void, what: string): Promise<T> {
  return new Promise((resolve, reject) =>
    call((result) => (result.status === 'succeeded' ? resolve(result.value) : reject(new Error(`Excel could not ${what}: ${result.error?.message ?? 'no reason given'}`)))),
  );
}

/** Reads the whole document as .xlsx bytes ("compressed" is Office.FileType.Compressed). */
export async function readDocumentBytes(document: OfficeDocumentLike, onProgress?: (readBytes: number, totalBytes: number) => void): Promise<Uint8Array> {
  const file = await settle<OfficeFileLike>((cb) => document.getFileAsync('compressed', { sliceSize: SLICE_BYTES }, cb), 'hand over the workbook file');
  try {
    const bytes = new Uint8Array(file.size);
    let offset = 0;
    for (let index = 0; index < file.sliceCount; index++) {
      const slice = await settle<OfficeSliceLike>((cb) => file.getSliceAsync(index, cb), `read part ${index + 1} of ${file.sliceCount} of the workbook file`);
      const data = slice.data instanceof ArrayBuffer ? new Uint8Array(slice.data) : Uint8Array.from(slice.data);
      if (offset + data.byteLength > bytes.byteLength) throw new Error(`Excel handed over more than the ${file.size} bytes it announced`);
      bytes.set(data, offset);
      offset += data.byteLength;
      onProgress?.(offset, file.size);
    }
    if (offset !== file.size) throw new Error(`Excel handed over ${offset} of the ${file.size} bytes of the workbook file`);
    return bytes;
  } finally {
    await new Promise<void>((resolve) => file.closeAsync(() => resolve()));
  }
}
