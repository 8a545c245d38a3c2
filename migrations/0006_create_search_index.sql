-- Search (issue 11) holds masked text only: the full-text copy of 0001 indexed messages as the
-- customer wrote them, so a snippet could show a phone or passport number. It goes; the index is
-- now built from `text_masked`, which the projection writes through worker/privacy/mask.ts.
DROP TRIGGER IF EXISTS messages_fts_insert;
DROP TRIGGER IF EXISTS messages_fts_delete;
DROP TABLE IF EXISTS messages_fts;

-- The masked text, and the tenant as one token ("t" + its id without dashes), so a match is
-- scoped to its tenant inside the index instead of being filtered out after it.
ALTER TABLE messages ADD COLUMN text_masked TEXT;
ALTER TABLE messages ADD COLUMN search_scope TEXT GENERATED ALWAYS AS ('t' || replace(tenant_id, '-', '')) VIRTUAL;
ALTER TABLE notes ADD COLUMN text_masked TEXT;
ALTER TABLE notes ADD COLUMN search_scope TEXT GENERATED ALWAYS AS ('t' || replace(tenant_id, '-', '')) VIRTUAL;

CREATE VIRTUAL TABLE messages_search USING fts5 (
  text_masked,
  search_scope,
  content = 'messages',
  content_rowid = 'rowid',
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER messages_search_insert AFTER INSERT ON messages WHEN new.text_masked IS NOT NULL BEGIN
  INSERT INTO messages_search (rowid, text_masked, search_scope) VALUES (new.rowid, new.text_masked, new.search_scope);
END;
CREATE TRIGGER messages_search_delete AFTER DELETE ON messages WHEN old.text_masked IS NOT NULL BEGIN
  INSERT INTO messages_search (messages_search, rowid, text_masked, search_scope) VALUES ('delete', old.rowid, old.text_masked, old.search_scope);
END;

CREATE VIRTUAL TABLE notes_search USING fts5 (
  text_masked,
  search_scope,
  content = 'notes',
  content_rowid = 'rowid',
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER notes_search_insert AFTER INSERT ON notes WHEN new.text_masked IS NOT NULL BEGIN
  INSERT INTO notes_search (rowid, text_masked, search_scope) VALUES (new.rowid, new.text_masked, new.search_scope);
END;
CREATE TRIGGER notes_search_delete AFTER DELETE ON notes WHEN old.text_masked IS NOT NULL BEGIN
  INSERT INTO notes_search (notes_search, rowid, text_masked, search_scope) VALUES ('delete', old.rowid, old.text_masked, old.search_scope);
END;

-- Contacts are found by name (prefix, any case); ticket numbers by (tenant_id, number) already.
CREATE INDEX contacts_by_name ON contacts (tenant_id, name COLLATE NOCASE);
