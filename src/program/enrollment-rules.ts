import { STEP_COUNT } from './unlocking';

/**
 * What the coach may do with an enrollment, as plain rules the pages show and the services
 * enforce: a paid enrollment that is active can be refunded in full; a step can be opened by hand
 * only for an active member, and only one of the program's steps.
 */
export interface EnrollmentState {
  status: string;
  source: string;
}

export const canRefund = (e: EnrollmentState): boolean =>
  e.status === 'active' && e.source === 'payment';

export const canOpenSteps = (e: EnrollmentState): boolean => e.status === 'active';

/** The steps the coach can choose from: 1 … STEP_COUNT. */
export const stepNumbers = (): number[] => Array.from({ length: STEP_COUNT }, (_, i) => i + 1);
