-- Refresh tokens (RFC 6749 section 6), stored by the SHA-256 of their value. A login starts a
-- family; each refresh rotates the token (the old row gets used_at and replaced_by). Presenting a
-- used token again revokes the whole family (reuse detection).
CREATE TABLE refresh_token (
  token_hash text PRIMARY KEY,
  family uuid NOT NULL,
  username text NOT NULL REFERENCES users (username) ON DELETE CASCADE,
  scope text NOT NULL,
  issued_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  replaced_by text
);
CREATE INDEX refresh_token_family_idx ON refresh_token (family);

-- Revocations every instance honours: an access token's jti, or a whole family (a refresh token
-- revoked, or reused). Kept until the tokens they cover have expired anyway.
CREATE TABLE revocation (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('jti', 'family')),
  value text NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, value)
);
CREATE INDEX revocation_revoked_at_idx ON revocation (revoked_at);
