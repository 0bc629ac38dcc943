/**
 * The legacy adapter for "whose callback path": `callbackPath`, and the deprecated `callbackTasker`,
 * `createCallbackInfra: false` + `existingTableName` + `statementNamePrefix` + `encryptionKey`, all map into
 * one `ResolvedCallbackPath` (own / another tasker's / external table and key), which is all the construct reads.
 */
import { Token } from 'cdktf';
import { mayBeNull } from '../plan-time';
import type { ExternalCallbackPath, SfnRedshiftTaskerProps } from '../tasker-props';
import type { ResolvedCallbackPath } from '../tasker-config';
import type { GroupedOptions } from './legacy-props';

const isBlank = (value: string | undefined): boolean => value === undefined || (!Token.isUnresolved(value) && value.trim() === '');

/** The props `callbackPath` replaces: giving one of them with it is a problem. */
const CALLBACK_PATH_REPLACES = [
  'callbackTasker',
  'createCallbackInfra',
  'existingTableName',
  'statementNamePrefix',
  'encryptionKey',
  'encryptionKeyArn',
] as const;

/** The external form of `callbackPath` names a table; a tasker has a `trackingTable` instead. */
export function isExternalCallbackPath(path: SfnRedshiftTaskerProps['callbackPath']): path is ExternalCallbackPath {
  return path !== undefined && 'tableName' in path;
}

/** The callback path the props describe, in whichever spelling; pushes a problem for each contradiction or missing piece. */
export function resolveCallbackPath(props: SfnRedshiftTaskerProps, options: GroupedOptions, problems: string[]): ResolvedCallbackPath {
  if (props.existingTableName !== undefined && isBlank(props.existingTableName)) problems.push('existingTableName must not be empty');
  const path = props.callbackPath;
  if (path !== undefined) {
    const given = CALLBACK_PATH_REPLACES.filter((name) => props[name] !== undefined);
    if (given.length > 0) problems.push(`callbackPath replaces ${given.join(', ')}; give only callbackPath`);
    if (!isExternalCallbackPath(path)) return taskerPath(path, problems);
    for (const name of ['tableName', 'statementNamePrefix', 'encryptionKeyArn'] as const) {
      if (isBlank(path[name])) problems.push(`callbackPath.${name} must not be empty`);
    }
    if (mayBeNull(path.encryptionKeyArn)) {
      problems.push('callbackPath.encryptionKeyArn must not be an orNull reference (the key that encrypts the reused table)');
    }
    return {
      kind: 'external',
      tableName: path.tableName,
      statementNamePrefix: path.statementNamePrefix,
      encryptionKeyArn: path.encryptionKeyArn,
    };
  }
  if (props.callbackTasker !== undefined) return legacyTaskerPath(props.callbackTasker, props, options, problems);
  if (props.createCallbackInfra === false) return legacyExternalPath(props, options, problems);
  return { kind: 'own', encryptionKeyArn: options.encryptionKey?.arn, existingTableName: props.existingTableName };
}

function taskerPath(owner: NonNullable<SfnRedshiftTaskerProps['callbackTasker']>, problems: string[]): ResolvedCallbackPath {
  if (owner.config.callbackPath.kind !== 'own') {
    problems.push(
      `callbackTasker '${owner.node.id}' has no callback path of its own (createCallbackInfra: false); give the tasker that has one`,
    );
  }
  return { kind: 'tasker', owner };
}

/** `callbackTasker` brings the table, prefix and key: giving them too is a mistake. */
function legacyTaskerPath(
  owner: NonNullable<SfnRedshiftTaskerProps['callbackTasker']>,
  props: SfnRedshiftTaskerProps,
  options: GroupedOptions,
  problems: string[],
): ResolvedCallbackPath {
  const id = owner.node.id;
  if (props.createCallbackInfra === true) {
    problems.push(
      `callbackTasker '${id}' means createCallbackInfra: false (this tasker reuses its callback path); omit createCallbackInfra`,
    );
  }
  if (props.existingTableName !== undefined) problems.push(`existingTableName comes from callbackTasker '${id}'; do not give it too`);
  if (props.statementNamePrefix !== undefined) problems.push(`statementNamePrefix comes from callbackTasker '${id}'; do not give it too`);
  if (options.encryptionKey !== undefined)
    problems.push(`${options.encryptionKey.propName} comes from callbackTasker '${id}'; do not give it too`);
  return taskerPath(owner, problems);
}

/** `createCallbackInfra: false` without `callbackTasker`: the table, prefix and key of a tasker in another stack. */
function legacyExternalPath(props: SfnRedshiftTaskerProps, options: GroupedOptions, problems: string[]): ResolvedCallbackPath {
  if (isBlank(props.existingTableName)) {
    problems.push('createCallbackInfra: false needs existingTableName (the table of the tasker whose callback path is reused)');
  }
  if (isBlank(props.statementNamePrefix)) {
    problems.push('createCallbackInfra: false needs statementNamePrefix (the prefix the reused event rule matches)');
  }
  const keyArn = options.encryptionKey?.arn;
  if (isBlank(keyArn) || mayBeNull(keyArn)) {
    problems.push(
      'createCallbackInfra: false needs encryptionKey, not an orNull reference (the key that encrypts the reused table); in the same ' +
        'stack, give callbackTasker instead',
    );
  }
  return {
    kind: 'external',
    tableName: props.existingTableName as string,
    statementNamePrefix: props.statementNamePrefix as string,
    encryptionKeyArn: keyArn as string,
  };
}

/** The deprecated config fields, derived from the callback path for readers of the old names. */
export function legacyCallbackFields(path: ResolvedCallbackPath): {
  createCallbackInfra: boolean;
  encryptionKeyArn?: string;
  existingTableName?: string;
} {
  switch (path.kind) {
    case 'own':
      return { createCallbackInfra: true, encryptionKeyArn: path.encryptionKeyArn, existingTableName: path.existingTableName };
    case 'tasker':
      return {
        createCallbackInfra: false,
        encryptionKeyArn: path.owner.encryptionKey.arn,
        existingTableName: path.owner.trackingTable.name,
      };
    case 'external':
      return { createCallbackInfra: false, encryptionKeyArn: path.encryptionKeyArn, existingTableName: path.tableName };
  }
}

/** The statement name prefix the path dictates (another tasker's, or the external one's); undefined for an own path. */
export function dictatedStatementNamePrefix(path: ResolvedCallbackPath): string | undefined {
  if (path.kind === 'tasker') return path.owner.statementNamePrefix;
  if (path.kind === 'external') return path.statementNamePrefix;
  return undefined;
}
