import { errorNotice } from '../../src/taskpane/notice';
import { EngineError } from '../../src/sources/engine-error';
import { ApprovalError } from '../../src/workbook/approval';
import { RichApiError } from '../workbook/fake-excel';

describe('the notice for an approval error', () => {
  it('is chosen by the error\'s kind, not by the words of its message', () => {
    expect(errorNotice(new ApprovalError('anything at all', 'not allocated'), 'review')).toMatchObject({ intent: 'info', title: 'Nothing to review yet' });
    expect(errorNotice(new ApprovalError('the reviewer said no', 'refused'), 'review')).toMatchObject({ intent: 'error', title: 'Approval refused' });
    // a message that merely mentions the words does not change the notice
    expect(errorNotice(new ApprovalError('approval refused? no chargeback yet?'), 'review')).toMatchObject({ intent: 'error', title: 'Not possible yet' });
  });
});

describe('the notice for an error Excel raised', () => {
  it('reads the Office.js error code, not the localized message', () => {
    // Excel in German: the message is localized, the code is not
    const tooLarge = new RichApiError('RequestPayloadSizeLimitExceeded', 'Die Größe der Anforderungsnutzlast hat das Limit überschritten.');
    expect(errorNotice(tooLarge, 'allocate')).toMatchObject({ title: 'Excel refused a request as too large' });
    expect(errorNotice(new RichApiError('ResponsePayloadSizeLimitExceeded', '…'), 'data')).toMatchObject({ title: 'Excel refused a request as too large' });
    // a message that merely names the code is not that error
    expect(errorNotice(new Error('RequestPayloadSizeLimitExceeded in the text only'), 'allocate')).toMatchObject({ title: 'That did not work' });
  });
});

describe('the notice for an engine that sums where the data lives', () => {
  it('names the engine and the query step in the title, and says what to do and that nothing was written', () => {
    const refused = new EngineError('FinOps hub (Data Explorer)', 'summing 2026-10 to allocation grain', "no permission on database Hub: Principal 'aaduser=maria' is not authorized to read database 'Hub'.", 'Ask the hub admin for the Viewer role on the Hub database');
    expect(errorNotice(refused, 'data')).toEqual({
      intent: 'error',
      title: 'FinOps hub (Data Explorer): summing 2026-10 to allocation grain failed',
      body: "No permission on database Hub: Principal 'aaduser=maria' is not authorized to read database 'Hub'. Ask the hub admin for the Viewer role on the Hub database. Nothing was written to the workbook.",
    });
    // not the advice for files and SAS URLs
    expect(errorNotice(new EngineError('FinOps hub (Data Explorer)', 'listing the billing periods', 'Database was not found'), 'data').body).toBe('Database was not found. Nothing was written to the workbook.');
  });
});
