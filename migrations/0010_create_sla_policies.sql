-- SLA policies (issue 12). Targets per tenant × team × priority, in business seconds: the first
-- response, each next response and the resolution. A team with no row for a priority gets the
-- defaults of protocol/sla.ts DEFAULT_SLA_TARGETS.
CREATE TABLE sla_policies (
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  team_id TEXT NOT NULL,
  priority TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  first_response_s INTEGER NOT NULL CHECK (first_response_s BETWEEN 60 AND 7776000),
  next_response_s INTEGER NOT NULL CHECK (next_response_s BETWEEN 60 AND 7776000),
  resolution_s INTEGER NOT NULL CHECK (resolution_s BETWEEN 60 AND 7776000),
  PRIMARY KEY (tenant_id, team_id, priority)
);

-- The tenant's business calendar (JSON { timezone, hours: [{ day, from, to }], holidays: [date] },
-- see protocol/sla.ts BusinessCalendar; NULL: round the clock) and the share of a target at which
-- agents are warned.
ALTER TABLE tenants ADD COLUMN sla_calendar TEXT;
ALTER TABLE tenants ADD COLUMN sla_warn_percent INTEGER NOT NULL DEFAULT 80 CHECK (sla_warn_percent BETWEEN 1 AND 99);

-- The ticket's SLA as its Conversation object last recorded it: the level its alarm raised (NULL
-- before it is a ticket and once resolved) and when the clock due first runs out (wall clock, ms;
-- NULL while the clocks pause). For reports and lists; the live countdown comes from the object.
ALTER TABLE conversations ADD COLUMN sla_state TEXT CHECK (sla_state IS NULL OR sla_state IN ('ok', 'warning', 'breached'));
ALTER TABLE conversations ADD COLUMN sla_due_at INTEGER;
