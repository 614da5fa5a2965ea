import { grouped } from '../../src/taskpane/operations';

describe('amounts shown in the task pane', () => {
  it('group thousands and keep every digit', () => {
    expect(grouped('23022.36')).toBe('23,022.36');
    expect(grouped('-1234567.05')).toBe('-1,234,567.05');
    expect(grouped('999.00')).toBe('999.00');
    expect(grouped('1000')).toBe('1,000');
    expect(grouped('0.00')).toBe('0.00');
  });
});
