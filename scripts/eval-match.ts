/**
 * `npm run eval:match [-- DATA_DIR FIXTURES_DIR]`: the fit score against human relevance labels, beside a
 * TF-IDF cosine baseline computed in the same run. Prints ROC-AUC and precision@10 only (never CV text).
 *  - DATA_DIR (default ../shared/data/match): resume.pdf + job_descriptions*.csv (job_description, label).
 *  - FIXTURES_DIR (default ../shared/fixtures/resume-matcher): resumes/*.pdf x job-descriptions/*.pdf with
 *    the maintainers' weak labels (by file name).
 *  - the JSON Resume sample and sample job beside it (../jsonresume): one score and its letter.
 * A missing folder is skipped.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { readCv } from '../src/modules/cvs/cvs.service.ts';
import { parseProfile } from '../src/modules/cvs/profile.ts';
import { groundedFacts, groundLetter, templateLetter } from '../src/modules/match/cover-letter.ts';
import { cvFactsFrom, jobFactsFromText } from '../src/modules/match/facts.ts';
import { matchFactsOf, textFactsOf } from '../src/modules/match/job-facts.ts';
import { prepareCv, scoreMatch } from '../src/modules/match/score.ts';
import { type Labelled, precisionAt, rocAuc, tfidfCosine } from './match-eval/metrics.ts';

const [dataDir = '../shared/data/match', fixturesDir = '../shared/fixtures/resume-matcher'] = process.argv.slice(2);

async function cvFromPdf(path: string) {
  const { text, profile } = await readCv('pdf', readFileSync(path));
  return { text, profile, facts: cvFactsFrom(text, profile) };
}

function report(name: string, ours: Labelled[], baseline: Labelled[]) {
  const fmt = (n: number) => n.toFixed(3);
  console.log(
    `${name.padEnd(34)} n=${String(ours.length).padStart(4)} pos=${String(ours.filter((x) => x.label).length).padStart(3)}  ` +
      `fit score: ROC-AUC ${fmt(rocAuc(ours))} P@10 ${fmt(precisionAt(ours, 10))}   ` +
      `TF-IDF cosine: ROC-AUC ${fmt(rocAuc(baseline))} P@10 ${fmt(precisionAt(baseline, 10))}`,
  );
}

async function evalRelevanceSet(dir: string) {
  const cvPath = join(dir, 'resume.pdf');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => /^job_descriptions.*\.csv$/.test(f)) : [];
  if (!existsSync(cvPath) || files.length === 0) {
    console.log(`${dir}: absent, skipped`);
    return;
  }
  const cv = await cvFromPdf(cvPath);
  const prepared = prepareCv(cv.facts);
  for (const file of files.sort()) {
    const rows = parse(readFileSync(join(dir, file)), { columns: true }) as Record<string, string>[];
    const texts = rows.map((r) => r.job_description ?? '');
    const labels = rows.map((r) => /^true$/i.test(r.label ?? ''));
    const started = performance.now();
    const ours = texts.map((t, i) => ({
      score: scoreMatch(prepared, jobFactsFromText(t)).score,
      label: labels[i] === true,
    }));
    const ms = performance.now() - started;
    // The ranking scores from jobs.match_facts: the same jobs scored through the stored form.
    const facts = texts.map((t) => jobFactsFromText(t)).map((job) => ({ job, stored: matchFactsOf(job) }));
    const storedStarted = performance.now();
    const fromStored = facts.map(({ job, stored }) => scoreMatch(prepared, job, null, textFactsOf(stored, null)).score);
    const storedMs = performance.now() - storedStarted;
    const differ = fromStored.filter((score, i) => score !== ours[i]?.score).length;
    const cos = tfidfCosine(cv.text, texts);
    report(
      file,
      ours,
      cos.map((score, i) => ({ score, label: labels[i] === true })),
    );
    console.log(
      `  scoring ${rows.length} jobs took ${ms.toFixed(0)} ms (${((ms / rows.length) * 1000).toFixed(0)} µs per job); ` +
        `from stored match facts ${storedMs.toFixed(0)} ms (${((storedMs / rows.length) * 1000).toFixed(0)} µs per job), ` +
        `${differ} scores differ`,
    );
  }
}

// The Resume-Matcher maintainers' labels: which job description each resume fits.
const FITS: Record<string, string[]> = {
  barry_allen_fe: ['front_end_engineer'],
  bruce_wayne_fullstack: ['full_stack_engineer'],
  alfred_pennyworth_pm: ['product_manager'],
  john_doe: ['java_developer', 'full_stack_engineer'],
};

async function evalFixtures(dir: string) {
  const resumesDir = join(dir, 'resumes');
  const jobsDir = join(dir, 'job-descriptions');
  if (!existsSync(resumesDir) || !existsSync(jobsDir)) {
    console.log(`${dir}: absent, skipped`);
    return;
  }
  const jobs: { name: string; text: string }[] = [];
  for (const f of readdirSync(jobsDir)
    .filter((x) => x.endsWith('.pdf'))
    .sort()) {
    const { text } = await readCv('pdf', readFileSync(join(jobsDir, f)));
    jobs.push({ name: f.replace(/^job_desc_|\.pdf$/g, ''), text });
  }
  const ours: Labelled[] = [];
  const base: Labelled[] = [];
  let top1 = 0;
  let judged = 0;
  const letters = { written: 0, sentences: 0, ungrounded: 0, requiredHad: 0, requiredMentioned: 0 };
  for (const f of readdirSync(resumesDir)
    .filter((x) => x.endsWith('.pdf'))
    .sort()) {
    const name = f.replace(/\.pdf$/, '');
    const fits = FITS[name];
    if (!fits) continue;
    const cv = await cvFromPdf(join(resumesDir, f));
    const prepared = prepareCv(cv.facts);
    const scores = jobs.map((j) => scoreMatch(prepared, jobFactsFromText(j.text)).score);
    const cos = tfidfCosine(
      cv.text,
      jobs.map((j) => j.text),
    );
    jobs.forEach((j, i) => {
      ours.push({ score: scores[i] ?? 0, label: fits.includes(j.name) });
      base.push({ score: cos[i] ?? 0, label: fits.includes(j.name) });
    });
    // Cover letters for every pair: grounding and coverage of the required skills the CV has.
    for (const j of jobs) {
      const job = { ...jobFactsFromText(j.text), company: 'your company' };
      const match = scoreMatch(prepared, job);
      const facts = groundedFacts(prepared, cv.profile, job, match);
      for (const length of ['short', 'medium', 'long'] as const) {
        const letter = templateLetter(facts, 'professional', length);
        const checked = groundLetter(letter, {
          cvText: cv.text,
          jobText: j.text,
          cvSkills: new Set(prepared.evidence.keys()),
          jobNames: [job.title, job.company],
          derivedNumbers: facts.years === null ? [] : [facts.years],
        });
        letters.written++;
        letters.sentences += (letter.match(/[.!?]["”]?(\s|$)/g) ?? []).length;
        letters.ungrounded += checked.removed.length;
        const required = match.covered.filter((c) => c.importance === 'title' || c.importance === 'required');
        letters.requiredHad += required.length;
        letters.requiredMentioned += required.filter((c) => letter.includes(c.name)).length;
      }
    }
    const best = scores.indexOf(Math.max(...scores));
    judged++;
    if (fits.includes(jobs[best]?.name ?? '')) top1++;
  }
  report('resume-matcher fixtures (pairs)', ours, base);
  console.log(`  top-1 job is a labelled fit for ${top1} of ${judged} resumes`);
  console.log(
    `  cover letters (template, 3 lengths): ${letters.written} written, ${letters.sentences} sentences, ` +
      `${letters.ungrounded} ungrounded; required skills the CV has: ${letters.requiredMentioned}/${letters.requiredHad} mentioned`,
  );
}

/** The JSON Resume sample and its sample job (one pair, a fit by construction): the score and its letter. */
function evalJsonResume(dir: string) {
  const resumePath = join(dir, 'sample.resume.json');
  const jobPath = join(dir, 'sample.job.json');
  if (!existsSync(resumePath) || !existsSync(jobPath)) {
    console.log(`${dir}: absent, skipped`);
    return;
  }
  type Resume = {
    basics?: { label?: string; summary?: string };
    work?: {
      name?: string;
      position?: string;
      startDate?: string;
      endDate?: string;
      summary?: string;
      highlights?: string[];
    }[];
    skills?: { name?: string; keywords?: string[] }[];
  };
  type Job = {
    title: string;
    company: string;
    description?: string;
    remote?: string;
    experience?: string;
    responsibilities?: string[];
    qualifications?: string[];
    skills?: { name?: string; keywords?: string[] }[];
  };
  const r = JSON.parse(readFileSync(resumePath, 'utf8')) as Resume;
  const j = JSON.parse(readFileSync(jobPath, 'utf8')) as Job;
  // The resume rendered as the text a CV upload would give.
  const text = [
    r.basics?.label ?? '',
    '',
    'Summary',
    r.basics?.summary ?? '',
    '',
    'Experience',
    ...(r.work ?? []).flatMap((w) => [
      `${w.position ?? ''}, ${w.name ?? ''}, ${w.startDate ?? ''} - ${w.endDate ?? 'Present'}`,
      w.summary ?? '',
      ...(w.highlights ?? []),
    ]),
    '',
    'Skills',
    (r.skills ?? []).flatMap((k) => [k.name ?? '', ...(k.keywords ?? [])]).join(', '),
  ].join('\n');
  const profile = parseProfile(text);
  const prepared = prepareCv(cvFactsFrom(text, profile));
  const description = [
    j.description ?? '',
    j.experience ?? '',
    'Responsibilities',
    ...(j.responsibilities ?? []),
    'Qualifications',
    ...(j.qualifications ?? []),
  ].join('\n');
  const requirements = (j.skills ?? []).flatMap((k) => [k.name ?? '', ...(k.keywords ?? [])]).filter(Boolean);
  const job = {
    title: j.title,
    company: j.company,
    description,
    requirements,
    experienceLevel: null,
    location: null,
    remote: /full|remote/i.test(j.remote ?? ''),
    salaryCurrency: 'USD',
    salaryYearlyMin: null,
    salaryYearlyMax: null,
  };
  const match = scoreMatch(prepared, job);
  const facts = groundedFacts(prepared, profile, job, match);
  const letter = templateLetter(facts, 'professional', 'long');
  const jobText = [j.title, j.company, description, ...requirements].join('\n');
  const checked = groundLetter(letter, {
    cvText: text,
    jobText,
    cvSkills: new Set(prepared.evidence.keys()),
    jobNames: [job.title, job.company],
    derivedNumbers: facts.years === null ? [] : [facts.years],
  });
  console.log(
    `jsonresume sample pair: score ${match.score} (${match.band}), ${match.covered.length} skills covered, ` +
      `${match.missing.length} missing; letter: ${checked.removed.length} ungrounded sentences`,
  );
}

await evalRelevanceSet(dataDir);
await evalFixtures(fixturesDir);
evalJsonResume(join(fixturesDir, '..', 'jsonresume'));
