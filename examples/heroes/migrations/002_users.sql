-- The OAuth2 scopes guide's users, with its argon2id hashes (of "secret" and "secretalice").
-- alice is disabled and holds the same scopes, so that her token reaches the disabled check.
CREATE TABLE users (
  username text PRIMARY KEY,
  email text,
  full_name text,
  hashed_password text NOT NULL,
  disabled boolean NOT NULL DEFAULT false,
  scopes text[] NOT NULL DEFAULT '{}'
);
INSERT INTO users (username, email, full_name, hashed_password, disabled, scopes) VALUES
  ('johndoe', 'johndoe@example.com', 'John Doe',
   '$argon2id$v=19$m=65536,t=3,p=4$wagCPXjifgvUFBzq4hqe3w$CYaIb8sB+wtD+Vu/P4uod1+Qof8h+1g7bbDlBID48Rc',
   false, '{me,heroes:read,heroes:write,audit:read}'),
  ('alice', 'alicechains@example.com', 'Alice Chains',
   '$argon2id$v=19$m=65536,t=3,p=4$g2/AV1zwopqUntPKJavBFw$BwpRGDCyUHLvHICnwijyX8ROGoiUPwNKZ7915MeYfCE',
   true, '{me,heroes:read,heroes:write,audit:read}')
ON CONFLICT (username) DO NOTHING;
