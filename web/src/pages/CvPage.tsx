import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useParams } from 'react-router';
import { ApiError, api } from '../api.ts';
import type { Cv } from '../types.ts';
import { ErrorMessage, Loading, Page, RequireUser } from '../ui.tsx';
import { CorrectProfile } from './cv/Corrections.tsx';
import { NotFound } from './NotFound.tsx';

/** Below this confidence the parser's guess is marked for the user to check. */
const LOW = 0.6;

export function Component() {
  return (
    <RequireUser>
      <CvView />
    </RequireUser>
  );
}

function CvView() {
  const { id = '' } = useParams();
  const cv = useQuery({ queryKey: ['cv', id], queryFn: () => api<Cv>(`/cvs/${encodeURIComponent(id)}`) });
  if (cv.isPending) return <Loading />;
  if (cv.error instanceof ApiError && (cv.error.status === 404 || cv.error.status === 400))
    return <NotFound what="CV" />;
  if (cv.error) return <ErrorMessage error={cv.error} />;
  const { profile: p } = cv.data;
  return (
    <Page
      title={cv.data.fileName}
      actions={
        <a className="button" href={`/api/v1/cvs/${cv.data.id}/file`} download>
          Download the original
        </a>
      }
    >
      <p className="muted">
        What we read from the file. Fields marked <span className="low">check</span> are guesses we are unsure about.
      </p>
      <Section title="Contact" conf={Math.min(p.name?.confidence ?? 1, p.email?.confidence ?? 1)}>
        <dl className="pairs">
          <Pair k="Name" f={p.name} />
          <Pair k="Headline" f={p.headline} />
          <Pair k="E-mail" f={p.email} />
          <Pair k="Phone" f={p.phone} />
          <Pair k="Location" f={p.location} />
          <Pair k="Links" f={p.links && { value: p.links.value.join(', ') || null, confidence: p.links.confidence }} />
          <Pair
            k="Years of experience"
            f={
              p.totalYearsExperience && {
                value: p.totalYearsExperience.value?.toString() ?? null,
                confidence: p.totalYearsExperience.confidence,
              }
            }
          />
        </dl>
      </Section>
      {p.summary?.value && (
        <Section title="Summary" conf={p.summary.confidence}>
          <p className="prose">{p.summary.value}</p>
        </Section>
      )}
      <Section title="Skills" conf={p.skills?.confidence}>
        <ul className="chips">
          {(p.skills?.value ?? []).map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ul>
      </Section>
      <Section title="Experience" conf={p.experience?.confidence}>
        <ul className="list">
          {(p.experience?.value ?? []).map((e, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the parsed list never reorders
            <li key={i}>
              <strong>{[e.title, e.company].filter(Boolean).join(' at ') || 'Role'}</strong>{' '}
              <span className="muted">{[e.start, e.end].filter(Boolean).join(' – ')}</span>
              {e.description && <p className="prose">{e.description}</p>}
            </li>
          ))}
        </ul>
      </Section>
      <Section title="Education" conf={p.education?.confidence}>
        <ul className="list">
          {(p.education?.value ?? []).map((e, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the parsed list never reorders
            <li key={i}>
              {[degreeWithField(e), e.institution, e.grade].filter(Boolean).join(', ')}{' '}
              <span className="muted">{[e.start, e.end].filter(Boolean).join(' – ')}</span>
            </li>
          ))}
        </ul>
      </Section>
      {p.languages && p.languages.value.length > 0 && (
        <Section title="Languages" conf={p.languages.confidence}>
          <p>{p.languages.value.join(', ')}</p>
        </Section>
      )}
      <CorrectProfile cv={cv.data} />
      <details>
        <summary>The full text we extracted</summary>
        <pre className="cv-text">{cv.data.parsedContent}</pre>
      </details>
    </Page>
  );
}

function Low({ conf }: { conf: number | undefined }) {
  return conf !== undefined && conf < LOW ? (
    <span className="low" title={`confidence ${Math.round(conf * 100)}%`}>
      check
    </span>
  ) : null;
}

function Section({ title, conf, children }: { title: string; conf: number | undefined; children: ReactNode }) {
  return (
    <section className="card">
      <h2>
        {title} <Low conf={conf} />
      </h2>
      {children}
    </section>
  );
}

function Pair({ k, f }: { k: string; f: { value: string | null; confidence: number } | undefined }) {
  return (
    <>
      <dt>{k}</dt>
      <dd>
        {f?.value ?? <span className="muted">not found</span>} <Low conf={f?.value ? f.confidence : undefined} />
      </dd>
    </>
  );
}

/** "M.Sc (Applied Physics)"; the degree alone when it names its field already ("M.Sc in Physics"). */
function degreeWithField(e: { degree: string | null; field: string | null }): string | null {
  if (!e.field || e.degree?.includes(e.field)) return e.degree;
  return e.degree ? `${e.degree} (${e.field})` : e.field;
}
