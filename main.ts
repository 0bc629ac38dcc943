// The cdktf app (`cdktf synth`, `npm run synth`): synthesises the example stacks into cdktf.out/.
import { buildExampleApp } from './examples/app';

buildExampleApp().synth();
