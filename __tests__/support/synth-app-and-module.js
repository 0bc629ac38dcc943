// Synthesises the example app and the Terraform module from a compiled `lib/` folder (cdktf's, or the cdktn
// flavour's) into <out>/app and <out>/module. Run with node in a child process, so each flavour loads the CDK
// its own imports name (resolved from where that lib folder sits).
//   node synth-app-and-module.js <lib dir> <out dir>
const { mkdirSync } = require('node:fs');
const { join } = require('node:path');

const [libDir, outDir] = process.argv.slice(2);
const { buildExampleApp } = require(join(libDir, 'examples', 'app.js'));
const { buildTerraformModule } = require(join(libDir, 'module-builder', 'build-module.js'));
mkdirSync(join(outDir, 'app'), { recursive: true });
buildExampleApp({ outdir: join(outDir, 'app') }).synth();
buildTerraformModule({ outDir: join(outDir, 'module') });
