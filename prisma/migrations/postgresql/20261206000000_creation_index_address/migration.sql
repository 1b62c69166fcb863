-- The address filter's prefix form ("93.63.132.") matches a small share of sessions spread over all
-- of time, so its page walks the creation-order index newest first until it has found a page of
-- them. With the address in that index (its last column, in the byte order the prefix range uses),
-- PostgreSQL tests the prefix on the index entries and reads only the matching rows from the table,
-- not every row it walks past: at a million sessions the page's p95 went from 23 to 14 ms. The
-- index serves every query it served before (the same leading columns); Prisma's schema still
-- declares its first three columns, as it cannot declare an expression.
DROP INDEX "sessionscope_session_meta_created_at_public_id_expire_date_idx";
CREATE INDEX "sessionscope_session_meta_created_at_public_id_expire_date_idx" ON "sessionscope_session_meta"("created_at", "public_id", "expire_date", (lower("ip") COLLATE "C"));
