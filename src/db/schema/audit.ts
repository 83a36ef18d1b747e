import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, uuid, varchar } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns.ts';
import { users } from './users.ts';

/**
 * The doc's audit trail (Security, "Audit Trail"). Rows are written by triggers (drizzle/*_audit.sql)
 * so no code path can skip them; secret columns are stripped in the trigger.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: id(),
    tableName: varchar('table_name', { length: 100 }).notNull(),
    recordId: uuid('record_id').notNull(),
    action: varchar('action', { length: 10 }).notNull(),
    oldValues: jsonb('old_values'),
    newValues: jsonb('new_values'),
    // SET NULL (not the doc's implicit NO ACTION): deleting an account must not be blocked by its audit trail.
    changedBy: uuid('changed_by').references(() => users.id, { onDelete: 'set null' }),
    changedAt: createdAt('changed_at'),
  },
  (t) => [
    check('audit_log_action_valid', sql`${t.action} IN ('INSERT', 'UPDATE', 'DELETE')`),
    index('idx_audit_log_record').on(t.tableName, t.recordId, t.changedAt.desc()),
    index('idx_audit_log_changed_at').on(t.changedAt.desc()),
  ],
);
