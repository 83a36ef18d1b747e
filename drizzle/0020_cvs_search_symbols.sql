DROP INDEX "idx_cvs_parsed_content_fts";--> statement-breakpoint
CREATE INDEX "idx_cvs_parsed_content_fts" ON "cvs" USING gin (to_tsvector('english', search_text("parsed_content")));