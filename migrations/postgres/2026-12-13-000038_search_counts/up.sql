-- PostgreSQL's count of a partner's customers matching a common search text
-- (issue 21). Counting 4,000 matches of 100,000 customers reads one heap page
-- per match (15-30 ms, docs/benchmarks.md); a count kept here lets the list
-- read a page of such a text in the order of creation by walking that
-- order's index and stopping early. A count is valid only while its partner's search version is the one
-- it was counted at: the triggers of src/db/replaceable/postgres.sql move the
-- version in the writer's transaction whenever a customer of the partner
-- comes, goes, or changes its searched text, so a count is never read stale.
-- SQLite's trigram index counts in a few milliseconds and needs neither table
-- (its migration is empty); tests/integration/migrations.rs leaves the
-- `customer_search*` tables out of the comparison of the backends.

CREATE TABLE customer_search_versions (
    partner_id TEXT PRIMARY KEY,
    version BIGINT NOT NULL
);

CREATE TABLE customer_search_counts (
    partner_id TEXT NOT NULL,
    query TEXT NOT NULL,
    version BIGINT NOT NULL,
    matches BIGINT NOT NULL,
    PRIMARY KEY (partner_id, query)
);

-- The walk reads this index alone (an index-only scan that checks each entry's
-- text): 1 to 3 ms for a page of a common text, where the walk of the index
-- without the text read each row (3 to 8 ms). SQLite has its own trigram index
-- and no such walk.
CREATE INDEX customer_accounts_by_created_searched ON customer_accounts(partner_id, created_at, id)
    INCLUDE (search_text);
