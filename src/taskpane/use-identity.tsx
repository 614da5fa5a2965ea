/**
 * The pane's identity, found once when it opens: the signed-in user from the identity provider,
 * or nobody known (and why). Steps that write ask `user()` for the Audit log's By text; when no
 * one is signed in and no name was typed before, that opens the name prompt.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ReviewerName } from './host';
import { NameNeeded, PaneIdentity, stepUser } from './identity';
import { NameDialog } from './NameDialog';

export function usePaneIdentity(reviewer: ReviewerName) {
  const found = useMemo(
    () =>
      reviewer.signedIn().then<PaneIdentity, PaneIdentity>(
        (user) => (user ? { status: 'signed in', user } : { status: 'unknown' }),
        (error) => ({ status: 'unknown', problem: error instanceof Error ? error.message : String(error) }),
      ),
    [reviewer],
  );
  const [identity, setIdentity] = useState<PaneIdentity>({ status: 'finding out' });
  useEffect(() => {
    let current = true;
    void found.then((known) => current && setIdentity(known));
    return () => void (current = false);
  }, [found]);

  const [asking, setAsking] = useState<{ resolve: (name: string) => void; reject: (error: Error) => void }>();
  const user = useCallback(() => stepUser(found, reviewer.remembered, () => new Promise<string>((resolve, reject) => setAsking({ resolve, reject }))), [found, reviewer]);
  const nameDialog = (
    <NameDialog
      open={Boolean(asking)}
      problem={identity.status === 'unknown' ? identity.problem : undefined}
      onName={(name) => {
        reviewer.remember(name);
        asking?.resolve(name);
        setAsking(undefined);
      }}
      onCancel={() => {
        asking?.reject(new NameNeeded());
        setAsking(undefined);
      }}
    />
  );
  return { identity, user, nameDialog };
}
