export interface AttachmentsTable {
  id: string;
  ticket_id: string;
  comment_id: string | null;
  filename: string;
  /** Sniffed from the bytes, never taken from the sender (0070). */
  content_type: string;
  size: number;
  sha256: string;
  /** app | email */
  source: string;
  uploaded_by: string | null;
  created_at: number;
  data: Buffer;
}

export interface AttachmentTables {
  attachments: AttachmentsTable;
}
