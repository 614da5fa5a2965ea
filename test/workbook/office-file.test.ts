import { OfficeDocumentLike, OfficeFileLike, readDocumentBytes } from '../../src/workbook/office-file';

/** A document as Office.js presents it: a file handed over in slices, which must be closed. */
function officeDocument(content: Uint8Array, sliceSize: number, failSlice?: number) {
  const state = { open: 0, closed: 0, slicesRead: [] as number[] };
  const file: OfficeFileLike = {
    size: content.byteLength,
    sliceCount: Math.ceil(content.byteLength / sliceSize),
    getSliceAsync(index, callback) {
      state.slicesRead.push(index);
      setTimeout(() => {
        if (index === failSlice) return callback({ status: 'failed', value: undefined as never, error: { message: 'Internal error', code: 5001 } });
        const data = Array.from(content.subarray(index * sliceSize, (index + 1) * sliceSize)); // Office gives a byte array
        callback({ status: 'succeeded', value: { data, index, size: data.length } });
      });
    },
    closeAsync(callback) {
      state.closed++;
      setTimeout(() => callback?.({ status: 'succeeded', value: undefined }));
    },
  };
  const document: OfficeDocumentLike = {
    getFileAsync(fileType, options, callback) {
      expect(fileType).toBe('compressed');
      expect(options.sliceSize).toBe(4 * 1024 * 1024);
      state.open++;
      setTimeout(() => callback({ status: 'succeeded', value: file }));
    },
  };
  return { document, state };
}

describe('reading the open workbook from Office', () => {
  const content = new Uint8Array(10_000).map((_, i) => (i * 31) % 256);

  it('reads every slice in order and closes the file', async () => {
    const { document, state } = officeDocument(content, 4096);
    const progress: number[] = [];
    const bytes = await readDocumentBytes(document, (read) => progress.push(read));
    expect(Buffer.compare(Buffer.from(bytes), Buffer.from(content))).toBe(0);
    expect(state.slicesRead).toEqual([0, 1, 2]);
    expect(progress).toEqual([4096, 8192, 10_000]);
    expect(state.closed).toBe(1);
  });

  it('closes the file even when a slice cannot be read, and says which', async () => {
    const { document, state } = officeDocument(content, 4096, 1);
    await expect(readDocumentBytes(document)).rejects.toThrow('Excel could not read part 2 of 3 of the workbook file: Internal error');
    expect(state.closed).toBe(1);
  });
});
