import { describe, expect, it } from 'vitest';

// The console is an ES module package; the tests compile as CommonJS, hence the dynamic import.
const formats = () => import('../../packages/console/src/components/format.js');

describe('console formats', () => {
  it('writes VND with dots and the đồng sign, exactly at any size', async () => {
    const { formatMoney } = await formats();
    expect(formatMoney('1234567')).toBe('1.234.567 ₫');
    expect(formatMoney('0')).toBe('0 ₫');
    expect(formatMoney('-250000')).toBe('-250.000 ₫');
    expect(formatMoney('123456789012345678901234')).toBe('123.456.789.012.345.678.901.234 ₫');
    expect(formatMoney(null)).toBe('—');
  });

  it('writes dates as dd/MM/yyyy', async () => {
    const { formatDate, formatDateTime } = await formats();
    expect(formatDate('2025-08-15')).toBe('15/08/2025');
    expect(formatDate(null)).toBe('—');
    expect(formatDateTime('2025-08-15T01:02:00+07:00')).toMatch(/^\d{2}\/08\/2025 \d{2}:\d{2}$/);
  });
});
