/**
 * Matrix line (a): cdktf 0.21 with @cdktf/provider-aws 20.x (hashicorp/aws 5.x), installed with the README's
 * own `npm install` line, on the machine's Node (20 on CI: the construct's consumers may run Node >= 20.9).
 * terraform validate runs here: 20.1.0 pins aws 5.100.0, which the offline mirror holds.
 */
import { readmeInstallLine } from '../support/consumer-project';
import { machineNodeBinDir } from '../support/node-runtime';
import { describeMatrixLine } from './matrix-line';

const [, ...packages] = readmeInstallLine('cdktf');

describeMatrixLine({
  title: 'cdktf + @cdktf/provider-aws 20.x (hashicorp/aws 5.x)',
  flavour: 'cdktf',
  packages,
  nodeBinDir: async () => machineNodeBinDir(),
  nodeFloor: [20, 9],
  expectInstalled: { cdktf: /^0\.21\./, '@cdktf/provider-aws': /^20\./ },
  awsProviderPin: /^5\./,
  validateOffline: true,
});
