/** The DataTurks measures on fictional documents: what each row counts (the real set is not in the repository). */
import { describe, expect, it } from 'vitest';
import { compareSkills, type Doc, evaluateDataturks } from '../../scripts/cv-eval/dataturks.ts';

const doc = (content: string, labels: Record<string, string[]>): Doc => ({
  content,
  annotation: Object.entries(labels).map(([label, texts]) => ({
    label: [label],
    points: texts.map((text) => ({ text })),
  })),
});

describe('the indicative skills row', () => {
  const spans = ['Operating Systems: Python, SQL and excel', 'Quick learner with node.js'];
  const labelled = doc('Asha Rao\nSkills\nPython, SQL, Excel, Docker\nNode.js', { Skills: spans });

  it('expects the taxonomy skills the labelled spans name, and finds them among the parser skills', () => {
    const compared = compareSkills(labelled, ['python', 'docker', 'excel', 'node.js', 'quick learner']);
    // A line's label names a group, not a skill; "excel" in lower case is an everyday word to skillsInText:
    // not expected, but right when found.
    expect(compared.gold).toEqual(['python', 'sql', 'node.js']);
    expect(compared.gold.filter(compared.found)).toEqual(['python', 'node.js']);
    expect(compared.got.filter(compared.right)).toEqual(['python', 'excel', 'node.js', 'quick learner']);
  });

  it('scores the parser on CVs that label skills, and only on them', () => {
    const unlabelled = doc('Ravi Menon\nSkills\nGo, Rust', { Name: ['Ravi Menon'] });
    const score = evaluateDataturks([labelled, unlabelled])['skills*'];
    expect(score).toMatchObject({ expected: 3, matched: 3, predicted: 5, tp: 4 });
  });
});

describe('the designations row', () => {
  it('scores the job titles and the headline against the Designation labels; titles keeps the job titles alone', () => {
    const cv = doc('Asha Rao\nJava Developer\n\nExperience\nAnalyst\nWipro -\n2010 to 2012', {
      Designation: ['Java Developer', 'Analyst'],
    });
    const scores = evaluateDataturks([cv]);
    expect(scores.titles).toMatchObject({ predicted: 1, tp: 1, expected: 2, matched: 1 });
    expect(scores.designations).toMatchObject({ predicted: 2, tp: 2, expected: 2, matched: 2 });
  });
});
