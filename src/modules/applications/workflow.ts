/**
 * The application status workflow, served to clients by GET /applications/workflow:
 *
 *   submitted -> reviewing | interview | rejected
 *   reviewing -> interview | accepted | rejected
 *   interview -> offer | accepted | rejected
 *   offer     -> accepted | rejected
 *   withdrawn from any open state; accepted and rejected are final.
 *
 * A withdrawal can be undone within WITHDRAW_UNDO_DAYS: the application returns to the status it had.
 */
import type { APPLICATION_STATUSES } from '../../db/schema/index.ts';

export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const NEXT_STATUSES: Record<ApplicationStatus, ApplicationStatus[]> = {
  submitted: ['reviewing', 'interview', 'rejected', 'withdrawn'],
  reviewing: ['interview', 'accepted', 'rejected', 'withdrawn'],
  interview: ['offer', 'accepted', 'rejected', 'withdrawn'],
  offer: ['accepted', 'rejected', 'withdrawn'],
  accepted: [],
  rejected: [],
  withdrawn: [],
};

export const OPEN_STATUSES = (Object.keys(NEXT_STATUSES) as ApplicationStatus[]).filter(
  (s) => NEXT_STATUSES[s].length > 0,
);

export const canMove = (from: ApplicationStatus, to: ApplicationStatus) => NEXT_STATUSES[from].includes(to);

/** How long a withdrawal can be undone. */
export const WITHDRAW_UNDO_DAYS = 7;

type HistoryEntry = { status: ApplicationStatus; at: Date };

/**
 * Where an application may go next. From `withdrawn` that is the status it had before, while the
 * withdrawal is younger than WITHDRAW_UNDO_DAYS; the history (oldest first) tells both.
 */
export function allowedMoves(from: ApplicationStatus, history: HistoryEntry[], now: Date): ApplicationStatus[] {
  if (from !== 'withdrawn') return NEXT_STATUSES[from];
  const withdrawal = history.findLastIndex((h) => h.status === 'withdrawn');
  const previous = history.slice(0, Math.max(withdrawal, 0)).findLast((h) => h.status !== 'withdrawn');
  const at = history[withdrawal]?.at;
  if (!previous || !at || now.getTime() - at.getTime() > WITHDRAW_UNDO_DAYS * 86_400_000) return [];
  return [previous.status];
}
