/**
 * The application status workflow: submitted -> reviewing -> interview -> accepted | rejected, and
 * withdrawn from any state that is not final. Accepted, rejected and withdrawn are final.
 */
import type { APPLICATION_STATUSES } from '../../db/schema/index.ts';

export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const NEXT_STATUSES: Record<ApplicationStatus, ApplicationStatus[]> = {
  submitted: ['reviewing', 'withdrawn'],
  reviewing: ['interview', 'withdrawn'],
  interview: ['accepted', 'rejected', 'withdrawn'],
  accepted: [],
  rejected: [],
  withdrawn: [],
};

export const canMove = (from: ApplicationStatus, to: ApplicationStatus) => NEXT_STATUSES[from].includes(to);
