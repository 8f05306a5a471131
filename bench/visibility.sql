-- What the large tables' autovacuum settings change (docs/database.md, "Autovacuum"): an
-- index-only scan over the newest lines of a 2-million-line table, before and after the
-- vacuum that 2% of new lines trigger with the settings and do not trigger without them.
-- Run in a scratch database:  createdb scratch && psql -d scratch -f bench/visibility.sql
\set ON_ERROR_STOP on
DROP TABLE IF EXISTS visibility_lines;
CREATE TABLE visibility_lines (
    id bigserial PRIMARY KEY, order_id bigint NOT NULL, sku_id bigint NOT NULL,
    quantity int NOT NULL, amount numeric(14, 2) NOT NULL
);
CREATE INDEX ON visibility_lines (order_id, sku_id, quantity, amount);
INSERT INTO visibility_lines (order_id, sku_id, quantity, amount)
    SELECT g / 10, g % 600, 1 + g % 7, (g % 500)::numeric FROM generate_series(1, 2000000) g;
VACUUM ANALYZE visibility_lines;
-- 2% more lines: the newest orders.
INSERT INTO visibility_lines (order_id, sku_id, quantity, amount)
    SELECT 200000 + g / 10, g % 600, 1 + g % 7, (g % 500)::numeric
    FROM generate_series(1, 40000) g;
SELECT 'inserted since the last vacuum' AS what, 40000 AS lines
UNION ALL SELECT 'autovacuum after, by default', 1000 + 0.2 * 2040000
UNION ALL SELECT 'autovacuum after, with the settings', 1000 + 0.005 * 2040000;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
\echo 'Before the vacuum (the default settings leave the table so):'
EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, COSTS OFF)
    SELECT sku_id, sum(quantity), sum(amount) FROM visibility_lines
    WHERE order_id >= 200000 GROUP BY sku_id;
VACUUM visibility_lines;
\echo 'After the vacuum (what the settings have autovacuum do):'
EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, COSTS OFF)
    SELECT sku_id, sum(quantity), sum(amount) FROM visibility_lines
    WHERE order_id >= 200000 GROUP BY sku_id;
DROP TABLE visibility_lines;
