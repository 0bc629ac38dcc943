/**
 * Overlapping event rules: a tasker whose statement name prefix begins another's also receives that tasker's
 * status events. The check itself (overlappingRuleOwners), and the warning the construct adds for taskers of one app.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { overlappingRuleOwners } from '../../../modules/private/prefix-overlap';
import { SfnRedshiftTasker } from '../../../modules/sfn-redshift-tasker';
import { CLUSTER_TARGET } from '../synth-helpers';

const owner = (path: string, statementNamePrefix: string) => ({ path, statementNamePrefix });
const warningsOf = (tasker: SfnRedshiftTasker): string[] =>
  tasker.node.metadata.filter((entry) => entry.type === '@cdktf/warn').map((entry) => String(entry.data));

describe('overlappingRuleOwners', () => {
  const etl = owner('s/etl', 'sfnrs-etl-');
  it('finds the taskers where one prefix begins the other, in both directions', () => {
    const nightly = owner('s/nightly', 'sfnrs-etl-nightly-');
    const other = owner('s/other', 'sfnrs-reports-');
    expect(overlappingRuleOwners(etl, [etl, nightly, other])).toEqual([nightly]);
    expect(overlappingRuleOwners(nightly, [etl, nightly, other])).toEqual([etl]);
    expect(overlappingRuleOwners(other, [etl, nightly, other])).toEqual([]);
  });

  it('skips the same prefix (a reused callback path has no rule of its own) and prefixes known only at plan time', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 's');
    const variable = new TerraformVariable(stack, 'prefix', { type: 'string' });
    expect(overlappingRuleOwners(etl, [owner('s/twin', 'sfnrs-etl-')])).toEqual([]);
    expect(overlappingRuleOwners(etl, [owner('s/module', variable.stringValue)])).toEqual([]);
    expect(overlappingRuleOwners(owner('s/module', variable.stringValue), [etl])).toEqual([]);
  });
});

describe('SfnRedshiftTasker: overlapping event rules in one app', () => {
  it('warns on the later of two taskers whose prefixes overlap, naming both; synth still succeeds', () => {
    const app = Testing.app();
    const first = new TerraformStack(app, 'first');
    const second = new TerraformStack(app, 'second');
    for (const stack of [first, second]) new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const etl = new SfnRedshiftTasker(first, 'etl', { redshiftTarget: CLUSTER_TARGET, namePrefix: 'etl' });
    const nightly = new SfnRedshiftTasker(second, 'nightly', { redshiftTarget: CLUSTER_TARGET, namePrefix: 'etl-nightly' });
    const reports = new SfnRedshiftTasker(second, 'reports', { redshiftTarget: CLUSTER_TARGET, namePrefix: 'reports' });

    expect(warningsOf(etl)).toEqual([]);
    expect(warningsOf(reports)).toEqual([]);
    const [warning, ...more] = warningsOf(nightly);
    expect(more).toEqual([]);
    expect(warning).toContain("'sfnrs-etl-nightly-' overlaps 'sfnrs-etl-' of first/etl");
    expect(warning).toContain(
      "the event rule matching 'sfnrs-etl-' also receives the status events of statements named 'sfnrs-etl-nightly-…'",
    );
    expect(() => Testing.synth(second)).not.toThrow();
  });

  it("does not warn for a tasker that reuses another's callback path (same prefix, no rule of its own)", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'one');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const owner = new SfnRedshiftTasker(stack, 'owner', { redshiftTarget: CLUSTER_TARGET, namePrefix: 'etl' });
    const reuser = new SfnRedshiftTasker(stack, 'reuser', { redshiftTarget: CLUSTER_TARGET, namePrefix: 'etl-more', callbackPath: owner });
    expect([...warningsOf(owner), ...warningsOf(reuser)]).toEqual([]);
  });
});
