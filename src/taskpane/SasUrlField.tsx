/**
 * A URL with a SAS (an Azure Blob container or export folder), typed or pasted as text. Not a
 * password field: browsers offer to save those, and a user cannot check what they pasted. Once
 * the field is left, the signature (`sig=`) is masked; the rest stays readable so the user can
 * check the place, the permissions (`sp=`) and the expiry (`se=`). Long URLs wrap.
 */
import { Field, makeStyles, Textarea } from '@fluentui/react-components';
import { useState } from 'react';
import { flushSync } from 'react-dom';

const MASK = '••••••••';

/** The URL with the value of its `sig` parameter masked (whatever the case of the name). */
export function maskedSas(url: string): string {
  return url.replace(/([?&]sig=)[^&#]*/gi, (_, name: string) => `${name}${MASK}`);
}

const useStyles = makeStyles({
  url: { '& textarea': { overflowWrap: 'anywhere', wordBreak: 'break-all', fontFamily: 'inherit' } },
});

export interface SasUrlFieldProps {
  label: string;
  hint: string;
  value: string;
  onChange: (value: string) => void;
  /** An example of the form, not a value. */
  placeholder?: string;
  /** A short name for screen readers, when the label is a sentence. */
  ariaLabel?: string;
}

export function SasUrlField({ label, hint, value, onChange, placeholder, ariaLabel }: SasUrlFieldProps) {
  const styles = useStyles();
  const [editing, setEditing] = useState(false);
  return (
    <Field label={label} hint={hint}>
      <Textarea
        className={styles.url}
        value={editing ? value : maskedSas(value)}
        // On focus the whole URL replaces the mask at once, selected, as an address bar does: a
        // paste or typing replaces it whole (swapping the text in drops any selection made on the mask).
        onFocus={(event) => {
          const field = event.currentTarget;
          flushSync(() => setEditing(true));
          field.select();
        }}
        onBlur={() => setEditing(false)}
        onChange={(_, data) => onChange(data.value.replace(/\s+/g, ''))}
        placeholder={placeholder}
        aria-label={ariaLabel}
        resize="vertical"
        textarea={{ spellCheck: false, autoComplete: 'off', autoCapitalize: 'off', rows: 2 }}
      />
    </Field>
  );
}
