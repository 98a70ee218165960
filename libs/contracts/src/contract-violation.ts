/**
 * A value that does not match its wire contract. Never worth retrying: the same bytes fail the
 * same way on every delivery, so consumers dead-letter it at once.
 */
export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';

  constructor(
    /** Which contract was checked, e.g. `DayJob` or a subject. */
    readonly contract: string,
    /** One entry per bad field, e.g. `userId must be a UUID`. */
    readonly problems: readonly string[],
  ) {
    super(`${contract} violates its contract: ${problems.join('; ')}`);
  }
}
