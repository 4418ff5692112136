-- The audit log: one row per write, recorded after the response by a background task.
CREATE TABLE audit (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  username text NOT NULL,
  action text NOT NULL,
  hero_id integer
);
