/**
 * Borrowing aws-local-stepfunctions' own Task timeout, so a timeout the kit decides (on its clock) fails the
 * state with the library's `StatesTimeoutError`: only an instance of that class is kept out of the
 * `States.TaskFailed` wildcard of Retry and Catch, as AWS keeps timeouts out of it, and the class is not exported.
 *
 * The library's TaskStateAction calls the Task's local handler, then, in the same synchronous run,
 * `Promise.withResolvers()` and `setTimeout(() => reject(new StatesTimeoutError()), ms)`. `captureLibraryTaskTimer`,
 * called as the handler's last synchronous step, intercepts exactly those two calls once: the library's timer is
 * not started (so its 60 s default cap never applies), and `fire` later runs its callback. The interception
 * removes itself at the first call or at the next microtask, whichever comes first.
 */

import { promiseConstructor, type WithResolvers } from './promise-with-resolvers';

export interface LibraryTaskTimer {
  /** The library's timeout in ms (its 60 s default when the state sets none), once captured. */
  readonly libraryMs: () => number | undefined;
  /** Fails the state through the library's timer, the error renamed to `errorName`. False when nothing was captured. */
  fire(errorName: string, message: string): boolean;
}

export function captureLibraryTaskTimer(onCaptured: (libraryMs: number | undefined) => void): LibraryTaskTimer {
  const realSetTimeout = globalThis.setTimeout;
  const realWithResolvers = promiseConstructor.withResolvers as WithResolvers;
  let callback: (() => void) | undefined;
  let libraryMs: number | undefined;
  let rename: { name: string; message: string } | undefined;
  let restored = false;
  const restore = (): void => {
    if (restored) return;
    restored = true;
    globalThis.setTimeout = realSetTimeout;
    promiseConstructor.withResolvers = realWithResolvers;
    onCaptured(libraryMs);
  };

  promiseConstructor.withResolvers = function withResolvers<T>() {
    promiseConstructor.withResolvers = realWithResolvers;
    const resolvers = realWithResolvers.call(Promise) as ReturnType<WithResolvers> & { promise: Promise<T> };
    const reject = (error: unknown): void => {
      if (rename && error instanceof Error) {
        error.name = rename.name;
        error.message = rename.message;
      }
      resolvers.reject(error);
    };
    return { ...resolvers, reject };
  } as WithResolvers;

  globalThis.setTimeout = ((handler: () => void, ms?: number) => {
    callback = handler;
    libraryMs = ms;
    restore();
    // The library clears this handle when the Task ends: a no-op timer it can clear.
    return realSetTimeout(() => undefined, 0);
  }) as typeof setTimeout;
  queueMicrotask(restore);

  return {
    libraryMs: () => libraryMs,
    fire(errorName, message) {
      if (!callback) return false;
      rename = { name: errorName, message };
      callback();
      return true;
    },
  };
}
