-- E-mail as a channel (issue 12). Three tables, all walled by tenant_id:
--
-- mail_settings: one row per brand that has e-mail. Inbound mail to `inbound_address` (or its
-- plus-addresses, support+<token>@…) is this brand's; outbound mail goes through the brand's own SMTP
-- relay. The relay password is read only by the mail queue consumer and no API ever returns any of
-- these columns; the widget learns only whether the brand has e-mail at all.
CREATE TABLE mail_settings (
  tenant_id TEXT PRIMARY KEY REFERENCES tenants(id),
  inbound_address TEXT NOT NULL UNIQUE,        -- lower-case, without a +tag: support@northwind.test
  from_name TEXT NOT NULL,
  from_address TEXT NOT NULL,
  relay_host TEXT NOT NULL,
  relay_port INTEGER NOT NULL CHECK (relay_port BETWEEN 1 AND 65535),
  relay_secure INTEGER NOT NULL DEFAULT 0,     -- 1: implicit TLS (465); 0: STARTTLS when the relay offers it
  relay_user TEXT,
  relay_password TEXT,
  updated_at INTEGER NOT NULL
);

-- Every Message-ID the relay accepted: the queue may deliver a message twice and a sender may enqueue
-- one twice, the relay gets it once (a crash between the relay's yes and this row is the only gap).
CREATE TABLE mail_sent (
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  message_id TEXT NOT NULL,
  conversation_id TEXT,
  sent_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, message_id)
);

-- The e-mail side of a conversation: the customer's address in clear (needed to answer; agents see it
-- only masked, through contacts.email), the subject, and the thread's Message-IDs so every answer is
-- threaded to the customer's last mail.
CREATE TABLE mail_threads (
  conversation_id TEXT PRIMARY KEY REFERENCES conversations(id),
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  address TEXT NOT NULL,
  subject TEXT NOT NULL,
  last_message_id TEXT,                        -- the customer's last mail (what an answer is In-Reply-To)
  refs TEXT NOT NULL DEFAULT '[]',             -- JSON array of the thread's Message-IDs, oldest first, capped
  updated_at INTEGER NOT NULL
);
CREATE INDEX mail_threads_by_tenant ON mail_threads (tenant_id, updated_at);
