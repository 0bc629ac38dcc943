/**
 * DynamoDB on-demand request units computed from item sizes, since a local DynamoDB cannot report
 * `ConsumedCapacity` the way the service bills it.
 *
 * Item size (DynamoDB developer guide, "Item sizes and formats"): the sum of attribute name lengths and
 * value sizes; a string is its UTF-8 bytes; a number about 1 byte per two significant digits + 1;
 * binary its raw bytes; boolean and null 1 byte; a list or map 3 bytes + 1 byte per element + the
 * elements (a map's keys count as names); a set the sum of its elements.
 *
 * Units: a write is 1 WRU per started KB of the item (an update: of the larger of the item before and
 * after); a strongly consistent read 1 RRU per started 4 KB, an eventually consistent one half that.
 * Global secondary indexes (projection ALL here) add writes: putting an item that has the index's key
 * attributes writes the index once; an update writes it once if the keys stay, twice if they change
 * (delete + put), once if the keys are removed (delete) or added (put); nothing if the item is in the
 * index neither before nor after.
 */

export type DynamoValue = string | number | boolean | null | Uint8Array | DynamoValue[] | Set<string | number> | { [name: string]: DynamoValue };
export type DynamoItem = Record<string, DynamoValue>;

const utf8 = (text: string): number => Buffer.byteLength(text, 'utf8');

/** Bytes of a number: 1 per two significant digits (leading and trailing zeros trimmed) + 1. */
export function numberSize(value: number): number {
  if (!Number.isFinite(value)) throw new RangeError(`not a DynamoDB number: ${value}`);
  const digits = Math.abs(value)
    .toExponential()
    .replace(/e.*$/, '')
    .replace('.', '')
    .replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}

/** Bytes of a value (without its attribute name). */
export function valueSize(value: DynamoValue): number {
  if (value === null || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'number') return numberSize(value);
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) {
    let size = 0;
    for (const element of value) size += typeof element === 'string' ? utf8(element) : numberSize(element);
    return size;
  }
  if (Array.isArray(value)) return 3 + value.reduce<number>((sum, element) => sum + 1 + valueSize(element), 0);
  if (typeof value === 'object') {
    return 3 + Object.entries(value).reduce((sum, [name, element]) => sum + 1 + utf8(name) + valueSize(element), 0);
  }
  throw new TypeError(`not a DynamoDB value: ${typeof value}`);
}

/** Bytes of an item: names and values of its attributes. */
export function itemSize(item: DynamoItem): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + valueSize(value), 0);
}

/** WRU of writing `bytes`: one per started KB, at least one. */
export function writeUnits(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / 1024));
}

/** RRU of reading `bytes`: one per started 4 KB (strongly consistent), half that eventually consistent. */
export function readUnits(bytes: number, consistency: 'strong' | 'eventual' = 'strong'): number {
  const units = Math.max(1, Math.ceil(bytes / 4096));
  return consistency === 'strong' ? units : units / 2;
}

/** A global secondary index with projection ALL: its key attribute names. */
export interface GsiKeys {
  name: string;
  hashKey: string;
  rangeKey?: string;
}

const indexKey = (item: DynamoItem | undefined, index: GsiKeys): string | undefined => {
  if (!item) return undefined;
  const hash = item[index.hashKey];
  if (hash === undefined) return undefined;
  if (index.rangeKey === undefined) return JSON.stringify([hash]);
  const range = item[index.rangeKey];
  return range === undefined ? undefined : JSON.stringify([hash, range]);
};

export interface WriteCost {
  /** WRU of the table write. */
  table: number;
  /** WRU per index. */
  indexes: Record<string, number>;
  total: number;
}

/**
 * WRU of one write that turns `before` (undefined: no item) into `after` (undefined: deleted):
 * PutItem of a new item, UpdateItem, or DeleteItem.
 */
export function writeCost(before: DynamoItem | undefined, after: DynamoItem | undefined, indexes: readonly GsiKeys[]): WriteCost {
  if (!before && !after) throw new RangeError('writeCost: give the item before or after the write');
  const table = writeUnits(Math.max(before ? itemSize(before) : 0, after ? itemSize(after) : 0));
  const perIndex: Record<string, number> = {};
  for (const index of indexes) {
    const oldKey = indexKey(before, index);
    const newKey = indexKey(after, index);
    let units = 0;
    if (oldKey !== undefined && newKey !== undefined) {
      units = oldKey === newKey ? writeUnits(itemSize(after!)) : writeUnits(itemSize(before!)) + writeUnits(itemSize(after!));
    } else if (oldKey !== undefined) {
      units = writeUnits(itemSize(before!));
    } else if (newKey !== undefined) {
      units = writeUnits(itemSize(after!));
    }
    perIndex[index.name] = units;
  }
  const total = table + Object.values(perIndex).reduce((sum, units) => sum + units, 0);
  return { table, indexes: perIndex, total };
}
