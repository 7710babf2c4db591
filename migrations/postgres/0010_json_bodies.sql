-- A version's attributes are kept as the JSON text the registry wrote (`json`), not parsed into
-- `jsonb`: diming reads bodies whole and never queries inside them in SQL, and building `jsonb`
-- was 0.2 s of an import of 100,000 records (and its text form again on every load). The
-- operators a report needs (`body->>'name'`) work on `json` too.
ALTER TABLE versions ALTER COLUMN body TYPE json USING body::json;
