-- PostgreSQL's kept search counts (see the other backend's migration 38).
-- SQLite's trigram index counts a text's matches in a few milliseconds, so
-- this backend keeps none: nothing to do.
SELECT 1;
