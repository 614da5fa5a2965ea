import { OfficeDocumentLike } from '../../src/workbook/office-file';
import { assertWorkbookFileReadable, missingWorkbookFileSets, OfficeContextLike, readWorkbookFile, WorkbookFileUnavailable } from '../../src/taskpane/workbook-file';

/** Office as the pane sees it: the requirement sets this Excel supports and a document that hands over its file in one slice. */
function office(supported: string[], content = Uint8Array.from([80, 75, 3, 4])) {
  const asked: string[] = [];
  const state = { opened: 0 };
  const document: OfficeDocumentLike = {
    getFileAsync(fileType, options, callback) {
      state.opened++;
      callback({
        status: 'succeeded',
        value: {
          size: content.byteLength,
          sliceCount: 1,
          getSliceAsync: (index, done) => done({ status: 'succeeded', value: { data: Array.from(content), index, size: content.byteLength } }),
          closeAsync: (done) => done?.({ status: 'succeeded', value: undefined }),
        },
      });
    },
  };
  const context: OfficeContextLike = {
    requirements: {
      isSetSupported(name) {
        asked.push(name);
        return supported.includes(name);
      },
    },
    document,
  };
  return { context, asked, state };
}

describe('handing the workbook file to Publish', () => {
  it('reads the file where Excel supports the File and CompressedFile requirement sets', async () => {
    const { context, asked, state } = office(['File', 'CompressedFile']);
    await expect(readWorkbookFile(context)).resolves.toEqual(Uint8Array.from([80, 75, 3, 4]));
    expect(asked).toEqual(['File', 'CompressedFile']);
    expect(state.opened).toBe(1);
  });

  it('refuses before asking Office for the file where CompressedFile is missing, and says what to do instead', async () => {
    const { context, state } = office(['File']);
    const refusal = readWorkbookFile(context);
    await expect(refusal).rejects.toThrow(WorkbookFileUnavailable);
    await expect(refusal).rejects.toThrow(
      'this Excel cannot hand the workbook file to an add-in (it lacks the CompressedFile requirement set), so the pane cannot publish the workbook copy; nothing was published. ' +
        'Publish from Excel for Windows or Mac, or save the workbook and run: chargeback publish --workbook BOOK.xlsx --to FOLDER_OR_CONTAINER_URL',
    );
    expect(state.opened).toBe(0);
  });

  it('names every set that is missing', () => {
    const { context } = office([]);
    expect(missingWorkbookFileSets(context.requirements)).toEqual(['File', 'CompressedFile']);
    expect(() => assertWorkbookFileReadable(context.requirements)).toThrow('it lacks the File and CompressedFile requirement sets');
    expect(missingWorkbookFileSets(office(['File', 'CompressedFile']).context.requirements)).toEqual([]);
  });
});
