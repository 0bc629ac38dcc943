/**
 * Turns engine rows (PostgreSQL text output) into the Data API's typed `Records` and `ColumnMetadata`.
 *
 * Like Redshift: integers are `longValue`, floats `doubleValue`, booleans `booleanValue`, NULL is
 * `isNull: true`, and everything else (numeric/decimal, dates, timestamps, text) is `stringValue`.
 */
import type { EngineColumn } from './engine';

/** One typed value, exactly one member set (as the Data API's `Field` union). */
export type Field =
  | { isNull: true }
  | { stringValue: string }
  | { longValue: number }
  | { doubleValue: number }
  | { booleanValue: boolean };

export interface ColumnMetadata {
  isCaseSensitive: boolean;
  isCurrency: boolean;
  isSigned: boolean;
  label: string;
  name: string;
  nullable: number;
  precision: number;
  scale: number;
  schemaName: string;
  tableName: string;
  typeName: string;
  length: number;
}

const LONG_TYPES = new Set(['int2', 'int4', 'int8', 'oid']);
const DOUBLE_TYPES = new Set(['float4', 'float8']);
const SIGNED_TYPES = new Set([...LONG_TYPES, ...DOUBLE_TYPES, 'numeric']);
const CASE_SENSITIVE_TYPES = new Set(['text', 'varchar', 'bpchar', 'char', 'name']);

export function toField(text: string | null, column: EngineColumn): Field {
  if (text === null) return { isNull: true };
  if (LONG_TYPES.has(column.typeName)) return { longValue: Number(text) };
  if (DOUBLE_TYPES.has(column.typeName)) {
    const value = Number(text);
    // JSON cannot carry NaN or Infinity: give those as text rather than a wrong number.
    return Number.isFinite(value) ? { doubleValue: value } : { stringValue: text };
  }
  if (column.typeName === 'bool') return { booleanValue: text === 't' || text === 'true' };
  return { stringValue: text };
}

export function toRecords(rows: readonly (readonly (string | null)[])[], columns: readonly EngineColumn[]): Field[][] {
  return rows.map((row) => row.map((value, i) => toField(value, columns[i])));
}

export function toColumnMetadata(column: EngineColumn): ColumnMetadata {
  return {
    isCaseSensitive: CASE_SENSITIVE_TYPES.has(column.typeName),
    isCurrency: false,
    isSigned: SIGNED_TYPES.has(column.typeName),
    label: column.name,
    name: column.name,
    // 1 = nullable: PostgreSQL does not report nullability of result columns, and Redshift mostly says 1.
    nullable: 1,
    precision: 0,
    scale: 0,
    schemaName: '',
    tableName: '',
    typeName: column.typeName,
    length: 0,
  };
}

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break; NULL is an empty field. */
function csvField(text: string | null, column: EngineColumn): string {
  if (text === null) return '';
  const value = column.typeName === 'bool' ? String(text === 't' || text === 'true') : text;
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Rows as the CSV text of GetStatementResultV2's `CSVRecords`, with the header line when asked. */
export function toCsv(rows: readonly (readonly (string | null)[])[], columns: readonly EngineColumn[], withHeader: boolean): string {
  const header = withHeader ? [columns.map((c) => csvField(c.name, { ...c, typeName: 'text' })).join(',')] : [];
  const lines = rows.map((row) => row.map((value, i) => csvField(value, columns[i])).join(','));
  return [...header, ...lines].map((line) => `${line}\n`).join('');
}
