// The cdktf app (`cdktf synth`, `npm run synth`): synthesises every example stack (`EXAMPLE_STACKS` in
// examples/app.ts: the cluster tasker with the example state machines, the serverless tasker, the SQL
// resources) into cdktf.out/.
import { buildExampleApp } from './examples/app';

buildExampleApp().synth();
