/** The fit score of one of my CVs for a job: score, band, the parts that add up to it, covered skills, the gap. */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api.ts';
import { formatDate } from '../../format.ts';
import type { CvSummary, MatchBand, MatchResult } from '../../types.ts';
import { ErrorMessage, Loading } from '../../ui.tsx';

const PART_NAMES: Record<string, string> = {
  skills: 'Skills',
  requiredSkills: 'Required skills',
  mentionedSkills: 'Other skills',
  title: 'Title and role',
  seniority: 'Seniority',
  location: 'Location and remote',
  salary: 'Salary',
};
export const partName = (name: string) => PART_NAMES[name] ?? name.replace(/([A-Z])/g, ' $1').toLowerCase();

export function ScoreBadge({ score, band }: { score: number; band: MatchBand }) {
  return (
    <span className={`score score-${band}`}>
      <strong>{Math.round(score)}</strong>
      <span className="visually-hidden"> out of 100,</span> {band}
    </span>
  );
}

/** A CV selector shared by the fit panel and the cover-letter form. */
export function CvSelect({
  id,
  cvs,
  value,
  onChange,
}: {
  id: string;
  cvs: CvSummary[];
  value: string;
  onChange: (id: string) => void;
}) {
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
      {cvs.map((cv) => (
        <option key={cv.id} value={cv.id}>
          {cv.fileName} ({formatDate(cv.uploadedAt)})
        </option>
      ))}
    </select>
  );
}

export function useCvs() {
  return useQuery({ queryKey: ['cvs'], queryFn: () => api<{ data: CvSummary[] }>('/cvs') });
}

export function FitPanel({ jobId }: { jobId: string }) {
  const cvs = useCvs();
  const [chosen, setChosen] = useState('');
  const cvId = chosen || cvs.data?.data[0]?.id || '';
  const match = useQuery({
    queryKey: ['match', jobId, cvId],
    queryFn: () => api<MatchResult>(`/jobs/${encodeURIComponent(jobId)}/match?cvId=${encodeURIComponent(cvId)}`),
    enabled: cvId !== '',
  });
  return (
    <section className="card fit" aria-labelledby="fit-title">
      <h2 id="fit-title">How well you fit</h2>
      {cvs.isPending && <Loading what="Loading your CVs" />}
      <ErrorMessage error={cvs.error} />
      {cvs.data && cvs.data.data.length === 0 && (
        <p>
          <Link to="/cvs">Upload a CV</Link> to see how well this job fits you.
        </p>
      )}
      {cvs.data && cvs.data.data.length > 0 && (
        <>
          {cvs.data.data.length > 1 && (
            <p className="inline-field">
              <label htmlFor="fit-cv">Score with CV</label>{' '}
              <CvSelect id="fit-cv" cvs={cvs.data.data} value={cvId} onChange={setChosen} />
            </p>
          )}
          {match.isPending && <Loading what="Scoring" />}
          <ErrorMessage error={match.error} />
          {match.data && <FitDetail m={match.data} />}
        </>
      )}
    </section>
  );
}

function FitDetail({ m }: { m: MatchResult }) {
  return (
    <div aria-live="polite">
      <p className="fit-score">
        Fit score <ScoreBadge score={m.score} band={m.band} />
      </p>
      <h3>How the score adds up</h3>
      <ul className="parts">
        {m.parts.map((p) => (
          <li key={p.name}>
            <span className="part-name">{partName(p.name)}</span>{' '}
            <meter
              min={0}
              max={p.max || 1}
              value={p.points}
              aria-label={`${partName(p.name)}: ${p.points} of ${p.max}`}
            />{' '}
            <span>
              {Math.round(p.points * 10) / 10} / {p.max}
            </span>{' '}
            <span className="muted">{p.detail}</span>
          </li>
        ))}
      </ul>
      {m.covered.length > 0 && (
        <>
          <h3>Skills you have</h3>
          <ul className="list covered">
            {m.covered.map((c) => (
              <li key={c.skill}>
                <strong>{c.name}</strong> <span className="tag">{c.importance}</span>
                <br />
                <q className="muted">{c.evidence}</q>
              </li>
            ))}
          </ul>
        </>
      )}
      {m.missing.length > 0 && (
        <>
          <h3>Skill gap</h3>
          <ul className="chips gap">
            {m.missing.map((s) => (
              <li key={s.skill}>
                {s.name} <span className="muted">({s.importance})</span>
                {s.learnable && (
                  <span className="tag learnable" title={`You know ${s.relatedTo.join(', ')}`}>
                    learnable{s.relatedTo.length ? `: close to ${s.relatedTo.join(', ')}` : ''}
                  </span>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
