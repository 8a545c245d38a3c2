-- A contact may be found by a phone number the partner signed into the identity token (`phone`),
-- so an agent can look a caller up by the number they give (issue 11). The number is stored only as
-- HMAC-SHA-256 of its E.164 form keyed with the tenant id (worker/contacts/phone.ts), never in clear:
-- agents see numbers masked everywhere, and a clear copy here would show in every dump, backup and
-- debugging query; keyed per tenant, equal numbers of two partners never hash alike, so no one can
-- join subscribers across tenants. (The space of numbers is small: this keeps them out of sight,
-- it does not make them secret from someone who holds the database and tries every number.)
--
-- SQLite cannot alter a CHECK, so the table is rebuilt with 'phone' among its kinds: create, copy
-- every row, drop, rename, and its index again. Nothing references contact_identities.
CREATE TABLE contact_identities_new (
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  kind TEXT NOT NULL CHECK (kind IN ('external', 'visitor', 'email', 'phone')),
  value TEXT NOT NULL,                         -- external id; SHA-256 of a visitor token; lower-case email; tenant-keyed hash of a phone
  contact_id TEXT NOT NULL REFERENCES contacts(id),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, kind, value)
);
INSERT INTO contact_identities_new (tenant_id, kind, value, contact_id, created_at)
  SELECT tenant_id, kind, value, contact_id, created_at FROM contact_identities;
DROP TABLE contact_identities;
ALTER TABLE contact_identities_new RENAME TO contact_identities;
CREATE INDEX contact_identities_by_contact ON contact_identities (contact_id);
