/**
 * The module committed in `terraform-module/` (so `source = "git::…//terraform-module?ref=vX"` works) is
 * what the build makes from the committed sources, byte for byte, handler zip included: the build is
 * deterministic (build-module.test.ts), and `npm test` rebuilds `dist/tasker-handler.zip` from the
 * handler sources before jest runs, so a change to the construct, the module builder or the handler
 * without `npm run build:module` fails here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildModuleIn, listFiles, REPO_ROOT, scratchDir } from './support/terraform-module-fixture';

const COMMITTED = join(REPO_ROOT, 'terraform-module');
const STALE = 'terraform-module/ is stale: run `npm run build:module` and commit the result';

describe('the committed terraform-module/', () => {
  const fresh = buildModuleIn(scratchDir('module-committed'));

  it('exists', () => {
    expect(existsSync(join(COMMITTED, 'main.tf.json'))).toBe(true);
  });

  it('holds exactly the files of a fresh build, each byte-identical', () => {
    expect({ files: listFiles(COMMITTED), hint: STALE }).toEqual({ files: listFiles(fresh), hint: STALE });
    for (const file of listFiles(fresh)) {
      const same = readFileSync(join(COMMITTED, file)).equals(readFileSync(join(fresh, file)));
      expect({ file, same, hint: STALE }).toEqual({ file, same: true, hint: STALE });
    }
  });
});
