/**
 * A local OpenAI-compatible chat-completions server (POST /v1/chat/completions) for cover-letter tests.
 * `mode` picks its behaviour: a letter that mixes grounded sentences with invented facts, non-JSON
 * content, an HTTP error, or no answer within the client's timeout.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * invent: always mixes invented facts in (a stubborn model); invent-once: invents, but writes a clean
 * letter when told what it invented (`notFacts`); garbage: not JSON; error: HTTP 500; slow: never answers.
 */
export type FakeLlmMode = 'invent' | 'invent-once' | 'garbage' | 'error' | 'slow';
export type FakeLlm = {
  baseUrl: string;
  mode: FakeLlmMode;
  requests: { authorization: string | undefined; body: Record<string, unknown>; transactionOpen?: boolean }[];
  /** Asked on every request (e.g. whether the application holds a transaction open); recorded with it. */
  probe?: () => Promise<boolean>;
  close(): Promise<void>;
};

type Facts = { jobTitle: string; company: string; skills: { name: string; required: boolean }[] };

export async function startFakeLlm(): Promise<FakeLlm> {
  const fake: Omit<FakeLlm, 'baseUrl' | 'close'> = { mode: 'invent', requests: [] };
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', async () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(raw) as { messages: { role: string; content: string }[] };
      const transactionOpen = fake.probe ? await fake.probe() : undefined;
      fake.requests.push({ authorization: req.headers.authorization, body, transactionOpen });
      if (fake.mode === 'slow') return; // never answers: the client's timeout fires
      if (fake.mode === 'error') {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"overloaded"}}');
        return;
      }
      const user = JSON.parse(body.messages.find((m) => m.role === 'user')?.content ?? '{}') as {
        facts: Facts;
        notFacts?: string[];
      };
      const f = user.facts;
      const clean = fake.mode === 'invent-once' && (user.notFacts?.length ?? 0) > 0;
      const content =
        fake.mode === 'garbage'
          ? 'Sure! Here is your letter: Dear hiring manager...'
          : clean
            ? JSON.stringify({
                paragraphs: [
                  `I am applying for the ${f.jobTitle} role at ${f.company}.`,
                  `I have worked with ${f.skills.map((s) => s.name).join(', ')}.`,
                  'Thank you for your time.',
                ],
              })
            : JSON.stringify({
                paragraphs: [
                  `I am applying for the ${f.jobTitle} role at ${f.company}. I am also an expert in Haskell and Erlang.`,
                  `I have worked with ${f.skills.map((s) => s.name).join(', ')}.`,
                  'I led 45 engineers at Globex Corporation and hold a PhD from Stanford.',
                  'Thank you for your time.',
                ],
              });
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: 'chatcmpl-fake',
          object: 'chat.completion',
          created: 0,
          model: 'fake',
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
