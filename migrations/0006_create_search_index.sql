-- Search (issue 11) holds masked text only: the full-text copy of 0001 indexed messages as the
-- customer wrote them, so a snippet could show a phone or passport number. It goes; the index is
-- now built from `text_masked`, which the projection writes through worker/privacy/mask.ts.
DROP TRIGGER IF EXISTS messages_fts_insert;
DROP TRIGGER IF EXISTS messages_fts_delete;
DROP TABLE IF EXISTS messages_fts;

-- The masked text. The tenant is kept by the ticket join, not by a term in the index: a token
-- every row of a tenant carries made each query intersect with a list as long as the tenant
-- (docs/scale.md, search at 1,000,000 messages).
ALTER TABLE messages ADD COLUMN text_masked TEXT;
ALTER TABLE notes ADD COLUMN text_masked TEXT;

CREATE VIRTUAL TABLE messages_search USING fts5 (
  text_masked,
  content = 'messages',
  content_rowid = 'rowid',
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER messages_search_insert AFTER INSERT ON messages WHEN new.text_masked IS NOT NULL BEGIN
  INSERT INTO messages_search (rowid, text_masked) VALUES (new.rowid, new.text_masked);
END;
CREATE TRIGGER messages_search_delete AFTER DELETE ON messages WHEN old.text_masked IS NOT NULL BEGIN
  INSERT INTO messages_search (messages_search, rowid, text_masked) VALUES ('delete', old.rowid, old.text_masked);
END;

CREATE VIRTUAL TABLE notes_search USING fts5 (
  text_masked,
  content = 'notes',
  content_rowid = 'rowid',
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER notes_search_insert AFTER INSERT ON notes WHEN new.text_masked IS NOT NULL BEGIN
  INSERT INTO notes_search (rowid, text_masked) VALUES (new.rowid, new.text_masked);
END;
CREATE TRIGGER notes_search_delete AFTER DELETE ON notes WHEN old.text_masked IS NOT NULL BEGIN
  INSERT INTO notes_search (notes_search, rowid, text_masked) VALUES ('delete', old.rowid, old.text_masked);
END;

-- Contacts are found by name (prefix, any case); ticket numbers by (tenant_id, number) already.
CREATE INDEX contacts_by_name ON contacts (tenant_id, name COLLATE NOCASE);
