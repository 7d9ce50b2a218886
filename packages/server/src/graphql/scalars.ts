import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';

export const DateTimeScalar = DateTimeResolver;
export const JSONScalar = JSONResolver;

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when s is a real calendar date written YYYY-MM-DD. */
export function isCalendarDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !isCalendarDate(value)) throw badInput(`Ngày không hợp lệ (cần YYYY-MM-DD): ${JSON.stringify(value)}`);
  return value;
}

function literal(ast: ValueNode, kinds: Kind[]): unknown {
  if (!kinds.includes(ast.kind)) throw badInput('Giá trị không hợp lệ');
  return (ast as { value: unknown }).value;
}

/** Calendar date "2025-08-15" (Vietnam calendar); carried as a string end to end, never a JS Date. */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'Calendar date YYYY-MM-DD (Vietnam calendar)',
  serialize: (v) => {
    if (v instanceof Date) return v.toISOString().slice(0, 10);
    return parseDate(v);
  },
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(literal(ast, [Kind.STRING])),
});

const MONEY_RE = /^-?\d+$/;
function parseMoney(value: unknown): string {
  const s = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof s !== 'string' || !MONEY_RE.test(s) || s.length > 30)
    throw badInput(`Số tiền phải là số nguyên VND dạng chuỗi: ${JSON.stringify(value)}`);
  return normalizeInteger(s);
}

function normalizeInteger(s: string): string {
  const neg = s.startsWith('-');
  const digits = (neg ? s.slice(1) : s).replace(/^0+(?=\d)/, '');
  return neg && digits !== '0' ? `-${digits}` : digits;
}

/** Whole VND as a decimal string, exact at any size. */
export const MoneyScalar = new GraphQLScalarType<string, string>({
  name: 'Money',
  description: 'Whole VND as a decimal string matching ^-?\\d+$; exact at any size, never a float',
  serialize: (v) => normalizeInteger(String(v)),
  parseValue: parseMoney,
  parseLiteral: (ast) => parseMoney(literal(ast, [Kind.STRING, Kind.INT])),
});

const DECIMAL_RE = /^-?\d+(\.\d+)?$/;
function parseDecimal(value: unknown): string {
  const s = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof s !== 'string' || !DECIMAL_RE.test(s) || s.length > 40) throw badInput(`Số thập phân không hợp lệ: ${JSON.stringify(value)}`);
  return s;
}

/** Exact decimal as a string ("12.35"). */
export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  description: 'Exact decimal as a string, e.g. "12.35"',
  serialize: (v) => String(v),
  parseValue: parseDecimal,
  parseLiteral: (ast) => parseDecimal(literal(ast, [Kind.STRING, Kind.INT, Kind.FLOAT])),
});
