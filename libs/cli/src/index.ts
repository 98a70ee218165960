
// `giggles import` as a function, for the end-to-end tests that run it against the real services.
export { registerImport } from './commands/import.command';
export type { OperatorIo } from './operator/operator-io';
