import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, uuid, varchar } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns.ts';
import { users } from './users.ts';

/** The doc's 5 MB limit (`cvs_file_size_limit`), shared by the upload code. */
export const CV_MAX_BYTES = 5_242_880;

export const cvs = pgTable(
  'cvs',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    fileName: varchar('file_name', { length: 255 }).notNull(),
    fileSize: integer('file_size').notNull(),
    parsedContent: text('parsed_content').notNull(),
    uploadedAt: createdAt('uploaded_at'),
    // Additive (issue "CVs"): the structured profile extracted from parsed_content, with confidences.
    profile: jsonb('profile').$type<Record<string, unknown>>().notNull().default({}),
    /**
     * The seeker's corrections to the profile (PATCH /cvs/:id/profile), field by field, kept apart from
     * the extraction so that reading the file again never loses them. Effective profile = profile
     * overlaid with these.
     */
    profileCorrections: jsonb('profile_corrections').$type<Record<string, unknown>>().notNull().default({}),
    /** Canonical skill names (skills taxonomy), for matching and filtering. */
    skills: text('skills').array().notNull().default(sql`'{}'`),
    /** Where the original file is kept (generated name; the user's file name is metadata only). */
    storageKey: varchar('storage_key', { length: 255 }),
    mimeType: varchar('mime_type', { length: 100 }),
    contentSha256: varchar('content_sha256', { length: 64 }),
    pageCount: integer('page_count'),
  },
  (t) => [
    check('cvs_file_size_limit', sql`${t.fileSize} <= 5242880`),
    check('cvs_file_name_length', sql`LENGTH(${t.fileName}) > 0`),
    index('idx_cvs_user_id').on(t.userId),
    index('idx_cvs_uploaded_at').on(t.uploadedAt.desc()),
    // The document's index, over search_text() so symbol-named skills survive (docs/schema-notes.md).
    index('idx_cvs_parsed_content_fts').using('gin', sql`to_tsvector('english', search_text(${t.parsedContent}))`),
    index('idx_cvs_user_recent').on(t.userId, t.uploadedAt.desc()),
    index('idx_cvs_skills').using('gin', t.skills),
  ],
);
