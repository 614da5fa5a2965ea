import { reconcile } from '../../src/functions/reconcile';
import { column, expectFormulaError } from './helpers';

describe('CB.RECONCILE', () => {
  it('is 0 when the parts add up: 100 against 33.34 + 33.33 + 33.33', () => {
    expect(reconcile(100, column(33.34, 33.33, 33.33))).toBe(0);
  });

  it('is the cent that is missing: 100 against three times 33.33 is 0.01', () => {
    expect(reconcile(100, column(33.33, 33.33, 33.33))).toBe(0.01);
  });

  it('is negative when the parts add up to more than expected', () => {
    expect(reconcile(100, column(60, 40.25))).toBe(-0.25);
  });

  it('adds exactly, where binary floats would be off: 0.3 against 0.1 + 0.2 is 0', () => {
    expect(reconcile(0.3, column(0.1, 0.2))).toBe(0);
  });

  it('rounds the difference to the cent, and never shows −0', () => {
    expect(Object.is(reconcile(100, column(50, '', 50.004)), 0)).toBe(true);
    expect(reconcile(100, column(50, 49.994))).toBe(0.01);
  });

  it('rounds to other decimals when asked', () => {
    expect(reconcile(1, column(0.3333, 0.3333, 0.3333), 4)).toBe(0.0001);
  });

  it('answers #VALUE! naming a part that is text', () => {
    expectFormulaError(() => reconcile(100, column(50, 'fifty')), 'invalidValue', 'parts: item 2 is "fifty", not a number');
  });
});
