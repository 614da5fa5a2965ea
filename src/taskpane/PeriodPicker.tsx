/** A billing period to choose, each with its FOCUS rows: the periods a read found, or those a hub holds. */
import { Dropdown, Field, Option } from '@fluentui/react-components';
import type { PeriodChoice } from './operations';

export interface PeriodPickerProps {
  label: string;
  hint?: string;
  periods: readonly PeriodChoice[];
  period: string | undefined;
  onChange: (period: string | undefined) => void;
}

export function PeriodPicker({ label, hint, periods, period, onChange }: PeriodPickerProps) {
  return (
    <Field label={label} hint={hint}>
      <Dropdown aria-label={label} value={period ?? ''} selectedOptions={period ? [period] : []} onOptionSelect={(_, data) => onChange(data.optionValue)}>
        {periods.map((p) => (
          <Option key={p.period} value={p.period} text={p.period}>
            {`${p.period} (${p.rows.toLocaleString('en-US')} rows)`}
          </Option>
        ))}
      </Dropdown>
    </Field>
  );
}
