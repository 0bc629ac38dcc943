/**
 * Example: SQL as Terraform resources. A tasker for a provisioned cluster, and three SQL resources that
 * `terraform apply` creates in order (schema and user, then the grants) and `terraform destroy` removes in
 * reverse (grants revoked first, then the user and the schema are dropped), leaving the database clean.
 *
 * `cdktf deploy sql-resources-example`, or synthesise and run `terraform apply` in its output folder.
 */
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { SfnRedshiftTasker } from '../../modules/sfn-redshift-tasker';
import type { SqlResource, SqlResourceOptions } from '../../modules/sql-resource';
import { addExampleBackendAndProvider } from '../example-stack-base';
import { exampleSqlDefinitions, type ExampleSqlSettings } from './definitions';

export interface SqlResourcesExampleStackProps extends ExampleSqlSettings {
  /** Identifier of the cluster. @default 'analytics-cluster' */
  readonly clusterIdentifier?: string;
  /** Database the statements run in. @default 'dev' */
  readonly database?: string;
  /** Database user the tasker connects as; it must be allowed to create schemas and users. @default 'sfn_admin' */
  readonly dbUser?: string;
  /** Region used when the `aws_region` variable is not set. @default 'eu-west-1' */
  readonly defaultRegion?: string;
}

export class SqlResourcesExampleStack extends TerraformStack {
  public readonly tasker: SfnRedshiftTasker;
  public readonly schema: SqlResource;
  public readonly user: SqlResource;
  public readonly grants: SqlResource;

  constructor(scope: Construct, id: string, props: SqlResourcesExampleStackProps = {}) {
    super(scope, id);
    // Checked first: a bad name throws before anything is added.
    const sql = exampleSqlDefinitions(props);
    addExampleBackendAndProvider(this, id, {
      defaultRegion: props.defaultRegion,
      regionDescription: 'AWS region of the cluster and the tasker',
    });

    this.tasker = new SfnRedshiftTasker(this, 'Tasker', {
      namePrefix: 'sql-resources-example',
      redshiftTarget: {
        clusterIdentifier: props.clusterIdentifier ?? 'analytics-cluster',
        database: props.database ?? 'dev',
        dbUser: props.dbUser ?? 'sfn_admin',
      },
      // Statements of SQL resources must finish within the function timeout.
      function: { timeout: 300 },
      tags: { example: 'sql-resources' },
    });

    const add = (constructId: string, options: SqlResourceOptions, after: SqlResource[] = []): SqlResource =>
      this.tasker.sqlResource(constructId, { ...options, dependsOn: after.map((resource) => resource.invocation) });
    this.schema = add('Schema', sql.schema);
    this.user = add('User', sql.user);
    this.grants = add('Grants', sql.grants, [this.schema, this.user]);

    new TerraformOutput(this, 'grants_statement_id', {
      value: this.grants.statementId,
      description: 'Data API statement id of the last run of the grants SQL',
    }).overrideLogicalId('grants_statement_id');
  }
}
