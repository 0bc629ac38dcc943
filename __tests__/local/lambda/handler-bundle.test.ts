import { DEFAULT_HANDLER_ZIP, ensureHandlerZip, loadHandlerBundle } from '../../../local/lambda/handler-bundle';
import { invokeLambda } from '../../../local/lambda/invoke';
import { listZipEntries, readZipEntry } from '../../../local/lambda/zip-reader';

describe('handler bundle', () => {
  beforeAll(() => ensureHandlerZip());

  it('reads the entries of the shipped zip', () => {
    expect(listZipEntries(DEFAULT_HANDLER_ZIP)).toEqual(['index.js']);
    const code = readZipEntry(DEFAULT_HANDLER_ZIP, 'index.js').toString('utf8');
    expect(code).toContain('exports');
    expect(() => readZipEntry(DEFAULT_HANDLER_ZIP, 'missing.js')).toThrow(/no entry missing.js/);
  });

  it('refuses a file that is not a zip', () => {
    expect(() => listZipEntries(__filename)).toThrow(/not a zip archive/);
  });

  it('loads a fresh handler per call and invokes it like Lambda (errors become errorType/errorMessage)', async () => {
    const first = loadHandlerBundle();
    const second = loadHandlerBundle();
    expect(first).not.toBe(second);
    const saved = { ...process.env };
    try {
      // No tasker configuration in the environment: the handler refuses with its configuration error.
      for (const name of Object.keys(process.env))
        if (name.startsWith('REDSHIFT_') || name === 'TRACKING_TABLE_NAME') delete process.env[name];
      const result = await invokeLambda(first, { action: 'executeStatement', sqlStatement: 'select 1' });
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.errorType).toBe('ConfigurationError');
        expect(result.errorMessage).toMatch(/REDSHIFT_CLUSTER_IDENTIFIER or REDSHIFT_WORKGROUP_NAME/);
        expect(result.trace.length).toBeGreaterThan(0);
      }
    } finally {
      process.env = saved;
    }
  });

  it('gives a bundle its own environment: it reads that, not process.env, and leaves process.env alone', async () => {
    const saved = { ...process.env };
    try {
      process.env.REDSHIFT_DATABASE = 'from-process-env';
      const isolated = loadHandlerBundle({ env: { PATH: process.env.PATH ?? '' } });
      const result = await invokeLambda(isolated, { action: 'executeStatement', sqlStatement: 'select 1' });
      // The process environment names a database, the bundle's own does not: it refuses as unconfigured.
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.errorType).toBe('ConfigurationError');
      expect(process.env).toEqual({ ...saved, REDSHIFT_DATABASE: 'from-process-env' });
    } finally {
      process.env = saved;
    }
  });
});
