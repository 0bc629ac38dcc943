/** `next` / `end` options and their ASL form (`Next` or `End`), shared by every state helper that moves on. */
import { InvalidStateOptionsError } from './errors';

/** How a state moves on. */
export interface TransitionOptions {
  /**
   * Name of the state to run next. Give `next` or `end: true`, not both.
   * @default - none: the state ends the state machine (or its Parallel branch)
   */
  readonly next?: string;
  /**
   * End the state machine (or the Parallel branch) after this state.
   * @default - true when `next` is not given
   */
  readonly end?: boolean;
}

/** `Next` or `End`, from `next`/`end`: exactly one of them in the output. */
export function transition(name: string, options: TransitionOptions): { Next: string } | { End: true } {
  if (options.next !== undefined && options.end === true) {
    throw new InvalidStateOptionsError(name, 'give `next` or `end: true`, not both.');
  }
  if (options.next !== undefined) {
    if (options.next.trim() === '') throw new InvalidStateOptionsError(name, '`next` must name a state.');
    return { Next: options.next };
  }
  if (options.end === false) {
    throw new InvalidStateOptionsError(name, '`end: false` needs `next`.');
  }
  return { End: true };
}
