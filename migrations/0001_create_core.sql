-- The ticket index. The Conversation Durable Object owns each conversation; these tables are its
-- projection (written through the DO's outbox) plus what only D1 can answer: lists, search, lookups
-- across conversations. Every row carries tenant_id and every query filters by it.

-- tenants.id is the tenant_id every other row carries.
CREATE TABLE tenants (
  id TEXT PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,                    -- the public brand key the widget boots with
  name TEXT NOT NULL,
  branding TEXT NOT NULL DEFAULT '{}',         -- JSON: logo, colours, greeting, texts, position
  locale TEXT NOT NULL DEFAULT 'en',
  allowed_origins TEXT NOT NULL DEFAULT '[]',  -- JSON array of exact origins, or ["*"]
  identity_secret TEXT NOT NULL,               -- HS256 secret the partner signs identity tokens with
  created_at INTEGER NOT NULL
);

CREATE TABLE agents (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  email TEXT NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
  password_hash TEXT NOT NULL,
  max_chats INTEGER NOT NULL DEFAULT 5 CHECK (max_chats BETWEEN 1 AND 100),
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  UNIQUE (tenant_id, email)
);
CREATE INDEX agents_by_email ON agents (email);

CREATE TABLE agent_sessions (
  token_hash TEXT PRIMARY KEY,                 -- SHA-256 of the cookie value; the value is never stored
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  agent_id TEXT NOT NULL REFERENCES agents(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX agent_sessions_by_agent ON agent_sessions (agent_id);

CREATE TABLE contacts (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  name TEXT,
  email TEXT,
  attributes TEXT NOT NULL DEFAULT '{}',
  merged_into TEXT REFERENCES contacts(id),    -- set when an anonymous contact joined an identified one
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX contacts_by_tenant ON contacts (tenant_id, created_at);

CREATE TABLE contact_identities (
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  kind TEXT NOT NULL CHECK (kind IN ('external', 'visitor', 'email')),
  value TEXT NOT NULL,                         -- external id; SHA-256 of a visitor token; lower-case email
  contact_id TEXT NOT NULL REFERENCES contacts(id),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, kind, value)
);
CREATE INDEX contact_identities_by_contact ON contact_identities (contact_id);

CREATE TABLE conversations (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  number INTEGER NOT NULL,                     -- the ticket number people say out loud, per tenant
  contact_id TEXT NOT NULL REFERENCES contacts(id),
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'pending', 'on_hold', 'resolved', 'closed')),
  priority TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  assignee_id TEXT REFERENCES agents(id),
  channels TEXT NOT NULL DEFAULT '[]',         -- JSON array of channels the customer has used
  subject TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  last_message_at INTEGER,
  last_message_text TEXT,
  last_seq INTEGER NOT NULL DEFAULT 0,         -- highest message seq projected from the DO
  version INTEGER NOT NULL DEFAULT 0,          -- DO state version; older projections never overwrite newer
  merged_into TEXT REFERENCES conversations(id),
  csat_score TEXT CHECK (csat_score IN ('good', 'bad')),
  csat_comment TEXT,
  csat_at INTEGER,
  UNIQUE (tenant_id, number)
);
CREATE INDEX conversations_by_status ON conversations (tenant_id, status, updated_at DESC, id DESC);
CREATE INDEX conversations_by_assignee ON conversations (tenant_id, assignee_id, updated_at DESC, id DESC);
CREATE INDEX conversations_by_contact ON conversations (tenant_id, contact_id, created_at DESC);

-- A copy of every message for search and reporting, idempotent on (conversation_id, seq).
CREATE TABLE messages (
  conversation_id TEXT NOT NULL REFERENCES conversations(id),
  seq INTEGER NOT NULL,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  author_role TEXT NOT NULL CHECK (author_role IN ('customer', 'agent', 'system')),
  author_id TEXT,
  author_name TEXT,
  channel TEXT NOT NULL,
  text TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (conversation_id, seq)
);
CREATE INDEX messages_by_tenant ON messages (tenant_id, created_at);

CREATE VIRTUAL TABLE messages_fts USING fts5 (
  text,
  content = 'messages',
  content_rowid = 'rowid',
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
  INSERT INTO messages_fts (rowid, text) VALUES (new.rowid, new.text);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
  INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
END;

-- Append-only audit: status, assignment, visibility and identity changes, idempotent on
-- (conversation_id, seq) where seq is the DO's own event counter.
CREATE TABLE conversation_events (
  conversation_id TEXT NOT NULL REFERENCES conversations(id),
  seq INTEGER NOT NULL,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  kind TEXT NOT NULL,
  actor_role TEXT NOT NULL,
  actor_id TEXT,
  data TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  PRIMARY KEY (conversation_id, seq)
);
CREATE INDEX conversation_events_by_tenant ON conversation_events (tenant_id, created_at);
