-- Reports for supervisors (issue 14). Reports read rollups, never messages: the projection keeps
-- per-conversation facts (what its log says, recomputed whole whenever it changes, so a replayed
-- batch changes nothing) and hourly rollups summed from them for every bucket a change touched.

-- The agents' state log in D1, append-only: each row is one entry of the tenant's Floor object log
-- (its own autoincrement id is `seq`), so a resent row is the same row.
CREATE TABLE agent_state_log (
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  seq INTEGER NOT NULL,
  agent_id TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('online', 'away', 'offline')),
  at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, seq)
);
CREATE INDEX agent_state_log_by_agent ON agent_state_log (tenant_id, agent_id, at);

-- Report settings per tenant: a long pause is a customer wait longer than this (seconds); a shift
-- schedule (JSON { from: "HH:MM", to: "HH:MM" }, UTC) replaces first sign-in to last sign-out.
ALTER TABLE tenants ADD COLUMN long_pause_s INTEGER NOT NULL DEFAULT 60 CHECK (long_pause_s BETWEEN 5 AND 86400);
ALTER TABLE tenants ADD COLUMN shift_schedule TEXT;

-- One row per conversation: how many log rows (messages + events) its facts were computed from.
-- D1's log of a conversation only grows, so a computation that saw fewer rows never replaces one
-- that saw more (a slow consumer cannot put older facts back).
CREATE TABLE report_conversations (
  conversation_id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  rows_seen INTEGER NOT NULL
);

-- The figures one conversation adds to each hourly bucket (hour: ms at the start of the UTC hour;
-- '' for no agent / no topic). Replaced whole when the conversation's facts are recomputed.
CREATE TABLE report_facts (
  tenant_id TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  hour INTEGER NOT NULL,
  team_id TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  topic TEXT NOT NULL,
  channel TEXT NOT NULL,
  received INTEGER NOT NULL DEFAULT 0, handled INTEGER NOT NULL DEFAULT 0, resolved INTEGER NOT NULL DEFAULT 0,
  reopened INTEGER NOT NULL DEFAULT 0, abandoned INTEGER NOT NULL DEFAULT 0,
  csat_good INTEGER NOT NULL DEFAULT 0, csat_bad INTEGER NOT NULL DEFAULT 0, csat_comments INTEGER NOT NULL DEFAULT 0,
  frt_ms INTEGER NOT NULL DEFAULT 0, frt_n INTEGER NOT NULL DEFAULT 0, rt_ms INTEGER NOT NULL DEFAULT 0, rt_n INTEGER NOT NULL DEFAULT 0,
  handle_ms INTEGER NOT NULL DEFAULT 0, handle_n INTEGER NOT NULL DEFAULT 0, resolution_ms INTEGER NOT NULL DEFAULT 0, resolution_n INTEGER NOT NULL DEFAULT 0,
  sla_met INTEGER NOT NULL DEFAULT 0, sla_n INTEGER NOT NULL DEFAULT 0, pauses INTEGER NOT NULL DEFAULT 0, pause_ms INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (conversation_id, hour, agent_id, channel)
);
CREATE INDEX report_facts_by_bucket ON report_facts (tenant_id, hour, team_id, agent_id, topic, channel);

-- The hourly rollup the reports read: the sum of report_facts per bucket.
CREATE TABLE report_hourly (
  tenant_id TEXT NOT NULL,
  hour INTEGER NOT NULL,
  team_id TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  topic TEXT NOT NULL,
  channel TEXT NOT NULL,
  received INTEGER NOT NULL DEFAULT 0, handled INTEGER NOT NULL DEFAULT 0, resolved INTEGER NOT NULL DEFAULT 0,
  reopened INTEGER NOT NULL DEFAULT 0, abandoned INTEGER NOT NULL DEFAULT 0,
  csat_good INTEGER NOT NULL DEFAULT 0, csat_bad INTEGER NOT NULL DEFAULT 0, csat_comments INTEGER NOT NULL DEFAULT 0,
  frt_ms INTEGER NOT NULL DEFAULT 0, frt_n INTEGER NOT NULL DEFAULT 0, rt_ms INTEGER NOT NULL DEFAULT 0, rt_n INTEGER NOT NULL DEFAULT 0,
  handle_ms INTEGER NOT NULL DEFAULT 0, handle_n INTEGER NOT NULL DEFAULT 0, resolution_ms INTEGER NOT NULL DEFAULT 0, resolution_n INTEGER NOT NULL DEFAULT 0,
  sla_met INTEGER NOT NULL DEFAULT 0, sla_n INTEGER NOT NULL DEFAULT 0, pauses INTEGER NOT NULL DEFAULT 0, pause_ms INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, hour, team_id, agent_id, topic, channel)
);

