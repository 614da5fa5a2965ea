/**
 * Asked once, at the first step that writes, when the pane cannot learn who is signed in: the
 * user's name for the Audit log, which marks it "typed, not verified". Modal and keyboard-first:
 * focus starts in the name, Enter continues, Escape cancels (and nothing is written).
 */
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Input } from '@fluentui/react-components';
import { useState } from 'react';

export interface NameDialogProps {
  open: boolean;
  /** Why no signed-in user is known, when the identity provider said. */
  problem?: string;
  onName: (name: string) => void;
  onCancel: () => void;
}

export function NameDialog({ open, problem, onName, onCancel }: NameDialogProps) {
  const [name, setName] = useState('');
  const submit = () => {
    if (name.trim() !== '') onName(name.trim());
  };
  return (
    <Dialog open={open} modalType="modal" onOpenChange={(_, data) => !data.open && onCancel()}>
      <DialogSurface aria-describedby="name-dialog-why">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          <DialogBody>
            <DialogTitle>Who is doing this?</DialogTitle>
            <DialogContent id="name-dialog-why">
              <p>
                {problem ? `The pane could not confirm who is signed in (${problem}). ` : 'Excel did not tell the add-in who is signed in. '}
                The Audit log records your name beside each step, marked as typed, not verified. It is remembered on this computer.
              </p>
              <Field label="Your name" required>
                <Input value={name} onChange={(_, data) => setName(data.value)} autoFocus />
              </Field>
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" type="submit" disabled={name.trim() === ''}>
                Continue
              </Button>
              <Button onClick={onCancel}>Cancel</Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
