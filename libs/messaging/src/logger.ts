/** The slice of pino's API the messaging helpers log through; a pino logger satisfies it. */
export interface MessagingLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

function line(level: string, fields: object, message: string): string {
  return JSON.stringify({ level, time: new Date().toISOString(), msg: message, ...fields });
}

/** Used when a caller passes no logger: failures must never be silent. */
export const stderrLogger: MessagingLogger = {
  info: (fields, message) => process.stderr.write(`${line('info', fields, message)}\n`),
  warn: (fields, message) => process.stderr.write(`${line('warn', fields, message)}\n`),
  error: (fields, message) => process.stderr.write(`${line('error', fields, message)}\n`),
};

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
