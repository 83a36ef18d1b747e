import { useQuery } from '@tanstack/react-query';
import { api } from '../../api.ts';

/** Only paths on this site: never an open redirect. */
export function safeReturnTo(value: string | null): string {
  return value?.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : '/';
}

export const PROVIDER_NAMES: Record<string, string> = { google: 'Google', replit: 'Replit' };

/** "Sign in with Google / Replit", shown only for the providers the server has configured. */
export function OAuthButtons({ returnTo }: { returnTo: string }) {
  const providers = useQuery({
    queryKey: ['oauth-providers'],
    queryFn: () => api<{ providers: string[] }>('/auth/oauth/providers'),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const list = providers.data?.providers ?? [];
  if (list.length === 0) return null;
  return (
    <div className="oauth">
      {list.map((p) => (
        <a key={p} className="button" href={`/api/v1/auth/oauth/${p}/start?returnTo=${encodeURIComponent(returnTo)}`}>
          Sign in with {PROVIDER_NAMES[p] ?? p}
        </a>
      ))}
    </div>
  );
}
