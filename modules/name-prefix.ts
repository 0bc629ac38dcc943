/**
 * The rule a tasker's name prefix follows (prop `namePrefix`, module input `name_prefix`): read by the
 * props checks and by the module builder's variable validation, so both state the same limit.
 */

/** Longest name prefix: keeps every derived name (the longest adds 17 characters) within the 64 characters IAM and EventBridge allow. */
export const NAME_PREFIX_MAX = 40;
