-- The partial index of current versions served only the load of the current state when a
-- store opens, which reads most of `versions` anyway and scans as fast without it; every new
-- version paid for it (0.1 s of an import of 100,000 records).
DROP INDEX versions_current;
