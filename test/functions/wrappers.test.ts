import { associated, StubError } from './customFunctionsStub';
import * as functions from '../../src/functions/functions';

/** Calls a worksheet function and returns the CustomFunctions.Error it throws. */
function excelError(call: () => unknown): StubError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(StubError);
    return error as StubError;
  }
  throw new Error('expected the function to throw a CustomFunctions.Error');
}

describe('the CB worksheet functions in Excel', () => {
  it('register every function under its stable id', () => {
    expect([...associated.keys()]).toEqual(['SPLIT', 'SPLITEVEN', 'SPLITFIXED', 'ALLOCATE', 'AMORTIZE', 'TAG', 'COSTCENTER', 'RECONCILE', 'CONVERT']);
    expect(associated.get('CONVERT')).toBe(functions.convert);
    expect(associated.get('SPLIT')).toBe(functions.split);
    expect(associated.get('COSTCENTER')).toBe(functions.costCenter);
  });

  it('answer with plain numbers and arrays when the inputs are good', () => {
    expect(functions.split(100, [[1, 1, 1]], null as unknown as number)).toEqual([[33.34, 33.33, 33.33]]);
    expect(functions.splitEven(100, [[3]])).toEqual([[33.34], [33.33], [33.33]]);
    expect(functions.splitFixed(1000, [[50], [30], [20]])).toEqual([[500], [300], [200]]);
    expect(functions.allocate(100, [['CC-A'], ['CC-B']], 'Even')).toEqual([['CC-A', 50], ['CC-B', 50]]);
    expect(functions.amortize(365, '2026-01-01', '2026-12-31', '2026-01-01', '2026-01-31')).toBe(31);
    expect(functions.tag('{"team":"checkout"}', 'team')).toBe('checkout');
    expect(functions.costCenter([['hub']], [['SubAccountName', '*', 'CC-P']])).toEqual([['CC-P']]);
    expect(functions.reconcile(100, [[33.34], [33.33], [33.33]])).toBe(0);
  });

  it('turn a bad input into #VALUE! with the reason as its message', () => {
    const error = excelError(() => functions.splitFixed(100, [[50, 49.5]]));
    expect(error.code).toBe('#VALUE!');
    expect(error.message).toBe('the percents add up to 99.5, not 100');
  });

  it('turn "nothing matched" into #N/A with the reason', () => {
    const error = excelError(() => functions.costCenter([['hub']], [['SubAccountName', 'team-*', 'CC-A']]));
    expect(error.code).toBe('#N/A');
    expect(error.message).toMatch(/no mapping matches "hub"/);
    expect(excelError(() => functions.tag('{"env":"prod"}', 'team')).code).toBe('#N/A');
  });

  it('spill CB.COSTCENTER over a column, a cell no mapping matches holding its own #N/A', () => {
    const answers = functions.costCenter([['team-a'], ['hub'], ['team-b']], [['SubAccountName', 'team-*', 'CC-T']]);
    expect(answers.map((row) => row.map((cell) => (cell instanceof CustomFunctions.Error ? cell.code : cell)))).toEqual([['CC-T'], ['#N/A'], ['CC-T']]);
  });

  it('turn an unexpected failure into #VALUE! rather than a number', () => {
    const error = functions.toExcelError(new TypeError('boom'));
    expect(error).toBeInstanceOf(StubError);
    expect((error as unknown as StubError).code).toBe('#VALUE!');
    expect((error as unknown as StubError).message).toBe('could not compute: boom');
  });
});
