-- Written complaints (issue 12). A complaint is owed a written answer within the tenant's answer
-- period. The register lives here; its clock (reminders at 50 % and 80 % and when overdue) runs on
-- the alarm of the conversation it was filed in, which records each reminder here exactly once.

-- Per tenant: the answer period and the formal letter's template (letterhead and closing).
CREATE TABLE complaint_settings (
  tenant_id TEXT PRIMARY KEY REFERENCES tenants(id),
  answer_days INTEGER NOT NULL DEFAULT 30 CHECK (answer_days BETWEEN 1 AND 365),
  -- The brand's complaints mailbox: inbound mail to it becomes a complaint. NULL: none.
  complaints_address TEXT,
  letterhead TEXT NOT NULL DEFAULT '',
  sender_name TEXT NOT NULL DEFAULT '',
  closing TEXT NOT NULL DEFAULT 'Yours sincerely',
  updated_at INTEGER NOT NULL
);

-- Register numbers are sequential per tenant and year: C-2026-000123.
CREATE TABLE complaint_counters (
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  year INTEGER NOT NULL,
  last INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, year)
);

-- Overdue is not stored: it is derived (due_at passed and not answered), so it can never be stale.
CREATE TABLE complaints (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  number TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  contact_id TEXT NOT NULL,
  team_id TEXT NOT NULL DEFAULT 'general',
  channel TEXT NOT NULL CHECK (channel IN ('web', 'app', 'modem', 'api', 'email')),
  subject TEXT NOT NULL,
  happened TEXT NOT NULL,
  wanted TEXT NOT NULL,
  email TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'in_review', 'answered')),
  assignee_id TEXT,
  assignee_name TEXT,
  received_at INTEGER NOT NULL,
  due_at INTEGER NOT NULL,
  answered_at INTEGER,
  updated_at INTEGER NOT NULL,
  -- What it was filed from, when that can come twice (a mail redelivered: its Message-ID's key).
  source_key TEXT,
  UNIQUE (tenant_id, number)
);
CREATE UNIQUE INDEX complaints_by_source ON complaints (tenant_id, source_key) WHERE source_key IS NOT NULL;
CREATE INDEX complaints_by_status ON complaints (tenant_id, status, due_at);
CREATE INDEX complaints_by_team ON complaints (tenant_id, team_id, due_at);
CREATE INDEX complaints_by_conversation ON complaints (tenant_id, conversation_id);

-- Each reminder once: the primary key refuses a second of the same stage.
CREATE TABLE complaint_reminders (
  complaint_id TEXT NOT NULL REFERENCES complaints(id),
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  stage TEXT NOT NULL CHECK (stage IN ('half', 'late', 'overdue')),
  at INTEGER NOT NULL,
  -- JSON array of { id, name } reminded: the assignee and the team's supervisors.
  recipients TEXT NOT NULL,
  PRIMARY KEY (complaint_id, stage)
);

-- The agent's draft of the answer: changeable until approved.
CREATE TABLE complaint_drafts (
  complaint_id TEXT PRIMARY KEY REFERENCES complaints(id),
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  body TEXT NOT NULL,
  author_id TEXT NOT NULL,
  author_name TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);

-- The letter that went out: immutable. The triggers refuse any change or deletion, whoever asks.
CREATE TABLE complaint_letters (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  complaint_id TEXT NOT NULL UNIQUE REFERENCES complaints(id),
  html TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  author_id TEXT NOT NULL,
  author_name TEXT NOT NULL,
  approver_id TEXT NOT NULL,
  approver_name TEXT NOT NULL,
  issued_at INTEGER NOT NULL
);
CREATE TRIGGER complaint_letters_no_update BEFORE UPDATE ON complaint_letters BEGIN SELECT RAISE(ABORT, 'complaint letters are immutable'); END;
CREATE TRIGGER complaint_letters_no_delete BEFORE DELETE ON complaint_letters BEGIN SELECT RAISE(ABORT, 'complaint letters are immutable'); END;
