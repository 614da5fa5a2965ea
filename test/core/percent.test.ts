import { percentFigure, percentText, signedPercentText } from '../../src/core/percent';

describe('one precision for percentages', () => {
  it('shows one decimal, rounded half away from zero from the exact amounts', () => {
    expect(percentText(20n, 600n)).toBe('3.3%');
    expect(percentText(1n, 8n)).toBe('12.5%');
    // 0.05% rounds up to 0.1%, and -0.05% down to -0.1%: half away from zero.
    expect(percentText(1n, 2000n)).toBe('0.1%');
    expect(percentText(-1n, 2000n)).toBe('-0.1%');
    expect(percentText(195n, 10000n)).toBe('2.0%');
    expect(percentText(20n, 200n)).toBe('10.0%');
  });

  it('says 0.0 for a share of nothing, and never "-0.0"', () => {
    expect(percentFigure(5n, 0n)).toBe('0.0');
    expect(percentFigure(-1n, 100000n)).toBe('0.0');
  });

  it('signs a change', () => {
    expect(signedPercentText(30n, 120n)).toBe('+25.0%');
    expect(signedPercentText(-1n, 30n)).toBe('-3.3%');
    expect(signedPercentText(0n, 30n)).toBe('+0.0%');
  });

  it('works past the range of a binary float', () => {
    expect(percentText(10n ** 30n + 5n * 10n ** 26n, 10n ** 31n)).toBe('10.0%');
  });
});
