-- Renumbering campaigns (门牌整编): their current state, with the area they cover.
CREATE TABLE campaigns (
  id uuid PRIMARY KEY,
  version integer NOT NULL,
  valid_from date NOT NULL,
  recorded_at timestamptz NOT NULL,
  source text NOT NULL,
  name text NOT NULL,
  status text NOT NULL,
  plates integer NOT NULL,
  changed integer NOT NULL,
  installed integer NOT NULL,
  geom geometry(MultiPolygon, 4490) NOT NULL
);
CREATE INDEX campaigns_geom ON campaigns USING gist (geom);
