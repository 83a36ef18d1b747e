/** An application's next step as a calendar event: the download and the reminder e-mail's attachment agree. */
import { calendarFile } from '../../lib/ics.ts';

export type NextStep = {
  id: string;
  nextStep: string | null;
  nextStepAt: Date;
  job: { title: string; company: string } | null;
};

/** A one-hour event with a stable UID, so importing it again updates the same event. */
export function nextStepCalendar(application: NextStep, publicUrl: string, stamp = new Date()): string {
  const role = application.job ? `${application.job.title} at ${application.job.company}` : 'a job';
  return calendarFile({
    uid: `${application.id}-next-step@jobr`,
    stamp,
    start: application.nextStepAt,
    durationMinutes: 60,
    summary: `${application.nextStep ?? 'Next step'} — ${role}`,
    description: `Your application for ${role}.`,
    url: new URL(`/applications/${application.id}`, publicUrl).toString(),
  });
}
