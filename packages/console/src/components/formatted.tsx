import dayjs from 'dayjs';
import { formatDate, formatMoney } from './format';

export function Money({ value }: { value: string | number | bigint | null | undefined }) {
  return <span style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>{formatMoney(value)}</span>;
}

export function DateText({ value }: { value: string | null | undefined }) {
  return <span style={{ whiteSpace: 'nowrap' }}>{formatDate(value)}</span>;
}

/** Form helpers for our `Date` scalar held as a dayjs value by antd's DatePicker. */
export const dateItemProps = {
  getValueProps: (value: string | null | undefined) => ({ value: value ? dayjs(value) : null }),
  normalize: (value: dayjs.Dayjs | null) => (value ? value.format('YYYY-MM-DD') : null),
};
