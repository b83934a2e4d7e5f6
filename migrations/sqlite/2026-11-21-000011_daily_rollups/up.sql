-- Daily figures per monitor and UTC day: the sum of that day's hourly rollups,
-- kept in the same transaction. A dashboard over weeks reads its whole days here
-- (about 24 times fewer rows) and only its partial first and last days from
-- monitor_rollups, with the same answers.
CREATE TABLE monitor_daily_rollups (
    monitor_id TEXT NOT NULL REFERENCES monitors(id),
    day DATE NOT NULL,
    checks BIGINT NOT NULL,
    successes BIGINT NOT NULL,
    timed BIGINT NOT NULL,
    response_sum BIGINT NOT NULL,
    response_max BIGINT NOT NULL,
    h0 BIGINT NOT NULL, h1 BIGINT NOT NULL, h2 BIGINT NOT NULL, h3 BIGINT NOT NULL,
    h4 BIGINT NOT NULL, h5 BIGINT NOT NULL, h6 BIGINT NOT NULL, h7 BIGINT NOT NULL,
    h8 BIGINT NOT NULL, h9 BIGINT NOT NULL, h10 BIGINT NOT NULL, h11 BIGINT NOT NULL,
    PRIMARY KEY (monitor_id, day)
);

INSERT INTO monitor_daily_rollups (
    monitor_id, day, checks, successes, timed, response_sum, response_max,
    h0, h1, h2, h3, h4, h5, h6, h7, h8, h9, h10, h11
)
SELECT monitor_id, date(hour), SUM(checks), SUM(successes), SUM(timed), SUM(response_sum),
    MAX(response_max), SUM(h0), SUM(h1), SUM(h2), SUM(h3), SUM(h4), SUM(h5), SUM(h6),
    SUM(h7), SUM(h8), SUM(h9), SUM(h10), SUM(h11)
FROM monitor_rollups
GROUP BY monitor_id, date(hour);
