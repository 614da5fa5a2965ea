/**
 * What the workbook shows of a conversion to the reporting currency: the Costs table's columns
 * beside each line as billed, and the Reconciliation rows per billing currency.
 */
import { AllocationResult } from '../core/allocate';
import { CostLine, lineKey } from '../core/costs';
import { exactToNumber, formatExact, minorToNumber } from '../core/money';
import { CellValue, TableSpec } from './gateway';

/**
 * Columns Allocate adds to Costs when it converts the period to the reporting currency, beside the
 * billed currency and amounts they came from. The engine converts again on every run, so these are
 * for the reader and are not read back.
 */
export const CONVERSION_COLUMNS = ['ReportingCurrency', 'ExchangeRate', 'ReportingBilledCost', 'ReportingEffectiveCost', 'ReportingBilledCostExact', 'ReportingEffectiveCostExact'] as const;

/** The Costs table (`base`, as costsTable makes it of `allLines`) with the period's conversion beside each of its lines (other periods' lines left blank there). */
export function convertedCostsTable(base: TableSpec, allLines: readonly CostLine[], result: AllocationResult): TableSpec {
  const conversion = result.conversion;
  if (!conversion) return base;
  const converted = new Map(result.lines.map((line, i) => [lineKey({ ...line, currency: conversion.originals[i].currency }), i]));
  return {
    ...base,
    columns: [
      ...base.columns,
      ...CONVERSION_COLUMNS.map((header) => ({ header, width: header === 'ExchangeRate' ? 40 : header.endsWith('Exact') ? 22 : header === 'ReportingCurrency' ? 12 : 16, kind: /Cost$/.test(header) ? ('exact' as const) : undefined })),
    ],
    rows: base.rows.map((row, r) => {
      const i = converted.get(lineKey(allLines[r]));
      if (i === undefined) return [...row, null, null, null, null, null, null];
      const line = result.lines[i];
      return [...row, conversion.reportingCurrency, conversion.originals[i].rate.label, exactToNumber(line.billedCost), exactToNumber(line.effectiveCost), formatExact(line.billedCost), formatExact(line.effectiveCost)];
    }),
  };
}

/**
 * Per billing currency: what the source holds in it, the rate, the exact converted total rounded
 * once, and the difference from what its converted lines were allocated (0). Each is rounded on
 * its own, so they may differ from the statement total, rounded once over all, by a minor unit.
 */
export function conversionRows(result: AllocationResult): CellValue[][] {
  const conversion = result.conversion;
  if (!conversion) return [];
  const m = (v: bigint) => minorToNumber(v, result.minorDigits);
  return conversion.currencies.flatMap((c): CellValue[][] => [
    [`Source in ${c.currency}`, minorToNumber(c.source, c.minorDigits), c.lines, `${result.metric} billed in ${c.currency}, exact ${formatExact(c.sourceExact)}, rounded to ${c.minorDigits} decimals (amount in ${c.currency})`],
    [`Rate ${c.currency} → ${conversion.reportingCurrency}`, null, null, c.rateLabel],
    [`Converted from ${c.currency}`, m(c.converted), null, `${formatExact(c.sourceExact)} ${c.currency} × rate, exactly, rounded once to ${result.minorDigits} decimals`],
    [`Difference ${c.currency}`, m(c.allocated - c.converted), null, c.allocated === c.converted ? 'reconciled: its converted lines were allocated in full' : 'NOT RECONCILED'],
  ]);
}

