import { DEFAULT_DOCUMENT_LIMITS, MAX_ATTACHMENTS } from '../../protocol';

/** A tenant's document settings (migration 0012), defaults filled in. */
export interface DocumentSettings {
  maxFileBytes: number;
  maxFilesPerMessage: number;
  retentionDays: number;
}

type Row = { document_max_file_bytes: number | null; document_max_files: number | null; document_retention_days: number | null };

/** The tenant's document limits and retention; the defaults for a tenant that set none. */
export async function getDocumentSettings(db: D1Database, tenantId: string): Promise<DocumentSettings> {
  const r = await db.prepare('SELECT document_max_file_bytes, document_max_files, document_retention_days FROM tenants WHERE id = ?').bind(tenantId).first<Row>();
  return {
    maxFileBytes: r?.document_max_file_bytes ?? DEFAULT_DOCUMENT_LIMITS.maxFileBytes,
    maxFilesPerMessage: Math.min(r?.document_max_files ?? DEFAULT_DOCUMENT_LIMITS.maxFilesPerMessage, MAX_ATTACHMENTS),
    retentionDays: r?.document_retention_days ?? DEFAULT_DOCUMENT_LIMITS.retentionDays,
  };
}

/** Change some of the tenant's document settings; null puts one back to its default. */
export async function setDocumentSettings(db: D1Database, tenantId: string, s: { [K in keyof DocumentSettings]?: number | null }): Promise<void> {
  const cur = await db.prepare('SELECT document_max_file_bytes, document_max_files, document_retention_days FROM tenants WHERE id = ?').bind(tenantId).first<Row>();
  if (!cur) return;
  const pick = (v: number | null | undefined, old: number | null) => (v === undefined ? old : v);
  await db
    .prepare('UPDATE tenants SET document_max_file_bytes = ?, document_max_files = ?, document_retention_days = ? WHERE id = ?')
    .bind(pick(s.maxFileBytes, cur.document_max_file_bytes), pick(s.maxFilesPerMessage, cur.document_max_files), pick(s.retentionDays, cur.document_retention_days), tenantId)
    .run();
}
