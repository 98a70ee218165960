import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** The tsconfig that makes tsx compile every service and lib source with legacy decorators. */
export const SERVICES_TSCONFIG = join(__dirname, '..', 'tsconfig.services.json');

/**
 * Scripts run from source through tsx, which applies `experimentalDecorators` only to files that
 * the tsconfig it found includes — and from the repository root it finds none, so the
 * class-validator decorators of @giggles/contracts would be compiled as standard decorators and
 * fail at load. tsx reads TSX_TSCONFIG_PATH when it starts, so a script that needs contracts
 * calls this first (before importing anything that loads contracts): without the variable it
 * runs itself again as a child with it set, then exits with the child's status; returns false
 * when this process may go on.
 *
 * Not used under vitest (SWC compiles decorators there) or from built JavaScript.
 */
export function relaunchedWithDecorators(): boolean {
  if (process.env.TSX_TSCONFIG_PATH || !process.execArgv.some((a) => a.includes('tsx'))) return false;
  const result = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, TSX_TSCONFIG_PATH: SERVICES_TSCONFIG },
  });
  if (result.error) throw result.error;
  process.exit(result.status ?? 1);
}