-- Every long pause, for the drill-down to its message pair (the customer's message that started
-- the wait, the agent's reply that ended it).
CREATE TABLE report_pauses (
  tenant_id TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  customer_seq INTEGER NOT NULL,
  agent_seq INTEGER NOT NULL,
  agent_id TEXT NOT NULL,
  team_id TEXT NOT NULL,
  topic TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  waited_ms INTEGER NOT NULL,
  PRIMARY KEY (conversation_id, customer_seq)
);
CREATE INDEX report_pauses_by_time ON report_pauses (tenant_id, started_at);

-- Every rating a resolution ended with (its last one), with its comment, for the CSAT table.
CREATE TABLE report_ratings (
  tenant_id TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  event_seq INTEGER NOT NULL,
  at INTEGER NOT NULL,
  score TEXT NOT NULL CHECK (score IN ('good', 'bad')),
  comment TEXT,
  agent_id TEXT NOT NULL,
  team_id TEXT NOT NULL,
  topic TEXT NOT NULL,
  PRIMARY KEY (conversation_id, event_seq)
);
CREATE INDEX report_ratings_by_time ON report_ratings (tenant_id, at);

-- Who handled a conversation when: from getting it (assigned, or taking it by replying) to its end
-- for them (resolved, closed, handed on, released); end_at NULL while it goes on. Occupancy reads it.
CREATE TABLE report_handling (
  tenant_id TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  start_at INTEGER NOT NULL,
  end_at INTEGER,
  PRIMARY KEY (conversation_id, agent_id, start_at)
);
CREATE INDEX report_handling_by_agent ON report_handling (tenant_id, agent_id, start_at);

-- One row per agent and UTC day: the shift and its times, recomputed from the state log and
-- report_handling whenever either changes for that day.
CREATE TABLE report_agent_days (
  tenant_id TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  day INTEGER NOT NULL,
  shift_start INTEGER NOT NULL,
  shift_end INTEGER NOT NULL,
  shift_ms INTEGER NOT NULL,
  available_ms INTEGER NOT NULL,
  away_ms INTEGER NOT NULL,
  handling_ms INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, agent_id, day)
);

