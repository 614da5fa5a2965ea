/**
 * Who is at the keyboard. Office.js gives an Excel add-in no user name of its own (`userProfile` is
 * Outlook's): the signed-in user comes from the identity provider (nested app authentication,
 * src/taskpane/identity.ts) where the admin configured an app registration; otherwise the user
 * types a name, which is remembered on this computer.
 */
import type { ReviewerName } from './host';
import type { SignedInUser } from './identity';

export const REVIEWER_KEY = 'chargeback.user';

/** A typed name kept in `storage` (localStorage in the pane), beside the identity provider's answer. */
export function storedReviewerName(storage: Pick<Storage, 'getItem' | 'setItem'>, signedIn: () => Promise<SignedInUser | undefined> = async () => undefined): ReviewerName {
  return {
    signedIn,
    remembered: () => storage.getItem(REVIEWER_KEY) ?? '',
    remember: (name) => storage.setItem(REVIEWER_KEY, name.trim()),
  };
}
