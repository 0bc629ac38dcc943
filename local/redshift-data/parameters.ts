/**
 * Binds Data API named parameters (`:name`) to PostgreSQL positional ones (`$1`).
 *
 * The scanner skips quoted strings ('…', E'…', "…", $tag$…$tag$), comments (-- and nested /* *\/)
 * and `::` casts, so only real placeholders are replaced. A name used twice maps to one position.
 */
import { validationError } from './errors';

/** One Data API parameter, as the request carries it. */
export interface SqlParameter {
  name: string;
  value: string;
}

export interface BoundSql {
  /** The SQL with `$n` placeholders. */
  text: string;
  /** Values in `$n` order. */
  values: string[];
}

const NAME_PATTERN = /^[0-9A-Za-z_]+$/;
const isNameChar = (c: string | undefined): boolean => c !== undefined && /[0-9A-Za-z_]/.test(c);

/** Checks the request's `Parameters` list: names well formed and unique, values present. */
export function validateParameters(parameters: unknown): SqlParameter[] {
  if (parameters === undefined) return [];
  if (!Array.isArray(parameters) || parameters.length === 0) {
    throw validationError('Parameters must be a non-empty list of {name, value}.');
  }
  const seen = new Set<string>();
  return parameters.map((p: unknown) => {
    const { name, value } = (p ?? {}) as Record<string, unknown>;
    if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
      throw validationError(`Parameter name ${JSON.stringify(name)} must match ${NAME_PATTERN.source}.`);
    }
    if (typeof value !== 'string') throw validationError(`Parameter '${name}' must have a string value.`);
    if (seen.has(name)) throw validationError(`Parameter '${name}' is given more than once.`);
    seen.add(name);
    return { name, value };
  });
}

/**
 * Replaces every `:name` that names a given parameter with its `$n`.
 * A `:word` that names no parameter is left as it is, so PostgreSQL reports it as the
 * statement's own error (as Redshift does), instead of the request being refused.
 */
export function bindParameters(sql: string, parameters: readonly SqlParameter[]): BoundSql {
  if (parameters.length === 0) return { text: sql, values: [] };
  const byName = new Map(parameters.map((p) => [p.name, p.value]));
  const positions = new Map<string, number>();
  const values: string[] = [];
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const skipped = skipLiteralOrComment(sql, i);
    if (skipped > i) {
      out += sql.slice(i, skipped);
      i = skipped;
      continue;
    }
    const c = sql[i];
    if (c === ':' && sql[i + 1] === ':') {
      out += '::';
      i += 2;
      continue;
    }
    if (c === ':' && isNameChar(sql[i + 1])) {
      let end = i + 1;
      while (isNameChar(sql[end])) end++;
      const name = sql.slice(i + 1, end);
      if (byName.has(name)) {
        let position = positions.get(name);
        if (position === undefined) {
          values.push(byName.get(name) as string);
          position = values.length;
          positions.set(name, position);
        }
        out += `$${position}`;
      } else {
        out += sql.slice(i, end);
      }
      i = end;
      continue;
    }
    out += c;
    i++;
  }
  return { text: out, values };
}

/** If a literal or comment starts at `i`, returns the index just after it; otherwise `i`. */
function skipLiteralOrComment(sql: string, i: number): number {
  const c = sql[i];
  const next = sql[i + 1];
  if (c === '-' && next === '-') {
    const end = sql.indexOf('\n', i);
    return end === -1 ? sql.length : end + 1;
  }
  if (c === '/' && next === '*') return skipBlockComment(sql, i);
  if (c === "'") {
    const escapes = (sql[i - 1] === 'E' || sql[i - 1] === 'e') && !isNameChar(sql[i - 2]);
    return skipQuoted(sql, i, "'", escapes);
  }
  if (c === '"') return skipQuoted(sql, i, '"', false);
  if (c === '$' && !isNameChar(sql[i - 1])) {
    const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
    if (tag) {
      const end = sql.indexOf(tag[0], i + tag[0].length);
      return end === -1 ? sql.length : end + tag[0].length;
    }
  }
  return i;
}

function skipQuoted(sql: string, start: number, quote: string, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    if (backslashEscapes && sql[i] === '\\') {
      i += 2;
      continue;
    }
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) {
        i += 2; // doubled quote inside the literal
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return sql.length;
}

function skipBlockComment(sql: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < sql.length) {
    if (sql[i] === '/' && sql[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (sql[i] === '*' && sql[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  return sql.length;
}
