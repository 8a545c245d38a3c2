-- Topics and macros (issue 11). Each tenant keeps one list of topics (what a conversation is about:
-- Roaming, Billing, Number porting, …); an agent sets one, and the tenant may require one at resolve.
-- The brand's pre-chat choices (tenants.prechat_topics) are a subset of this list.
CREATE TABLE topics (
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  key TEXT NOT NULL,
  label TEXT NOT NULL,
  position INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, key)
);

-- Every topic a brand already offers before the first message becomes one of its topics, in order.
INSERT OR IGNORE INTO topics (tenant_id, key, label, position)
  SELECT t.id, json_extract(j.value, '$.key'), json_extract(j.value, '$.label'), j.key
  FROM tenants t, json_each(t.prechat_topics) j
  WHERE json_extract(j.value, '$.key') IS NOT NULL;

ALTER TABLE tenants ADD COLUMN require_topic_at_resolve INTEGER NOT NULL DEFAULT 0 CHECK (require_topic_at_resolve IN (0, 1));

-- A macro is a canned reply with actions (JSON, see protocol/macros.ts MacroActions): set a topic or
-- a priority, hold for some minutes, resolve. '{}' is a plain canned reply, as every one was before.
ALTER TABLE canned_replies ADD COLUMN actions TEXT NOT NULL DEFAULT '{}';
