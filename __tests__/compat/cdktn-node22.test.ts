/**
 * Matrix line (c): the cdktn flavour with the newest cdktn and @cdktn/provider-aws the registry serves, on
 * Node 22 (the `.nvmrc` release from npm where this process runs an older Node). The install is unversioned,
 * as a new user types it, so a newer cdktn or provider outside the flavour's peer ranges fails here (ERESOLVE).
 * @cdktn/provider-aws 25.x pins hashicorp/aws 6.x, which no machine here holds: no terraform validate (the
 * flavour's stacks are validated against aws 5.100.0 in __tests__/examples/cdktn/cdktn-project.test.ts).
 */
import { join } from 'node:path';
import { REPO_ROOT } from '../support/consumer-project';
import { nodeBinDirAtLeast } from '../support/node-runtime';
import { describeMatrixLine } from './matrix-line';

describeMatrixLine({
  title: 'cdktn flavour + newest cdktn / @cdktn/provider-aws (hashicorp/aws 6.x) on Node 22',
  flavour: 'cdktn',
  packages: ['cdktn', '@cdktn/provider-aws', 'constructs'],
  // @cdktn/provider-aws 25.x declares node >= 22.11.
  nodeBinDir: () => nodeBinDirAtLeast([22, 11], process.env.CDKTN_TEST_CACHE ?? join(REPO_ROOT, '.test-tmp', 'cdktn-cache')),
  nodeFloor: [22, 11],
  expectInstalled: { cdktn: /^0\.24\./, '@cdktn/provider-aws': /^25\./, constructs: /^10\.[67]\./ },
  awsProviderPin: /^6\./,
  validateOffline: false,
});
