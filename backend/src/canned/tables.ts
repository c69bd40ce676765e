export interface CannedRepliesTable {
  id: string;
  /** null: shared with everyone (admins manage it); else the agent's own (0071). */
  owner_id: string | null;
  name: string;
  body: string;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface CannedTables {
  canned_replies: CannedRepliesTable;
}
