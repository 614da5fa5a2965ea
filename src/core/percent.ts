/**
 * One precision for percentages everywhere: the pane, the Review sheet and the command line show
 * a share as a percent with one decimal ("3.3%"), rounded half away from zero from the exact
 * amounts, never from a binary float.
 */

/** Decimals shown in every percentage. */
export const PERCENT_DECIMALS = 1;

const SCALE = 10n ** BigInt(PERCENT_DECIMALS);

/**
 * `part` as a percent of `whole`, e.g. 20 of 600 → "3.3" (no sign for positives, no % mark); 0 of 0 →
 * "0.0". `decimals` other than the display's one are for files (the facts' SharePercent has four).
 */
export function percentFigure(part: bigint, whole: bigint, decimals = PERCENT_DECIMALS): string {
  if (whole === 0n) return (0).toFixed(decimals);
  const scale = decimals === PERCENT_DECIMALS ? SCALE : 10n ** BigInt(decimals);
  const negative = part < 0n !== whole < 0n && part !== 0n;
  const [p, w] = [part < 0n ? -part : part, whole < 0n ? -whole : whole];
  // Half away from zero: add half a unit of the last decimal before dividing.
  const units = (p * 100n * scale * 2n + w) / (2n * w);
  const integer = units / scale;
  const fraction = (units % scale).toString().padStart(decimals, '0');
  return `${negative && units !== 0n ? '-' : ''}${integer}${decimals > 0 ? `.${fraction}` : ''}`;
}

/** `percentFigure` with the % mark: "3.3%". */
export const percentText = (part: bigint, whole: bigint): string => `${percentFigure(part, whole)}%`;

/** A change as a signed percent: "+25.0%", "-3.3%". */
export function signedPercentText(part: bigint, whole: bigint): string {
  const figure = percentFigure(part, whole);
  return `${figure.startsWith('-') ? '' : '+'}${figure}%`;
}
