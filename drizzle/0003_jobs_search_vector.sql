-- Custom SQL migration file, put your code below! --
-- Weighted full-text document for job search: title A; company and requirements B; description C.
-- A trigger rather than a generated column because array_to_string() is not IMMUTABLE.
CREATE OR REPLACE FUNCTION jobs_search_vector_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('english', COALESCE(NEW.title, '')), 'A') ||
        setweight(to_tsvector('english', COALESCE(NEW.company, '') || ' ' || COALESCE(array_to_string(NEW.requirements, ' '), '')), 'B') ||
        setweight(to_tsvector('english', COALESCE(NEW.description, '')), 'C');
    RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER jobs_search_vector BEFORE INSERT OR UPDATE OF title, company, requirements, description ON jobs
    FOR EACH ROW EXECUTE FUNCTION jobs_search_vector_update();
--> statement-breakpoint
UPDATE jobs SET title = title;
