/**
 * ISO 4217 currency codes and the decimals of their minor unit, as the standard's list gives them
 * (active codes, plus those withdrawn since 2021 that older bills still carry). A table rather
 * than the runtime's Intl data: Intl formats any three letters (`XYZ`, `usd`) as a currency with
 * two decimals, and a bill in a currency we cannot name must stop, not be rounded to cents.
 * Precious metals, fund and testing codes (XAU, XDR, XTS, XXX…) have no minor unit and are left out.
 */

const NO_DECIMALS = 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF';
const THREE_DECIMALS = 'BHD IQD JOD KWD LYD OMR TND';
const FOUR_DECIMALS = 'CLF UYW';
const TWO_DECIMALS =
  'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW ' +
  'CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HRK HTG HUF ' +
  'IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV ' +
  'MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD ' +
  'SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG ZWL';

const MINOR_DIGITS = new Map<string, number>(
  ([[TWO_DECIMALS, 2], [NO_DECIMALS, 0], [THREE_DECIMALS, 3], [FOUR_DECIMALS, 4]] as const).flatMap(([codes, digits]) =>
    codes.split(' ').map((code) => [code, digits] as [string, number]),
  ),
);

/** The decimals of a currency's minor unit (USD 2, JPY 0, BHD 3), or undefined for a code ISO 4217 does not list. Codes are upper case. */
export function minorDigitsOf(currency: string): number | undefined {
  return MINOR_DIGITS.get(currency);
}

/** Why a BillingCurrency cannot be closed, or undefined when it is an ISO 4217 code. */
export function currencyProblem(currency: string): string | undefined {
  if (MINOR_DIGITS.has(currency)) return undefined;
  const upper = currency.trim().toUpperCase();
  const hint = MINOR_DIGITS.has(upper) ? `: write it ${upper}` : ': use a three-letter ISO 4217 code such as USD or EUR';
  return `BillingCurrency "${currency}" is not an ISO 4217 currency code${hint}`;
}
