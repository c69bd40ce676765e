/** The email channel's tables (migration 0050_helpdesk_email). Timestamps are epoch ms; booleans 0/1. */
export interface QueueMailboxesTable {
  queue_id: string;
  /** The queue's address: From of every reply, where customers write. */
  address: string;
  display_name: string;
  imap_host: string;
  imap_port: number;
  imap_tls: number;
  imap_user: string;
  /** Sealed with the server's key (platform/secret-box.ts); never leaves the server in clear. */
  imap_password: string;
  imap_folder: string;
  /** Where a processed message is moved; null: it stays and is marked \Seen. */
  processed_folder: string | null;
  /** Outbound through this server; null: the server's SMTP_URL. */
  smtp_host: string | null;
  smtp_port: number | null;
  smtp_tls: number;
  /** Log in to SMTP with the mailbox's user and password. */
  smtp_auth: number;
  enabled: number;
  ack_enabled: number;
  ack_template: string;
  max_message_bytes: number;
  uid_validity: string | null;
  last_uid: number;
  /** stopped | connecting | idle | polling | error */
  status: string;
  last_error: string | null;
  last_checked_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface MailMessagesTable {
  id: string;
  queue_id: string;
  /** in | out */
  direction: string;
  /** Without angle brackets; for a message without one, `sha256:<hash of the raw message>`. */
  message_id: string;
  ticket_id: string | null;
  comment_id: string | null;
  from_address: string;
  subject: string;
  /** JSON array: auto, malformed, oversized, duplicate-ticket-tag, … */
  flags: string;
  /** The raw message, kept only when it could not be parsed. */
  raw: string | null;
  at: number;
}

export interface OutboundMailTable {
  id: string;
  ticket_id: string;
  /** The public reply it carries; null for an acknowledgement. */
  comment_id: string | null;
  /** reply | ack */
  kind: string;
  queue_id: string;
  to_addresses: string;
  cc_addresses: string;
  subject: string;
  body: string;
  message_id: string;
  in_reply_to: string | null;
  /** JSON array of Message-IDs, oldest first. */
  references_ids: string;
  /** queued | sending | sent | retrying | failed */
  state: string;
  attempts: number;
  last_error: string | null;
  next_attempt_at: number | null;
  attempt_started_at: number | null;
  sent_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface MailTables {
  queue_mailboxes: QueueMailboxesTable;
  mail_messages: MailMessagesTable;
  outbound_mail: OutboundMailTable;
}
