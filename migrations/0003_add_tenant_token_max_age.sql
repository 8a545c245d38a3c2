-- How long a partner's identity token may live, in seconds, per tenant: a token whose exp lies
-- further ahead, or whose iat lies further back, is refused. NULL means the default (24 h, in
-- worker/auth/tokens.ts), so the default can change without touching every row.
ALTER TABLE tenants ADD COLUMN identity_token_max_age_s INTEGER
  CHECK (identity_token_max_age_s IS NULL OR identity_token_max_age_s BETWEEN 60 AND 2592000);
