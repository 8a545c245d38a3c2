-- A conversation becomes a ticket at its first customer message (or the away form), not when the
-- widget opens. The row exists from the session on, because it names the Durable Object and the
-- tenant for socket upgrades; lists show only rows with opened_at set, projected from the object.
ALTER TABLE conversations ADD COLUMN opened_at INTEGER;
-- Every conversation that existed before this change was already a ticket to its agents; it stays one.
UPDATE conversations SET opened_at = created_at;
CREATE INDEX conversations_opened_by_status ON conversations (tenant_id, opened_at, status, updated_at DESC, id DESC);

-- How long an agent may be offline (no inbox socket) before their open chats go back to the queue,
-- in seconds; NULL means the default (60 s, in worker/db/tenants.ts).
ALTER TABLE tenants ADD COLUMN offline_grace_s INTEGER
  CHECK (offline_grace_s IS NULL OR offline_grace_s BETWEEN 0 AND 86400);
-- How long a session that never wrote is kept, quiet and with no socket, before what it made is
-- deleted; NULL means the default (30 min, in worker/db/tenants.ts).
ALTER TABLE tenants ADD COLUMN unused_session_ttl_s INTEGER
  CHECK (unused_session_ttl_s IS NULL OR unused_session_ttl_s BETWEEN 1 AND 604800);
