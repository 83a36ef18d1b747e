import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, uuid, varchar } from 'drizzle-orm/pg-core';
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
  },
  (t) => [
    check('cvs_file_size_limit', sql`${t.fileSize} <= 5242880`),
    check('cvs_file_name_length', sql`LENGTH(${t.fileName}) > 0`),
    index('idx_cvs_user_id').on(t.userId),
    index('idx_cvs_uploaded_at').on(t.uploadedAt.desc()),
    index('idx_cvs_parsed_content_fts').using('gin', sql`to_tsvector('english', ${t.parsedContent})`),
    index('idx_cvs_user_recent').on(t.userId, t.uploadedAt.desc()),
  ],
);
