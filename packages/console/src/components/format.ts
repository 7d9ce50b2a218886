import dayjs from 'dayjs';

export const DATE_FORMAT = 'DD/MM/YYYY';

/** `2025-08-15` (or an ISO instant) → `15/08/2025`. */
export const formatDate = (value: string | null | undefined) => (value ? dayjs(value).format(DATE_FORMAT) : '—');

/** An instant as `15/08/2025 14:05` in the viewer's time. */
export const formatDateTime = (value: string | null | undefined) => (value ? dayjs(value).format(`${DATE_FORMAT} HH:mm`) : '—');

/** Whole VND (our `Money` decimal string, exact at any size) → `1.234.567 ₫`. */
export function formatMoney(value: string | number | bigint | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const text = String(value).trim();
  const negative = text.startsWith('-');
  const digits = text.replace(/^-/, '').replace(/^0+(?=\d)/, '');
  if (!/^\d+$/.test(digits)) return text;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${negative ? '-' : ''}${grouped} ₫`;
}
