/**
 * Cells holding Excel data types, as Excel passes them to `any` parameters when functions.json
 * allows custom data (allowCustomDataForDataTypeAny, CustomFunctionsRuntime 1.4): JSON cell values
 * shaped as Excel.CellValue in the Office.js reference.
 */
import { StubError } from './customFunctionsStub';
import * as functions from '../../src/functions/functions';
import { plainArgument, plainCell } from '../../src/functions/data-types';
import { allocateAmount } from '../../src/functions/allocation';
import { amortize } from '../../src/functions/amortize';
import { reconcile } from '../../src/functions/reconcile';
import { split, splitEven, splitFixed } from '../../src/functions/splits';
import { costCenter } from '../../src/functions/cost-center';
import { tag } from '../../src/functions/tags';
import { column, expectFormulaError, row } from './helpers';

const formatted = (basicValue: number, numberFormat = '$#,##0.00') => ({ type: 'FormattedNumber', basicValue, numberFormat });
const double = (basicValue: number) => ({ type: 'Double', basicValue, basicType: 'Double' });
const text = (basicValue: string) => ({ type: 'String', basicValue, basicType: 'String' });
const empty = { type: 'Empty', basicValue: '' };
const entity = (name: string) => ({
  type: 'Entity',
  text: name,
  basicValue: '#VALUE!',
  basicType: 'Error',
  properties: { Code: { type: 'String', basicValue: 'CC-A' }, Budget: { type: 'Double', basicValue: 5000 } },
});
const linkedEntity = { type: 'LinkedEntity', text: 'Microsoft Corp', basicValue: '#VALUE!', basicType: 'Error', id: { domainId: 'stocks', entityId: 'msft', serviceId: 268 } };
const image = { type: 'WebImage', address: 'https://contoso.com/logo.png', basicValue: '#VALUE!', basicType: 'Error' };
const divisionError = { type: 'Error', errorType: 'Div0', basicValue: '#DIV/0!', basicType: 'Error' };

describe('data types passed to the CB functions', () => {
  it('reads a formatted number, a double, text, TRUE/FALSE and an empty cell as their basic values', () => {
    expect(plainCell(formatted(1234.5), 'amount')).toBe(1234.5);
    expect(plainCell(double(0.1), 'amount')).toBe(0.1);
    expect(plainCell(text('CC-A'), 'targets')).toBe('CC-A');
    expect(plainCell({ type: 'Boolean', basicValue: true }, 'x')).toBe(true);
    expect(plainCell(empty, 'x')).toBe('');
    // Values without a data type pass as they are.
    for (const value of [12, 'CC-A', false, '', null, undefined]) expect(plainCell(value, 'x')).toBe(value);
  });

  it('splits a formatted amount by formatted weights to the same cents as plain numbers', () => {
    expect(split(formatted(100), [[formatted(1, '0'), double(1), 1]])).toEqual(split(100, [[1, 1, 1]]));
    expect(split(formatted(100), [[formatted(1, '0'), double(1), 1]])).toEqual([[33.34, 33.33, 33.33]]);
    expect(splitEven(formatted(100), [[double(3)]])).toEqual([[33.34], [33.33], [33.33]]);
    expect(splitFixed(formatted(1000), column(formatted(50, '0%'), 30, text('20')))).toEqual([[500], [300], [200]]);
    expect(reconcile(formatted(0.3), column(formatted(0.1), empty, double(0.2)))).toBe(0);
    expect(amortize(formatted(1200), text('2026-01-01'), '2026-12-31', '2026-01-01', '2026-01-31')).toBe(101.92);
  });

  it('reads cost center codes and mappings held as text values', () => {
    expect(allocateAmount(formatted(90), column(text('CC-A'), 'CC-B', text('CC-C')), 'Driver', column(1, double(2), empty))).toEqual([
      ['CC-A', 30],
      ['CC-B', 60],
      ['CC-C', 0],
    ]);
    expect(costCenter(text('team-a-prod'), [[text('SubAccountName'), 'team-a*', text('CC-A')]])).toBe('CC-A');
    expect(tag(text('{"team":"checkout"}'), 'team')).toBe('checkout');
  });

  it('takes an array data type given whole as its elements', () => {
    expect(plainArgument({ type: 'Array', elements: [[double(1), formatted(3)]] }, 'weights')).toEqual([[1, 3]]);
    expect(split(100, { type: 'Array', elements: [[double(1), formatted(3)]] })).toEqual([[25, 75]]);
  });

  it('refuses an entity with what it is, where it is, and what to give instead', () => {
    expectFormulaError(() => split(entity('Contoso Retail'), row(1, 1)), 'invalidValue', 'amount is an entity ("Contoso Retail"), which has no single value to use here: give one of its fields instead, such as =A2.Price');
    expectFormulaError(() => split(100, column(1, entity('Contoso Retail'), 2)), 'invalidValue', /^weights: item 2 is an entity \("Contoso Retail"\)/);
    expectFormulaError(() => reconcile(100, [[1, 2], [3, linkedEntity]]), 'invalidValue', /^parts: row 2, column 2 is a linked data type \("Microsoft Corp"\)/);
    expectFormulaError(() => costCenter(image, [['SubAccountName', '*', 'CC-P']]), 'invalidValue', /^value_or_tags is an image, which has no single value/);
    expectFormulaError(() => allocateAmount(100, column('CC-A', entity('CC-B')), 'Even'), 'invalidValue', /^targets: item 2 is an entity \("CC-B"\)/);
  });

  it('refuses an error value, and an array data type inside a cell, naming the cell', () => {
    expectFormulaError(() => split(divisionError, row(1, 1)), 'invalidValue', 'amount is the error #DIV/0!: correct that cell first');
    expectFormulaError(() => split(100, row(1, { type: 'Array', elements: [[1]] })), 'invalidValue', /^weights: item 2 is an array, which has no single value/);
    expectFormulaError(() => split(100, row({ mystery: true }, 1)), 'invalidValue', /^weights: item 1 is a value Excel passed that is not a number, text or TRUE\/FALSE/);
  });

  it('answers #VALUE! with the reason in Excel, not "could not compute"', () => {
    try {
      functions.split(entity('Contoso Retail'), [[1, 1]]);
      throw new Error('expected #VALUE!');
    } catch (error) {
      expect(error).toBeInstanceOf(StubError);
      expect(error).toMatchObject({ code: '#VALUE!', message: expect.stringMatching(/^amount is an entity/) });
    }
  });
});
