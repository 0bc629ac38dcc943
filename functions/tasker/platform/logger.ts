/**
 * The structured JSON logger (Powertools). One instance per container; level and service name come
 * from POWERTOOLS_LOG_LEVEL / POWERTOOLS_SERVICE_NAME, which Powertools reads itself.
 *
 * Rule for every log call in this handler: never log SQL parameter values or SQL text (literals may be
 * secrets); log `sqlHash` and `sqlLength` instead. Task tokens are logged shortened.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { SETTINGS } from '../../shared/settings';

// Powertools prefers constructor options over its environment variables, so pass the environment through.
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME || 'sfn-redshift-tasker',
  logLevel: (process.env.POWERTOOLS_LOG_LEVEL || SETTINGS.logLevel.default) as 'INFO',
});

/** A short, non-reversible form of a task token for logs (its first characters identify it to a human). */
export const shortToken = (token: string | undefined): string | undefined =>
  token === undefined ? undefined : `${token.slice(0, 12)}…(${token.length})`;
