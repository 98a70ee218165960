import { HEALTH_SUBJECTS } from '@giggles/contracts';

/** The subject a service answers health requests on, or undefined for a name that is not a Giggles service. */
export function healthSubjectOf(service: string): string | undefined {
  return Object.hasOwn(HEALTH_SUBJECTS, service) ? HEALTH_SUBJECTS[service as keyof typeof HEALTH_SUBJECTS] : undefined;
}
