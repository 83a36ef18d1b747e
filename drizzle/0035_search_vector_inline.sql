-- Issue 19: keep jobs.search_vector in the row (compressed if need be) and let the description go out of
-- line first. Under the default (EXTENDED) storage a long posting's vector was moved to the TOAST table,
-- so every text test of a walked or rechecked row fetched it from there: 3.8 buffers per walked row at
-- 1,000,000 jobs, and 35% of a text-tested row's time. MAIN is the last thing the toaster moves out.
-- Rows written before this keep their placement until rewritten (docs/operations.md: VACUUM FULL jobs).
ALTER TABLE "jobs" ALTER COLUMN "search_vector" SET STORAGE MAIN;
