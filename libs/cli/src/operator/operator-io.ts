/**
 * Where an operator command writes and what it reads from its surroundings. The real one is the
 * process; tests pass their own to capture output and fix "now".
 */
export interface OperatorIo {
  out(text: string): void;
  err(text: string): void;
  setExitCode(code: number): void;
  env: NodeJS.ProcessEnv;
  now(): number;
}

export const processIo: OperatorIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  setExitCode: (code) => {
    process.exitCode = code;
  },
  env: process.env,
  now: () => Date.now(),
};

/** Exit codes shared by the operator commands (and `analyze`: usage errors are 2). */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
