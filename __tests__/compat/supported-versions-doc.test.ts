/**
 * docs/supported-versions.md states the ranges the packages declare: each figure it quotes is read here from
 * where it is declared (package.json, the cdktn flavour's manifest, .nvmrc, the module builder), so the table
 * cannot drift from them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TASKER_RUNTIME } from '../../modules/sfn-redshift-tasker';
import { AWS_PROVIDER_VERSION_RANGE, TERRAFORM_VERSION_RANGE } from '../../module-builder/child-module';
import { CDKTN_ENGINES, CDKTN_PEER_DEPENDENCIES } from '../../scripts/cdktn-flavour';
import { DEVELOPMENT_NODE_VERSION } from '../support/node-runtime';

const ROOT = join(__dirname, '..', '..');
const doc = readFileSync(join(ROOT, 'docs', 'supported-versions.md'), 'utf8');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const row = (component: string): string => {
  const line = doc.split('\n').find((l) => l.startsWith(`| ${component}`));
  if (!line) throw new Error(`docs/supported-versions.md: no row for ${component}`);
  return line;
};

describe('docs/supported-versions.md', () => {
  it('gives the Node floors package.json, the flavour and .nvmrc declare', () => {
    expect(manifest.engines.node).toBe('>=20.9');
    expect(row('Node.js, construct')).toContain('>= 20.9');
    expect(CDKTN_ENGINES.node).toBe('>=22.11');
    expect(row('Node.js, cdktn flavour')).toContain('>= 22.11');
    expect(row('Node.js, developing')).toContain(DEVELOPMENT_NODE_VERSION);
    expect(DEVELOPMENT_NODE_VERSION).toMatch(/^22\./);
  });

  it('gives the peer ranges of both packages', () => {
    expect(manifest.peerDependencies['@cdktf/provider-aws']).toBe('20.x || 21.x');
    expect(row('`@cdktf/provider-aws`')).toMatch(/20\.x .*or 21\.x/);
    expect(manifest.peerDependencies.cdktf).toBe('0.21.x');
    expect(row('cdktf')).toContain('0.21.x');
    expect(CDKTN_PEER_DEPENDENCIES).toEqual({ cdktn: '0.24.x', '@cdktn/provider-aws': '25.x', constructs: '>=10.6.0 <10.8.0' });
    expect(row('cdktn')).toContain('cdktn 0.24.x with @cdktn/provider-aws 25.x, constructs >= 10.6.0 < 10.8.0');
  });

  it("gives the module's aws and Terraform ranges, and the Lambda runtime", () => {
    expect(row('hashicorp/aws')).toContain(`\`${AWS_PROVIDER_VERSION_RANGE}\``);
    expect(row('Terraform')).toContain(`\`${TERRAFORM_VERSION_RANGE}\``);
    expect(row('Lambda runtime')).toContain(`\`${TASKER_RUNTIME.runtime}\``);
  });
});
