/**
 * The example app: every example stack in one cdktf App. `main.ts` synthesises it; tests build it
 * into scratch folders.
 */
import { App } from 'cdktf';
import { ClusterExampleStack } from './cluster-stack';
import { ServerlessExampleStack } from './serverless-stack';
import { SqlResourcesExampleStack } from './sql-resources/stack';

export const EXAMPLE_STACKS = ['cluster-example', 'serverless-example', 'sql-resources-example'] as const;

export interface ExampleAppOptions {
  /** Output folder. @default - `CDKTF_OUTDIR`, else `cdktf.out` */
  readonly outdir?: string;
}

export function buildExampleApp(options: ExampleAppOptions = {}): App {
  // No stack traces in metadata: they hold absolute paths of this machine.
  const app = new App({ outdir: options.outdir, stackTraces: false });
  // The tasker, and the example state machines using it.
  new ClusterExampleStack(app, 'cluster-example');
  new ServerlessExampleStack(app, 'serverless-example');
  // SQL as Terraform resources (schema, user, grants) through a tasker of its own.
  new SqlResourcesExampleStack(app, 'sql-resources-example');
  return app;
}
