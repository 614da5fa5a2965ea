/**
 * What an Office.js error means, read from its `code` (Excel.ErrorCodes / OfficeExtension.ErrorCodes),
 * never from its message: Excel localizes messages and says they are not for end users or for code.
 * https://learn.microsoft.com/office/dev/add-ins/testing/application-specific-api-error-handling
 */

/** The Office.js error code of an error Excel raised (`ItemNotFound`, `InvalidArgument`, …); undefined for any other error. */
export function excelErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code !== '' ? code : undefined;
}

/**
 * Whether Excel refused a request or its answer as too large (5 MB in Excel on the web): the same
 * work in smaller requests will go through.
 * https://learn.microsoft.com/office/dev/add-ins/concepts/resource-limits-and-performance-optimization#excel-add-ins
 */
export function isPayloadTooLarge(error: unknown): boolean {
  const code = excelErrorCode(error);
  return code === 'RequestPayloadSizeLimitExceeded' || code === 'ResponsePayloadSizeLimitExceeded';
}
