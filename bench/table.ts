/**
 * Formats the benchmark's one table: a Markdown table whose columns are padded to line up in a terminal
 * too, plus the number formats its cells use.
 */

export type Align = 'left' | 'right';

export interface Column {
  title: string;
  /** @default 'left' */
  align?: Align;
}

/** Thrown when a row does not have one cell per column. */
export class TableShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TableShapeError';
  }
}

/** A pipe would end the cell early in Markdown; newlines would break the row. */
const escapeCell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** Display width: code points, so `×` and `…` count as one column. */
const width = (text: string): number => [...text].length;

const pad = (text: string, size: number, align: Align): string => {
  const fill = ' '.repeat(Math.max(0, size - width(text)));
  return align === 'right' ? fill + text : text + fill;
};

/** The rows as an aligned Markdown table (header, separator with alignment colons, one line per row). */
export function formatTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  if (columns.length === 0) throw new TableShapeError('a table needs at least one column');
  rows.forEach((row, index) => {
    if (row.length !== columns.length) throw new TableShapeError(`row ${index + 1} has ${row.length} cells, expected ${columns.length}`);
  });
  const cells = rows.map((row) => row.map(escapeCell));
  const titles = columns.map((column) => escapeCell(column.title));
  const widths = columns.map((_, i) => Math.max(3, width(titles[i]), ...cells.map((row) => width(row[i]))));
  const line = (values: readonly string[]): string =>
    `| ${values.map((value, i) => pad(value, widths[i], columns[i].align ?? 'left')).join(' | ')} |`;
  const separator = `| ${widths
    .map((size, i) => ((columns[i].align ?? 'left') === 'right' ? `${'-'.repeat(size - 1)}:` : '-'.repeat(size)))
    .join(' | ')} |`;
  return [line(titles), separator, ...cells.map(line)].join('\n');
}

/** `1234.5` → `1,234.5`; `digits` decimals at most, trailing zeros dropped. */
export function formatNumber(value: number, digits = 1): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** Milliseconds, or seconds from 10 s on. */
export function formatDuration(ms: number): string {
  if (ms >= 10_000) return `${formatNumber(ms / 1000, 1)} s`;
  if (ms >= 1_000) return `${formatNumber(ms / 1000, 2)} s`;
  if (ms >= 10) return `${formatNumber(ms, 0)} ms`;
  return `${formatNumber(ms, 1)} ms`;
}

/** Bytes as B, KB or MB (1 KB = 1024 B). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${formatNumber(bytes / (1024 * 1024), 1)} MB`;
  if (bytes >= 1024) return `${formatNumber(bytes / 1024, 1)} KB`;
  return `${formatNumber(bytes, 0)} B`;
}

/** Dollars with cents, or more decimals for amounts under a dollar. */
export function formatDollars(amount: number): string {
  if (amount >= 100) return `$${formatNumber(amount, 0)}`;
  if (amount >= 1) return `$${formatNumber(amount, 2)}`;
  return `$${amount.toPrecision(2).replace(/\.?0+$/, '')}`;
}

/** A ratio as `4.8×`; `–` when there is none. */
export function formatRatio(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  return `${formatNumber(value, value >= 10 ? 0 : 1)}×`;
}
