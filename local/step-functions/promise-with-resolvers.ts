/**
 * `Promise.withResolvers` (Node ≥ 22) for Node 20: aws-local-stepfunctions 3 calls it in every Task
 * state and fails with "Promise.withResolvers is not a function" without it.
 */
export type WithResolvers = <T>() => {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
};

/** `Promise` with `withResolvers` typed (the project's lib predates ES2024). */
export const promiseConstructor = Promise as unknown as { withResolvers?: WithResolvers };
if (typeof promiseConstructor.withResolvers !== 'function') {
  promiseConstructor.withResolvers = <T>() => {
    let resolve!: (value: T | PromiseLike<T>) => void;
    let reject!: (reason?: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
