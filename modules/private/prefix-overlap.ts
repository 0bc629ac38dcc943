/**
 * Event rules match statement names by prefix, so a tasker whose statement name prefix begins another's
 * (`sfnrs-etl-` and `sfnrs-etl-nightly-`, from name prefixes `etl` and `etl-nightly`) also receives the other's
 * status events. Nothing goes wrong (the handler acknowledges a name that does not hold one of its keys without
 * a table read), but every such event costs a message and an invocation for nothing. EventBridge patterns cannot
 * say "this prefix and not that one", so the construct warns at synth time instead.
 */
import { Annotations, Token } from 'cdktf';
import type { IConstruct } from 'constructs';

/** A tasker with its own event rule, as the check sees it. */
export interface RuleOwner {
  /** Its construct path: names it in the warning. */
  readonly path: string;
  readonly statementNamePrefix: string;
}

/** The taskers in `others` whose event rule overlaps `self`'s: one prefix begins the other. Unresolved prefixes are skipped. */
export function overlappingRuleOwners(self: RuleOwner, others: readonly RuleOwner[]): RuleOwner[] {
  const mine = self.statementNamePrefix;
  if (Token.isUnresolved(mine)) return [];
  return others.filter((other) => {
    const theirs = other.statementNamePrefix;
    if (other.path === self.path || Token.isUnresolved(theirs) || theirs === mine) return false;
    return theirs.startsWith(mine) || mine.startsWith(theirs);
  });
}

/** Adds a synth warning to `scope` (the tasker `self`) for each tasker in `others` whose event rule overlaps its own. */
export function warnOfOverlappingRules(scope: IConstruct, self: RuleOwner, others: readonly RuleOwner[]): void {
  for (const other of overlappingRuleOwners(self, others)) {
    const [shorter, longer] = [self.statementNamePrefix, other.statementNamePrefix].sort((a, b) => a.length - b.length);
    Annotations.of(scope).addWarning(
      `statement name prefix '${self.statementNamePrefix}' overlaps '${other.statementNamePrefix}' of ${other.path}: the event rule ` +
        `matching '${shorter}' also receives the status events of statements named '${longer}…' (acknowledged without effect, ` +
        'but each costs a queue message and an invocation). Choose name prefixes where neither begins the other, or set ' +
        'statementNamePrefix.',
    );
  }
}
