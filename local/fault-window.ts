/**
 * When an injected fault applies, in kit time (clock.ts): a window `{ fromMs, untilMs }` of kit milliseconds
 * since the kit started (from inclusive, until exclusive), or a function of that elapsed time. Unlike the count
 * form (`injectError`, `failNext`), a window is not used up by whichever call comes next: "SendTaskSuccess fails
 * from t = 5 s to t = 35 s" fails every call in that span and none after.
 */
export type FaultWindow = { fromMs: number; untilMs: number } | ((elapsedMs: number) => boolean);

/** Whether `window` covers kit time `elapsedMs`. */
export function isInWindow(window: FaultWindow, elapsedMs: number): boolean {
  return typeof window === 'function' ? window(elapsedMs) === true : elapsedMs >= window.fromMs && elapsedMs < window.untilMs;
}

/** Throws (naming `caller`) for a window that is neither a function nor `fromMs` ≤ `untilMs`, both non-negative numbers. */
export function checkFaultWindow(window: FaultWindow, caller: string): void {
  if (typeof window === 'function') return;
  const { fromMs, untilMs } = (window ?? {}) as { fromMs?: unknown; untilMs?: unknown };
  const valid = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;
  if (!valid(fromMs) || !valid(untilMs) || untilMs < fromMs) {
    throw new Error(
      `${caller}: the window must be a function of the kit's elapsed milliseconds or { fromMs, untilMs } with 0 ≤ fromMs ≤ untilMs`,
    );
  }
}
