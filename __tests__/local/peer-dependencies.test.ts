import { LOCAL_KIT_PACKAGES, LocalKitDependencyError, PGLITE_PACKAGE, requirePeers } from '../../local/peer-dependencies';
import manifest from '../../package.json';

describe('local kit peer dependencies', () => {
  it('are optional peer dependencies of the package, with ranges the installed versions satisfy', () => {
    const peers = manifest.peerDependencies as Record<string, string>;
    const meta = (manifest as { peerDependenciesMeta?: Record<string, { optional?: boolean }> }).peerDependenciesMeta ?? {};
    for (const name of [...LOCAL_KIT_PACKAGES, PGLITE_PACKAGE]) {
      expect(peers[name]).toBeDefined();
      expect(meta[name]).toEqual({ optional: true });
    }
    expect(() => requirePeers([...LOCAL_KIT_PACKAGES, PGLITE_PACKAGE])).not.toThrow();
  });

  it('names every missing package with the range to install, and the hint', () => {
    let error: unknown;
    try {
      requirePeers(['dynalite', 'no-such-package-sfnrs', '@no-such/scope-sfnrs', 'pg'], ' (for the test)');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(LocalKitDependencyError);
    const { missing, message } = error as LocalKitDependencyError;
    expect(missing).toEqual(['no-such-package-sfnrs', '@no-such/scope-sfnrs']);
    expect(message).toBe(
      'cdktf-stepfunctions-redshift/local needs no-such-package-sfnrs, @no-such/scope-sfnrs, not installed (for the test). ' +
        'Install them as dev dependencies: npm install --save-dev no-such-package-sfnrs @no-such/scope-sfnrs',
    );
  });
});
