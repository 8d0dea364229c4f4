/** A command used wrongly: its message is printed with the usage text, and the exit code is 2. */
export class UsageError extends Error {}
