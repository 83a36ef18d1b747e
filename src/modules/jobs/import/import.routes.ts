/**
 * POST /api/v1/jobs/import (a job file as the raw request body, streamed),
 * POST /api/v1/jobs/import-url (a job page fetched safely, its JSON-LD imported), and
 * GET /api/v1/jobs/imports/:id/report (an import's every warning and rejection, CSV or NDJSON).
 */
import { PassThrough, Readable } from 'node:stream';
import { and, asc, eq, gt } from 'drizzle-orm';
import type { FastifyError, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../../config.ts';
import type { Database } from '../../../db/client.ts';
import { type DbActor, withContext } from '../../../db/context.ts';
import { jobImportIssues, jobImports, SALARY_CURRENCIES } from '../../../db/schema/index.ts';
import { actorOf, requireUser } from '../../../http/auth.ts';
import { toAppError } from '../../../http/errors.ts';
import { errors } from '../../../http/schemas.ts';
import { AppError } from '../../../lib/errors.ts';
import { safeFetch } from '../../../lib/safe-fetch.ts';
import { byteCounter } from '../../../lib/streams.ts';
import { countImportRows } from '../../ops/metrics.ts';
import { catalogueWriter } from '../access.ts';
import { sourceName } from '../jobs.schemas.ts';
import { IMPORT_REPORT_KEEP_DAYS, type ImportProgress, type ImportReport, importJobs } from './import.service.ts';
import { MAPPABLE_FIELDS } from './map.ts';
import { detectFormat, IMPORT_FORMATS } from './read.ts';
import { CSV_REPORT_HEADER, REPORT_FORMATS, type ReportFormat, reportLine } from './report-file.ts';

const importReport = z
  .object({
    rows: z.number().int(),
    inserted: z.number().int(),
    updated: z.number().int(),
    skipped: z.number().int().meta({ description: 'Unchanged, or repeated within the file.' }),
    rejected: z.number().int(),
    merged: z.number().int().meta({
      description:
        'The same posting as another row of the source under another id (same title, company, location and description): merged into the job imported first, which keeps its external id and the earliest posted date.',
    }),
    warned: z.number().int().meta({ description: 'Rows imported with at least one warning.' }),
    encoding: z.string().meta({
      description: 'The text encoding the file was read in: utf-8, utf-16le, utf-16be or windows-1252.',
    }),
    errors: z.array(z.object({ line: z.number().int(), reason: z.string() })).meta({
      description: 'Rejected rows by line number (the first 1,000).',
    }),
    errorsTruncated: z.boolean(),
    warnings: z
      .array(
        z.object({
          line: z.number().int(),
          field: z.string().optional(),
          value: z.string().optional(),
          reason: z.string(),
        }),
      )
      .meta({
        description:
          'Values left empty or read differently from how they were written, by line (the first 1,000). A bad optional value never rejects a row.',
      }),
    warningsTruncated: z.boolean(),
    id: z.uuid().meta({ description: 'The stored report of this import.' }),
    reportUrl: z.string().meta({
      description: `Every warning and rejection (line, kind, field, value, reason) as CSV; \`format=ndjson\` for NDJSON. Administrators only; kept ${IMPORT_REPORT_KEEP_DAYS} days.`,
    }),
  })
  .meta({ id: 'JobImportReport' });

const reportUrl = (id: string) => `/api/v1/jobs/imports/${id}/report?format=csv`;
/** The import's report as the API answers it: with the address of the stored full report. */
function withReportUrl(report: ImportReport) {
  if (!report.id) throw new Error('import report not kept');
  return { ...countImportRows(report), id: report.id, reportUrl: reportUrl(report.id) };
}
/** Stored issues are read for download this many at a time. */
const REPORT_PAGE = 5000;

const mappingParam = z
  .string()
  .max(2000)
  .regex(/^[A-Za-z]+=[^,]*(?:,[A-Za-z]+=[^,]*)*$/, 'Use field=Column pairs separated by commas.')
  .transform((v) =>
    Object.fromEntries(v.split(',').map((pair) => pair.split('=').map((s) => s.trim()) as [string, string])),
  )
  .refine((m) => Object.keys(m).every((field) => MAPPABLE_FIELDS.includes(field)), {
    message: `Map columns to these fields: ${MAPPABLE_FIELDS.join(', ')}.`,
  });

/** A streamed import reports after each batch: smaller batches than usual, so progress moves visibly. */
const PROGRESS_EVERY_ROWS = 100;

const importQuery = z.object({
  format: z.enum(IMPORT_FORMATS).optional(),
  source: sourceName.optional().meta({ description: 'For rows that do not name their source. Default import.' }),
  mapping: mappingParam.optional().meta({
    description:
      'CSV: field=Column pairs, e.g. title=Job Title,company=Employer. They win over header matching; `field=` ignores the field. A column the file lacks is an error.',
  }),
  currency: z
    .enum(SALARY_CURRENCIES)
    .optional()
    .meta({ description: 'Currency for rows that state an amount but no currency.' }),
  dayfirst: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .meta({ description: 'Numeric dates are day-first (04/03/2025 is 4 March).' }),
});

/** What a file import needs from its request: checked before any row is read (413, 415 answer at once). */
function fileImport(
  request: FastifyRequest,
  query: z.infer<typeof importQuery>,
  database: Database,
  config: Config,
  onProgress?: (progress: ImportProgress) => void,
) {
  const actor = catalogueWriter(request);
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > config.importMaxBytes) {
    throw new AppError('PAYLOAD_TOO_LARGE', {
      message: `Files up to ${Math.round(config.importMaxBytes / 1048576)} MB can be imported this way; use \`jobr jobs import\` for larger ones.`,
    });
  }
  let format: ReturnType<typeof detectFormat>;
  try {
    format = detectFormat({ format: query.format, contentType: request.headers['content-type'] });
  } catch {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', {
      message: `Send the file as one of ${IMPORT_FORMATS.join(', ')}: set format= or the Content-Type.`,
    });
  }
  const body = (request.body as Readable | undefined) ?? Readable.from([]);
  return importJobs(database.db, actor, body.pipe(byteCounter({ limit: config.importMaxBytes })), {
    format,
    source: query.source ?? 'import',
    mapping: query.mapping,
    currency: query.currency,
    dayfirst: query.dayfirst,
    keepReport: { createdBy: actor.kind === 'admin' ? actor.userId : null },
    ...(onProgress ? { onProgress, batchSize: PROGRESS_EVERY_ROWS } : {}),
  }).then(withReportUrl);
}

