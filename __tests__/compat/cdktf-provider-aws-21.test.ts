/**
 * Matrix line (b): cdktf 0.21 with @cdktf/provider-aws 21.x (hashicorp/aws 6.x), installed with the README's
 * `npm install` line with the provider's major changed, on the machine's Node. No aws 6 provider binary is
 * reachable here, so instead of `terraform validate` the package's own TypeScript sources are type-checked
 * against 21.x's bindings, which are generated from the aws 6 schema.
 */
import { join } from 'node:path';
import { REPO_ROOT, readmeInstallLine, writeRepositorySourcesTsconfig } from '../support/consumer-project';
import { machineNodeBinDir } from '../support/node-runtime';
import { describeMatrixLine } from './matrix-line';

const [, ...readmePackages] = readmeInstallLine('cdktf');
const packages = readmePackages.map((spec) => spec.replace(/^@cdktf\/provider-aws@.*$/, '@cdktf/provider-aws@21.x'));

describeMatrixLine({
  title: 'cdktf + @cdktf/provider-aws 21.x (hashicorp/aws 6.x)',
  flavour: 'cdktf',
  packages,
  nodeBinDir: async () => machineNodeBinDir(),
  nodeFloor: [20, 9],
  expectInstalled: { cdktf: /^0\.21\./, '@cdktf/provider-aws': /^21\./ },
  awsProviderPin: /^6\./,
  validateOffline: false,
  extra: (project) => {
    it("the package's sources type-check against @cdktf/provider-aws 21.x (aws 6 schema), no 20.x file in the program", async () => {
      const config = join(project().dir, 'tsconfig.repository-sources.json');
      writeRepositorySourcesTsconfig(config, join(project().dir, 'node_modules'), 'cdktf', '@cdktf/provider-aws');
      const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
      const program = (await project().run(process.execPath, [tsc, '-p', config, '--listFilesOnly'])).stdout.split('\n');
      const providerFiles = program.filter((file) => file.includes('/@cdktf/provider-aws/'));
      expect(providerFiles.length).toBeGreaterThan(10);
      expect(providerFiles.filter((file) => !file.startsWith(join(project().dir, 'node_modules')))).toEqual([]);
      await expect(project().run(process.execPath, [tsc, '-p', config])).resolves.toBeDefined();
    });
  },
});