-- Coarser rollups summed from report_hourly for the buckets a change touched, so a long range reads
-- thousands of rows, not hundreds of thousands: per team and hour (days and hours in any time
-- zone), per team and agent and UTC day, per team, topic and channel and UTC day, and the full grain
-- (team × agent × topic × channel) per UTC day, for any filter the others lack. A report takes
-- the partial days at its edges from report_hourly, so every sum is exact.
CREATE TABLE report_hourly_team (
  tenant_id TEXT NOT NULL, hour INTEGER NOT NULL, team_id TEXT NOT NULL,
  received INTEGER NOT NULL DEFAULT 0, handled INTEGER NOT NULL DEFAULT 0, resolved INTEGER NOT NULL DEFAULT 0,
  reopened INTEGER NOT NULL DEFAULT 0, abandoned INTEGER NOT NULL DEFAULT 0,
  csat_good INTEGER NOT NULL DEFAULT 0, csat_bad INTEGER NOT NULL DEFAULT 0, csat_comments INTEGER NOT NULL DEFAULT 0,
  frt_ms INTEGER NOT NULL DEFAULT 0, frt_n INTEGER NOT NULL DEFAULT 0, rt_ms INTEGER NOT NULL DEFAULT 0, rt_n INTEGER NOT NULL DEFAULT 0,
  handle_ms INTEGER NOT NULL DEFAULT 0, handle_n INTEGER NOT NULL DEFAULT 0, resolution_ms INTEGER NOT NULL DEFAULT 0, resolution_n INTEGER NOT NULL DEFAULT 0,
  sla_met INTEGER NOT NULL DEFAULT 0, sla_n INTEGER NOT NULL DEFAULT 0, pauses INTEGER NOT NULL DEFAULT 0, pause_ms INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, hour, team_id)
);
CREATE TABLE report_daily_agent (
  tenant_id TEXT NOT NULL, day INTEGER NOT NULL, team_id TEXT NOT NULL, agent_id TEXT NOT NULL,
  received INTEGER NOT NULL DEFAULT 0, handled INTEGER NOT NULL DEFAULT 0, resolved INTEGER NOT NULL DEFAULT 0,
  reopened INTEGER NOT NULL DEFAULT 0, abandoned INTEGER NOT NULL DEFAULT 0,
  csat_good INTEGER NOT NULL DEFAULT 0, csat_bad INTEGER NOT NULL DEFAULT 0, csat_comments INTEGER NOT NULL DEFAULT 0,
  frt_ms INTEGER NOT NULL DEFAULT 0, frt_n INTEGER NOT NULL DEFAULT 0, rt_ms INTEGER NOT NULL DEFAULT 0, rt_n INTEGER NOT NULL DEFAULT 0,
  handle_ms INTEGER NOT NULL DEFAULT 0, handle_n INTEGER NOT NULL DEFAULT 0, resolution_ms INTEGER NOT NULL DEFAULT 0, resolution_n INTEGER NOT NULL DEFAULT 0,
  sla_met INTEGER NOT NULL DEFAULT 0, sla_n INTEGER NOT NULL DEFAULT 0, pauses INTEGER NOT NULL DEFAULT 0, pause_ms INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, day, team_id, agent_id)
);
CREATE TABLE report_daily_topic (
  tenant_id TEXT NOT NULL, day INTEGER NOT NULL, team_id TEXT NOT NULL, topic TEXT NOT NULL, channel TEXT NOT NULL,
  received INTEGER NOT NULL DEFAULT 0, handled INTEGER NOT NULL DEFAULT 0, resolved INTEGER NOT NULL DEFAULT 0,
  reopened INTEGER NOT NULL DEFAULT 0, abandoned INTEGER NOT NULL DEFAULT 0,
  csat_good INTEGER NOT NULL DEFAULT 0, csat_bad INTEGER NOT NULL DEFAULT 0, csat_comments INTEGER NOT NULL DEFAULT 0,
  frt_ms INTEGER NOT NULL DEFAULT 0, frt_n INTEGER NOT NULL DEFAULT 0, rt_ms INTEGER NOT NULL DEFAULT 0, rt_n INTEGER NOT NULL DEFAULT 0,
  handle_ms INTEGER NOT NULL DEFAULT 0, handle_n INTEGER NOT NULL DEFAULT 0, resolution_ms INTEGER NOT NULL DEFAULT 0, resolution_n INTEGER NOT NULL DEFAULT 0,
  sla_met INTEGER NOT NULL DEFAULT 0, sla_n INTEGER NOT NULL DEFAULT 0, pauses INTEGER NOT NULL DEFAULT 0, pause_ms INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, day, team_id, topic, channel)
);

CREATE TABLE report_daily_agent_topic (
  tenant_id TEXT NOT NULL, day INTEGER NOT NULL, team_id TEXT NOT NULL, agent_id TEXT NOT NULL, topic TEXT NOT NULL, channel TEXT NOT NULL,
  received INTEGER NOT NULL DEFAULT 0, handled INTEGER NOT NULL DEFAULT 0, resolved INTEGER NOT NULL DEFAULT 0,
  reopened INTEGER NOT NULL DEFAULT 0, abandoned INTEGER NOT NULL DEFAULT 0,
  csat_good INTEGER NOT NULL DEFAULT 0, csat_bad INTEGER NOT NULL DEFAULT 0, csat_comments INTEGER NOT NULL DEFAULT 0,
  frt_ms INTEGER NOT NULL DEFAULT 0, frt_n INTEGER NOT NULL DEFAULT 0, rt_ms INTEGER NOT NULL DEFAULT 0, rt_n INTEGER NOT NULL DEFAULT 0,
  handle_ms INTEGER NOT NULL DEFAULT 0, handle_n INTEGER NOT NULL DEFAULT 0, resolution_ms INTEGER NOT NULL DEFAULT 0, resolution_n INTEGER NOT NULL DEFAULT 0,
  sla_met INTEGER NOT NULL DEFAULT 0, sla_n INTEGER NOT NULL DEFAULT 0, pauses INTEGER NOT NULL DEFAULT 0, pause_ms INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, day, team_id, agent_id, topic, channel)
);

-- The backlog (tickets open, pending or on hold now) counted from this small partial index alone:
-- through the other indexes a count walks every ticket the tenant ever had.
CREATE INDEX conversations_backlog ON conversations (tenant_id, team_id, assignee_id, topic) WHERE status IN ('open', 'pending', 'on_hold') AND opened_at IS NOT NULL;
