/**
 * The optional language-model writer: any OpenAI-compatible chat-completions endpoint (OpenAI, Ollama,
 * LM Studio, vLLM) over plain fetch. The model sees only the grounded facts and must answer with JSON
 * `{ "paragraphs": string[] }`; anything else (an error, a timeout, invalid JSON) returns null and the
 * caller falls back to the template writer. Its text then goes through the same grounding check.
 */
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { LetterFacts } from './cover-letter.ts';
import type { CoverLetterLength, CoverLetterTone } from './cover-letter.types.ts';

const completion = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1),
});
const letterOutput = z.object({ paragraphs: z.array(z.string().min(1).max(2000)).min(1).max(8) });

const WORDS: Record<CoverLetterLength, number> = { short: 120, medium: 220, long: 350 };

export type LlmResult = { ok: true; text: string } | { ok: false; reason: string };

/**
 * Asks the model for a letter. `avoid` (a second attempt) names what the previous answer invented: the
 * model is told that those are not facts and must not appear.
 */
export async function llmLetter(
  llm: NonNullable<Config['llm']>,
  facts: LetterFacts,
  tone: CoverLetterTone,
  length: CoverLetterLength,
  avoid: readonly string[] = [],
): Promise<LlmResult> {
  const system =
    'You write cover letters. Use ONLY the facts in the JSON the user gives: never add a skill, employer, title, ' +
    'degree, number or achievement that is not there. Reply with JSON {"paragraphs": ["..."]} and nothing else.' +
    (avoid.length > 0
      ? ' Your previous letter named things that are not in the facts (listed in notFacts): write it again without them.'
      : '');
  const user = JSON.stringify({
    tone,
    approximateWords: WORDS[length],
    mustMentionEverySkillMarkedRequired: true,
    facts: { ...facts, skills: facts.skills.map((s) => ({ name: s.name, required: s.required })) },
    ...(avoid.length > 0 ? { notFacts: avoid } : {}),
  });
  let response: Response;
  try {
    response = await fetch(new URL('chat/completions', llm.baseUrl.endsWith('/') ? llm.baseUrl : `${llm.baseUrl}/`), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(llm.apiKey ? { authorization: `Bearer ${llm.apiKey}` } : {}),
      },
      body: JSON.stringify({
        model: llm.model,
        temperature: 0.2,
        response_format: { type: 'json_object' },
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: user },
        ],
      }),
      signal: AbortSignal.timeout(llm.timeoutMs),
    });
  } catch (err) {
    return { ok: false, reason: err instanceof Error && err.name === 'TimeoutError' ? 'timeout' : 'unreachable' };
  }
  if (!response.ok) return { ok: false, reason: `http ${response.status}` };
  const body = completion.safeParse(await response.json().catch(() => null));
  if (!body.success) return { ok: false, reason: 'not a chat completion' };
  const content = body.data.choices[0]?.message.content ?? '';
  let json: unknown;
  try {
    // Some servers wrap JSON in a code fence even when asked not to.
    let text = content.trim();
    if (text.startsWith('```')) text = text.slice(text.startsWith('```json') ? 7 : 3);
    if (text.endsWith('```')) text = text.slice(0, -3);
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'invalid JSON' };
  }
  const out = letterOutput.safeParse(json);
  if (!out.success) return { ok: false, reason: 'invalid letter shape' };
  return { ok: true, text: out.data.paragraphs.map((p) => p.trim()).join('\n\n') };
}
