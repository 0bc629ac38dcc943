import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SfnRedshiftTaskerProps } from '../../modules/tasker-props';

const source = readFileSync(join(__dirname, '..', '..', 'modules', 'tasker-props.ts'), 'utf8');

/** `readonly name?: type;` members of an interface with the doc comment right above each. */
function documentedMembers(interfaceName: string): Array<{ name: string; optional: boolean; doc: string }> {
  const body = source.slice(source.indexOf(`export interface ${interfaceName}`));
  const block = body.slice(0, body.indexOf('\n}\n'));
  const members = [...block.matchAll(/(\/\*\*(?:(?!\*\/)[\s\S])*\*\/)?\s*readonly (\w+)(\??):/g)];
  return members.map((m) => ({ name: m[2], optional: m[3] === '?', doc: m[1] ?? '' }));
}

describe('tasker props documentation', () => {
  test('every optional prop of SfnRedshiftTaskerProps has a doc comment with @default', () => {
    const members = documentedMembers('SfnRedshiftTaskerProps');
    expect(members.length).toBeGreaterThan(20);
    for (const member of members) {
      expect({ prop: member.name, optional: member.optional, hasDefault: member.doc.includes('@default') }).toEqual({
        prop: member.name,
        optional: true,
        hasDefault: true,
      });
    }
  });

  test.each(['TaskerFunctionOptions', 'TaskerLoggingOptions', 'TaskerRoleOptions', 'TaskerAlarms'])(
    'every option of %s is optional and has @default',
    (name) => {
      const members = documentedMembers(name);
      expect(members.length).toBeGreaterThan(1);
      for (const member of members) {
        expect({ prop: member.name, optional: member.optional, hasDefault: member.doc.includes('@default') }).toEqual({
          prop: member.name,
          optional: true,
          hasDefault: true,
        });
      }
    },
  );

  test('every deprecated flat prop names its replacement', () => {
    const deprecated = documentedMembers('SfnRedshiftTaskerProps').filter((m) => m.doc.includes('@deprecated'));
    expect(deprecated.map((m) => m.name)).toEqual(
      expect.arrayContaining([
        'callbackTasker',
        'createCallbackInfra',
        'existingTableName',
        'encryptionKey',
        'lambdaMemorySize',
        'logLevel',
        'rolePath',
      ]),
    );
    for (const member of deprecated)
      expect({ prop: member.name, namesReplacement: /@deprecated Use `/.test(member.doc) }).toEqual({
        prop: member.name,
        namesReplacement: true,
      });
  });

  test.each(['ClusterTarget', 'WorkgroupTarget'])('every member of %s is documented', (name) => {
    for (const member of documentedMembers(name))
      expect({ prop: member.name, documented: member.doc.length > 10 }).toEqual({ prop: member.name, documented: true });
  });

  test('the shared-callback props say what they take from the other tasker and what must be granted', () => {
    const doc = (name: string) => documentedMembers('SfnRedshiftTaskerProps').find((m) => m.name === name)?.doc ?? '';
    expect(doc('callbackTasker')).toMatch(/Implies `createCallbackInfra: false`/);
    expect(doc('createCallbackInfra')).toMatch(/needs `existingTableName`, `statementNamePrefix` and `encryptionKey`/);
    expect(doc('createCallbackInfra')).toMatch(/statement-owner-iam-userid/);
    expect(doc('reservedConcurrency')).toMatch(/at least 2/);
    expect(documentedMembers('TaskerFunctionOptions').find((m) => m.name === 'reservedConcurrency')?.doc).toMatch(/at least 2/);
  });

  test("the original library's target shape type-checks", () => {
    const props: SfnRedshiftTaskerProps = { redshiftTargetProps: { clusterIdentifier: 'c', dbName: 'd', dbUser: 'u' } };
    expect(props.redshiftTargetProps?.dbName).toBe('d');
  });
});
