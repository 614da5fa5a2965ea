import { errorNotice } from '../../src/taskpane/notice';
import { ApprovalError } from '../../src/workbook/approval';

describe('the notice for an approval error', () => {
  it('is chosen by the error\'s kind, not by the words of its message', () => {
    expect(errorNotice(new ApprovalError('anything at all', 'not allocated'), 'review')).toMatchObject({ intent: 'info', title: 'Nothing to review yet' });
    expect(errorNotice(new ApprovalError('the reviewer said no', 'refused'), 'review')).toMatchObject({ intent: 'error', title: 'Approval refused' });
    // a message that merely mentions the words does not change the notice
    expect(errorNotice(new ApprovalError('approval refused? no chargeback yet?'), 'review')).toMatchObject({ intent: 'error', title: 'Not possible yet' });
  });
});
