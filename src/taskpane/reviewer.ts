/**
 * Who approves. Office.js gives an Excel add-in no user name of its own (`userProfile` is
 * Outlook's); the signed-in user's name would come only with single sign-on, which needs an app
 * registration named in the manifest (WebApplicationInfo). This add-in has none, so the reviewer
 * types a name, which is remembered on this computer.
 */
import type { ReviewerName } from './host';

export const REVIEWER_KEY = 'chargeback.user';

/** A reviewer name kept in `storage` (localStorage in the pane); Office gives no signed-in name. */
export function storedReviewerName(storage: Pick<Storage, 'getItem' | 'setItem'>): ReviewerName {
  return {
    signedIn: async () => undefined,
    remembered: () => storage.getItem(REVIEWER_KEY) ?? '',
    remember: (name) => storage.setItem(REVIEWER_KEY, name.trim()),
  };
}
