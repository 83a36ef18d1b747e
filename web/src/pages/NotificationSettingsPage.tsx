import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../api.ts';
import { ErrorMessage, Loading, Page, RequireUser } from '../ui.tsx';

type Settings = {
  statusChangeInApp: boolean;
  statusChangeEmail: boolean;
  reminderEmail: boolean;
  followUpDigestEmail: boolean;
  followUpAfterDays: number;
};

const CHOICES: Array<[keyof Settings, string]> = [
  ['statusChangeInApp', 'Tell me in the app when someone else moves my application'],
  ['statusChangeEmail', 'E-mail me when someone else moves my application'],
  ['reminderEmail', 'E-mail reminders for the next steps I set'],
  ['followUpDigestEmail', 'A weekly e-mail listing applications to follow up'],
];

/** The page the "Choose which e-mails you get" link in every e-mail opens (/account/notifications). */
export function Component() {
  return (
    <RequireUser>
      <Page title="Notification settings">
        <SettingsForm />
        <p>
          <Link to="/notifications">Your notifications</Link> ·{' '}
          <Link to="/saved-searches">Job alerts (saved searches)</Link>
        </p>
      </Page>
    </RequireUser>
  );
}

function SettingsForm() {
  const client = useQueryClient();
  const settings = useQuery({
    queryKey: ['notification-settings'],
    queryFn: () => api<Settings>('/me/notification-settings'),
  });
  const save = useMutation({
    mutationFn: (body: Settings) => api<Settings>('/me/notification-settings', { method: 'PATCH', body }),
    onSuccess: (data) => client.setQueryData(['notification-settings'], data),
  });
  if (settings.isPending) return <Loading />;
  if (settings.error) return <ErrorMessage error={settings.error} />;
  const s = settings.data;
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    save.mutate({
      statusChangeInApp: form.get('statusChangeInApp') === 'on',
      statusChangeEmail: form.get('statusChangeEmail') === 'on',
      reminderEmail: form.get('reminderEmail') === 'on',
      followUpDigestEmail: form.get('followUpDigestEmail') === 'on',
      followUpAfterDays: Number(form.get('followUpAfterDays')),
    });
  };
  return (
    <form className="card stack narrow" onSubmit={onSubmit}>
      {CHOICES.map(([key, text]) => (
        <label key={key} className="check">
          <input type="checkbox" name={key} defaultChecked={Boolean(s[key])} /> {text}
        </label>
      ))}
      <label htmlFor="follow-days">Follow up when there is no answer after (days)</label>
      <input
        id="follow-days"
        name="followUpAfterDays"
        type="number"
        min={1}
        max={365}
        defaultValue={s.followUpAfterDays}
        required
      />
      <ErrorMessage error={save.error} />
      {save.isSuccess && (
        <p className="ok" role="status">
          Saved.
        </p>
      )}
      <button type="submit" className="primary" disabled={save.isPending}>
        Save
      </button>
    </form>
  );
}
