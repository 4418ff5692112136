-- A hero's avatar (PUT /heroes/{hero_id}/avatar): the image's bytes and its content type, one per
-- hero, gone with the hero.
CREATE TABLE hero_avatars (
  hero_id integer PRIMARY KEY REFERENCES hero (id) ON DELETE CASCADE,
  content_type text NOT NULL,
  bytes bytea NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
