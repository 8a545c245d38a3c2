-- Documents (issue 13): each tenant's limits for files attached to messages and how long they are
-- kept. NULL means the default (protocol/documents.ts DEFAULT_DOCUMENT_LIMITS: 10 MB a file,
-- 5 files a message, 90 days).
ALTER TABLE tenants ADD COLUMN document_max_file_bytes INTEGER CHECK (document_max_file_bytes IS NULL OR document_max_file_bytes > 0);
ALTER TABLE tenants ADD COLUMN document_max_files INTEGER CHECK (document_max_files IS NULL OR document_max_files BETWEEN 1 AND 10);
ALTER TABLE tenants ADD COLUMN document_retention_days INTEGER CHECK (document_retention_days IS NULL OR document_retention_days > 0);
