/**
 * Where approved chargeback goes: a folder, an Azure Blob Storage container, or a SharePoint /
 * OneDrive folder through Microsoft Graph. The publish step is written once against this small
 * interface. Every write is a conditional create — it fails when the file exists — so a
 * published version is never overwritten, and two publishers racing for the same version cannot
 * clobber each other: the second one's first create fails and it moves on to the next version.
 */
import { FolderListing, ShareReader } from '../core/publication';

export interface CreateFileOptions {
  contentType?: string;
  /** Bytes sent so far. */
  onProgress?: (sentBytes: number) => void;
  signal?: AbortSignal;
}

export interface Share extends ShareReader {
  /** Where the share is, for people and the Audit log: a path or a URL, never a credential. */
  readonly location: string;
  /** Files and sub-folders directly in a folder (`2026-10/`), or undefined when there is no such folder. */
  listFolder(folder: string): Promise<FolderListing | undefined>;
  /** Creates the file only when no file of that name exists; throws ShareConflictError when one does. */
  createFile(path: string, bytes: Uint8Array, options?: CreateFileOptions): Promise<{ link: string }>;
  /**
   * Removes a file this publish created, when the publish fails before its manifest is written, so
   * nothing is left that no manifest vouches for. No error when there is no such file.
   */
  removeFile(path: string): Promise<void>;
}

/** The share could not be reached or refused the operation; the message carries no credential. */
export class ShareError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShareError';
  }
}

/** The file exists already: someone else published this version first. */
export class ShareConflictError extends ShareError {
  constructor(readonly path: string, location: string) {
    super(`${location}: ${path} exists already`);
    this.name = 'ShareConflictError';
  }
}

/** The HTTP status an Azure SDK or Graph client error carries (`statusCode`), if any. */
export function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'statusCode' in error ? (error as { statusCode?: number }).statusCode : undefined;
}

const URL_QUERY = /(https?:\/\/[^\s?#"'<>]*)\?[^\s#"'<>]*/gi;
const SIGNATURE = /\b(sig|signature)=[^&\s"'<>]*/gi;
/** `scheme://user:password@` of any scheme (`databricks://token:…@`, `kusto://user:pw@`): the user-info before the host. */
const USER_INFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#"'<>]*@/gi;
/** A bearer token in a header or a message (`Authorization: Bearer eyJ…`). */
const BEARER = /\b(bearer)\s+[A-Za-z0-9\-._~+/]+=*/gi;
/** `password=…`, `pwd=…`, `AccountKey=…`, `client_secret=…` as in connection strings and forms. */
const NAMED_SECRET = /\b(password|pwd|passwd|accountkey|sharedaccesskey|client_secret|clientsecret|access_token|refresh_token|api[-_]?key)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^;&\s,"'<>]+)/gi;

/** True when a URL-like address carries credentials in its user-info (`scheme://user:pw@host`). */
export function hasUserInfo(address: string): boolean {
  return new RegExp(USER_INFO.source, 'i').test(address.trim().split(/\s/)[0]);
}

/**
 * Removes credentials from text: the query of every URL (where a SAS token lives), any stray
 * `sig=` parameter, the user-info of any URL (`scheme://user:password@host`), bearer tokens and
 * named secrets (`password=`, `AccountKey=`, `client_secret=`), plus each secret given (matched as
 * is and URL-encoded). Every message that leaves the product for a person goes through here.
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let redacted = text;
  for (const secret of secrets) {
    if (secret.length < 8) continue;
    for (const form of new Set([secret, encodeURIComponent(secret), safeDecode(secret)])) redacted = redacted.split(form).join('<redacted>');
  }
  return redacted
    .replace(USER_INFO, '$1<redacted>@')
    .replace(URL_QUERY, '$1?<SAS redacted>')
    .replace(SIGNATURE, '$1=<redacted>')
    .replace(BEARER, '$1 <redacted>')
    .replace(NAMED_SECRET, '$1$2<redacted>');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
