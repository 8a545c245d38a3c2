-- Teams and routing (issue 10). A tenant's agents work in teams; each conversation belongs to one
-- team, chosen by the tenant's routing rules, and waits in that team's live queue (one Inbox
-- Durable Object per tenant and team). Team ids are slugs, unique per tenant.
CREATE TABLE teams (
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  -- After this many seconds unassigned, overflow_to's agents may take the conversation; NULL: never.
  overflow_after_s INTEGER CHECK (overflow_after_s IS NULL OR overflow_after_s BETWEEN 10 AND 86400),
  overflow_to TEXT,
  position INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

-- Who works in which team, with how many of its chats at once; supervises: sees and steers it.
CREATE TABLE team_members (
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  team_id TEXT NOT NULL,
  agent_id TEXT NOT NULL REFERENCES agents(id),
  capacity INTEGER NOT NULL DEFAULT 5 CHECK (capacity BETWEEN 0 AND 100),
  supervises INTEGER NOT NULL DEFAULT 0 CHECK (supervises IN (0, 1)),
  PRIMARY KEY (tenant_id, team_id, agent_id)
);
CREATE INDEX team_members_by_agent ON team_members (agent_id);

-- The tenant's routing: its rules in order (JSON array, see protocol/teams.ts RoutingRule) and the
-- topics its brand offers before the first message (JSON array of { key, label }).
ALTER TABLE tenants ADD COLUMN routing_rules TEXT NOT NULL DEFAULT '[]';
ALTER TABLE tenants ADD COLUMN prechat_topics TEXT NOT NULL DEFAULT '[]';

-- Every tenant has the default team; every agent who was there works in it, as before.
INSERT INTO teams (tenant_id, id, name, created_at) SELECT id, 'general', 'General', created_at FROM tenants;
INSERT INTO team_members (tenant_id, team_id, agent_id, capacity, supervises)
  SELECT tenant_id, 'general', id, max_chats, CASE WHEN role IN ('supervisor', 'admin') THEN 1 ELSE 0 END FROM agents;

-- The ticket's team, pre-chat topic and VIP mark, projected from the Conversation object.
ALTER TABLE conversations ADD COLUMN team_id TEXT NOT NULL DEFAULT 'general';
ALTER TABLE conversations ADD COLUMN topic TEXT;
ALTER TABLE conversations ADD COLUMN vip INTEGER NOT NULL DEFAULT 0;
CREATE INDEX conversations_by_team ON conversations (tenant_id, team_id, opened_at, updated_at DESC, id DESC);
