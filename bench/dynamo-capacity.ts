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
 * Global secondary indexes add writes (developer guide, "Global secondary indexes", writes): putting an
 * item that has the index's key attributes writes the index once; an update writes it once if the keys
 * stay and a projected attribute changes, not at all if neither keys nor projected attributes change,
 * twice if the keys change (delete + put), once if the keys are removed (delete) or added (put); nothing
 * if the item is in the index neither before nor after. An index write is sized by the index entry: the
 * whole item for projection ALL, else the table key, the index keys and the projected attributes.
 */

export type DynamoValue =
  | string
  | number
  | boolean
  | null
  | Uint8Array
  | DynamoValue[]
  | Set<string | number>
  | { [name: string]: DynamoValue };
export type DynamoItem = Record<string, DynamoValue>;

const utf8 = (text: string): number => Buffer.byteLength(text, 'utf8');

/** Bytes of a number: 1 per two significant digits (leading and trailing zeros trimmed) + 1. */
export function numberSize(value: number): number {
  if (!Number.isFinite(value)) throw new RangeError(`not a DynamoDB number: ${value}`);
  const digits = Math.abs(value).toExponential().replace(/e.*$/, '').replace('.', '').replace(/0+$/, '');
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

/**
 * RRU of one Query on a global secondary index (always eventually consistent): the index entries it reads,
 * their sizes summed and rounded up to 4 KB, halved; at least 0.5 even when it finds nothing.
 */
export function queryReadUnits(entries: readonly DynamoItem[]): number {
  return readUnits(
    entries.reduce((sum, entry) => sum + itemSize(entry), 0),
    'eventual',
  );
}

/** A global secondary index: its key attribute names and what it projects. */
export interface GsiKeys {
  name: string;
  hashKey: string;
  rangeKey?: string;
  /**
   * Every attribute an index entry holds (table key, index keys, projected non-key attributes), for a
   * KEYS_ONLY or INCLUDE projection. @default the whole item (projection ALL)
   */
  entryAttributes?: readonly string[];
}

/** The index entry of an item: the whole item (ALL), or the attributes the index holds. */
function indexEntry(item: DynamoItem, index: GsiKeys): DynamoItem {
  if (index.entryAttributes === undefined) return item;
  const entry: DynamoItem = {};
  for (const name of index.entryAttributes) if (item[name] !== undefined) entry[name] = item[name];
  return entry;
}

/** Two index entries hold the same attributes and values (binary compared by bytes). */
const sameEntry = (a: DynamoItem, b: DynamoItem): boolean => {
  const canonical = (entry: DynamoItem) =>
    JSON.stringify(
      Object.keys(entry)
        .sort()
        .map((name) => {
          const value = entry[name];
          return [
            name,
            value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value instanceof Set ? [...value].sort() : value,
          ];
        }),
    );
  return canonical(a) === canonical(b);
};

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
    const oldEntry = oldKey === undefined || before === undefined ? undefined : indexEntry(before, index);
    const newEntry = newKey === undefined || after === undefined ? undefined : indexEntry(after, index);
    if (oldEntry && newEntry) {
      if (oldKey !== newKey) units = writeUnits(itemSize(oldEntry)) + writeUnits(itemSize(newEntry));
      else units = sameEntry(oldEntry, newEntry) ? 0 : writeUnits(itemSize(newEntry));
    } else if (oldEntry) {
      units = writeUnits(itemSize(oldEntry));
    } else if (newEntry) {
      units = writeUnits(itemSize(newEntry));
    }
    perIndex[index.name] = units;
  }
  const total = table + Object.values(perIndex).reduce((sum, units) => sum + units, 0);
  return { table, indexes: perIndex, total };
}
