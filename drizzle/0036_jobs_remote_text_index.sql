-- Issue 19: a remote text search read the word's whole posting list and ANDed it with every remote job
-- (at 1,000,000 jobs: `marketing` 115,000 TIDs and 121,000 remote ones, 40 ms of bitmaps before the first row).
-- The texts of remote jobs alone give the same rows from their own, much shorter, lists.
CREATE INDEX "idx_jobs_search_vector_remote" ON "jobs" USING gin ("search_vector") WHERE "jobs"."remote";