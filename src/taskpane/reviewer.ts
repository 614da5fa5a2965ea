/**
 * Who approves. Office.js gives an Excel add-in no user name of its own (`userProfile` is
 * Outlook's); the signed-in user's name comes only with single sign-on, from the token Office
 * issues. Without it the reviewer types a name, which is remembered on this computer.
 */
import type { ReviewerName } from './host';

export const REVIEWER_KEY = 'chargeback.user';

/** The `name` (else `preferred_username`) claim of an Office SSO token; undefined when it has none. */
export function nameFromToken(token: string): string | undefined {
  try {
    const payload = token.split('.')[1] ?? '';
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as { name?: unknown; preferred_username?: unknown };
    const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name : claims.preferred_username;
    return typeof name === 'string' && name.trim() ? name.trim() : undefined;
  } catch {
    return undefined;
  }
}

/** A reviewer name kept in `storage` (localStorage in the pane), with the signed-in name when there is one. */
export function storedReviewerName(storage: Pick<Storage, 'getItem' | 'setItem'>, signedIn: () => Promise<string | undefined> = async () => undefined): ReviewerName {
  return {
    signedIn,
    remembered: () => storage.getItem(REVIEWER_KEY) ?? '',
    remember: (name) => storage.setItem(REVIEWER_KEY, name.trim()),
  };
}
