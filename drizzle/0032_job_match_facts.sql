ALTER TABLE "jobs" ADD COLUMN "match_facts" jsonb;--> statement-breakpoint
CREATE INDEX "idx_jobs_match_facts_missing" ON "jobs" USING btree ("id") WHERE "jobs"."match_facts" IS NULL;--> statement-breakpoint
-- jobs.match_facts is NULL or describes the row's current text, whichever code wrote the row: an update
-- that changes the title, description or requirements without facts computed from the new text (their
-- `of`, the md5 below, src/modules/match/job-facts.ts) clears them, and readers fall back to the text.
-- The WHEN runs in C: the md5 is taken only for rows whose text changed.
CREATE OR REPLACE FUNCTION jobs_match_facts_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.match_facts := NULL;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER jobs_match_facts_current BEFORE UPDATE OF title, description, requirements, match_facts ON jobs
    FOR EACH ROW
    WHEN ((OLD.title, OLD.description, OLD.requirements) IS DISTINCT FROM (NEW.title, NEW.description, NEW.requirements)
      AND NEW.match_facts IS NOT NULL
      AND NEW.match_facts->>'of' IS DISTINCT FROM md5(NEW.title || E'\n' || NEW.description || E'\n' || array_to_string(NEW.requirements, E'\n')))
    EXECUTE FUNCTION jobs_match_facts_clear();
