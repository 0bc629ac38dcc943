/**
 * Jest hooks that start the local services before tests and stop them after, so a describe block
 * declares what it needs in one line. Each returns a stand-in that forwards to the instance running
 * now (a new one per test, or one per describe block), used exactly like the instance itself.
 */
import {
  startLocalRedshiftData,
  type LocalRedshiftData,
  type LocalRedshiftDataOptions,
  type StatusChangeEvent,
} from '../../../local/redshift-data';
import { startHandlerHarness, type HandlerHarness, type HandlerHarnessOptions } from './harness';

/**
 * An object that forwards every property read to `current()`, bound to it. Reading it outside the
 * hooks' lifetime (e.g. at describe time) throws instead of silently reaching a stopped instance.
 */
function forwardTo<T extends object>(what: string, current: () => T | undefined): T {
  return new Proxy({} as T, {
    get(_target, property) {
      const instance = current();
      if (instance === undefined) throw new Error(`${what} is used outside a test (it runs only between its hooks)`);
      const value: unknown = Reflect.get(instance, property);
      return typeof value === 'function' ? value.bind(instance) : value;
    },
  });
}

export interface UseHandlerHarnessOptions extends Omit<HandlerHarnessOptions, 'env'> {
  /** 'each': a fresh harness for every test; 'all': one harness for the whole describe block. @default 'each' */
  per?: 'each' | 'all';
  /**
   * Environment settings for the harness; a function is called when the harness starts, so it may read
   * a service started in an earlier `beforeAll` (e.g. its endpoint). @default {}
   */
  env?: Record<string, string> | (() => Record<string, string>);
}

/** Starts a handler harness before each test (or once) and stops it after. */
export function useHandlerHarness(options: UseHandlerHarnessOptions = {}): HandlerHarness {
  const { per = 'each', env = {}, ...harnessOptions } = options;
  let harness: HandlerHarness | undefined;
  (per === 'each' ? beforeEach : beforeAll)(async () => {
    harness = await startHandlerHarness({ ...harnessOptions, env: typeof env === 'function' ? env() : env });
  });
  (per === 'each' ? afterEach : afterAll)(async () => {
    await harness?.stop();
    harness = undefined;
  });
  return forwardTo('the handler harness', () => harness);
}

export interface PostgresDataApi {
  /** The PostgreSQL-backed local Data API, started once for the describe block. */
  api: LocalRedshiftData;
  /** Status-change events it emitted during the current test (emptied before each test). */
  events: StatusChangeEvent[];
  /** Waits (up to 10 s) for the event of `statementId` in the current test. */
  eventFor(statementId: string): Promise<StatusChangeEvent>;
}

/**
 * Starts the PostgreSQL-backed local Data API once for the describe block (PGlite takes seconds to
 * start) and collects its events per test. Point a harness at it with
 * `useHandlerHarness({ env: () => ({ AWS_ENDPOINT_URL_REDSHIFT_DATA: api.endpoint }) })`.
 */
export function usePostgresDataApi(options: LocalRedshiftDataOptions = {}): PostgresDataApi {
  let api: LocalRedshiftData | undefined;
  const events: StatusChangeEvent[] = [];
  beforeAll(async () => {
    api = await startLocalRedshiftData(options);
    api.onEvent((event) => events.push(event));
  });
  afterAll(async () => {
    await api?.stop();
    api = undefined;
  });
  beforeEach(() => {
    events.length = 0;
  });
  const eventFor = async (statementId: string): Promise<StatusChangeEvent> => {
    for (let waited = 0; waited < 10_000; waited += 20) {
      const found = events.find((event) => event.detail.statementId === statementId);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no event for ${statementId}`);
  };
  return { api: forwardTo('the local Data API', () => api), events, eventFor };
}