export const importRoutes =
  ({ database, config }: { database: Database; config: Config }): FastifyPluginAsyncZod =>
  async (app) => {
    await app.register(async (plain) => {
      const files = plain.withTypeProvider<ZodTypeProvider>();
      // This route reads the body itself, as a stream, whatever its type.
      files.removeAllContentTypeParsers();
      files.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

      files.post(
        '/jobs/import',
        {
          config: { auth: 'admin', scope: 'jobs:write' },
          schema: {
            tags: ['jobs'],
            summary: 'Import a job file (administrators; API keys need jobs:write)',
            description:
              'Send the file as the request body: JSON array, NDJSON, CSV (header row; `mapping` renames columns), schema.org JobPosting JSON-LD, or an HTML page that embeds it. The format comes from `format`, else the Content-Type. Rows are upserted by (source, external id); each bad row is reported by line and skipped.',
            consumes: ['application/json', 'application/x-ndjson', 'text/csv', 'application/ld+json', 'text/html'],
            querystring: importQuery,
            // The body is a stream, validated row by row as it is read.
            body: z.unknown().meta({ description: 'The file.' }),
            response: { 200: importReport, ...errors(400, 401, 403, 413, 415, 422) },
          },
        },
        async (request) => {
          return fileImport(request, request.query, database, config);
        },
      );
      files.post(
        '/jobs/import/stream',
        {
          config: { auth: 'admin', scope: 'jobs:write' },
          schema: {
            tags: ['jobs'],
            summary: 'Import a job file with live progress (administrators; API keys need jobs:write)',
            description:
              'The same import as POST /jobs/import (same body and parameters), answered as NDJSON while it runs: a `{"type":"progress", rows, inserted, updated, skipped, rejected, warned}` line after every 100 rows, then one `{"type":"report", "report": JobImportReport}` line (its `reportUrl` downloads every warning and rejection) — or, if the import stops part way (a file over the size limit, a mapping naming a missing column), `{"type":"error", "error": { code, message }}`. Rows written before an error stay imported. A refusal before the first row (401, 403, 413 by Content-Length, 415) is an ordinary JSON error.',
            consumes: ['application/json', 'application/x-ndjson', 'text/csv', 'application/ld+json', 'text/html'],
            produces: ['application/x-ndjson'],
            querystring: importQuery,
            body: z.unknown().meta({ description: 'The file.' }),
            response: {
              200: z
                .string()
                .meta({ description: 'application/x-ndjson: progress lines, then a report or error line.' }),
              ...errors(400, 401, 403, 413, 415),
            },
          },
        },
        async (request, reply) => {
          const lines = new PassThrough();
          const write = (line: object) => {
            if (!lines.destroyed) lines.write(`${JSON.stringify(line)}\n`);
          };
          // Refusals before the first row throw here and answer as ordinary errors.
          const running = fileImport(request, request.query, database, config, (progress) =>
            write({ type: 'progress', ...progress }),
          );
          running
            .then((report) => write({ type: 'report', report }))
            .catch((err: unknown) => {
              const error = toAppError(err as FastifyError);
              if (error.status >= 500) request.log.error({ err, code: error.code }, 'streamed import failed');
              write({
                type: 'error',
                error: { code: error.code, message: error.status >= 500 ? 'The import failed.' : error.message },
              });
            })
            .finally(() => lines.end());
          return reply
            .header('content-type', 'application/x-ndjson; charset=utf-8')
            .header('cache-control', 'no-store')
            .header('x-content-type-options', 'nosniff')
            .send(lines as unknown as string); // a stream is sent as it is, never serialized
        },
      );
    });

    app.get(
      '/jobs/imports/:id/report',
      {
        config: { auth: 'user', scope: 'jobs:write' },
        schema: {
          tags: ['jobs'],
          summary: 'Download the full report of an import (administrators; API keys need jobs:write)',
          description: `Every warning and rejection of the import, by line: CSV (line, kind, field, value, reason) or NDJSON. Reports are kept ${IMPORT_REPORT_KEEP_DAYS} days. Anyone but an administrator gets 404.`,
          params: z.object({ id: z.uuid() }),
          querystring: z.object({ format: z.enum(REPORT_FORMATS).default('csv') }),
          produces: ['text/csv', 'application/x-ndjson'],
          response: { 200: z.string().meta({ description: 'The report file.' }), ...errors(400, 401, 404) },
        },
      },
      async (request, reply) => {
        const auth = requireUser(request);
        if (auth.user.role !== 'admin') throw new AppError('IMPORT_REPORT_NOT_FOUND');
        const actor = actorOf(auth);
        const { id } = request.params;
        const found = await withContext(database.db, actor, (tx) =>
          tx.select({ id: jobImports.id }).from(jobImports).where(eq(jobImports.id, id)),
        );
        if (found.length === 0) throw new AppError('IMPORT_REPORT_NOT_FOUND');
        const format = request.query.format;
        return reply
          .header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
          .header('content-disposition', `attachment; filename="import-${id}.${format}"`)
          .header('cache-control', 'no-store')
          .header('x-content-type-options', 'nosniff')
          .send(Readable.from(reportLines(database, actor, id, format)) as unknown as string);
      },
    );

    app.post(
      '/jobs/import-url',
      {
        config: { auth: 'admin', scope: 'jobs:write' },
        schema: {
          tags: ['jobs'],
          summary: 'Import the job posted on a web page (administrators; API keys need jobs:write)',
          description:
            'Fetches the page (http or https; private, loopback and link-local addresses refused, also after redirects; at most 3 redirects, 2 MB, 10 s) and imports the schema.org JobPosting JSON-LD it embeds. The source is the page host.',
          body: z.object({ url: z.string().max(2000) }).meta({ id: 'ImportUrlRequest' }),
          response: { 200: importReport, ...errors(400, 401, 403, 422) },
        },
      },
      async (request) => {
        const actor = catalogueWriter(request);
        const page = await safeFetch(request.body.url, { allow: config.fetchAllowedAddresses });
        const isJson = /json/i.test(page.contentType);
        const source =
          new URL(page.url).hostname
            .toLowerCase()
            .replace(/[^a-z0-9.-]/g, '')
            .slice(0, 50) || 'web';
        return importJobs(database.db, actor, Readable.from([page.body]), {
          format: isJson ? 'jsonld' : 'html',
          source,
          pageUrl: page.url,
          keepReport: { createdBy: actor.kind === 'admin' ? actor.userId : null },
        }).then(withReportUrl);
      },
    );
  };

/** A stored report's lines, read a page at a time (a report may hold up to MAX_STORED_ISSUES issues). */
async function* reportLines(database: Database, actor: DbActor, id: string, format: ReportFormat) {
  if (format === 'csv') yield CSV_REPORT_HEADER;
  let after = 0;
  for (;;) {
    const page = await withContext(database.db, actor, (tx) =>
      tx
        .select()
        .from(jobImportIssues)
        .where(and(eq(jobImportIssues.importId, id), gt(jobImportIssues.seq, after)))
        .orderBy(asc(jobImportIssues.seq))
        .limit(REPORT_PAGE),
    );
    if (page.length === 0) return;
    yield page
      .map((row) =>
        reportLine(
          {
            line: row.line,
            kind: row.kind,
            ...(row.field !== null ? { field: row.field } : {}),
            ...(row.value !== null ? { value: row.value } : {}),
            reason: row.reason,
          },
          format,
        ),
      )
      .join('');
    after = page.at(-1)?.seq ?? after;
    if (page.length < REPORT_PAGE) return;
  }
}
