import type { Generated } from 'kysely';

/** Tables of the scrape domain (migration 0090). Epoch-ms times, 0/1 booleans. */
export interface ScrapeTargetsTable {
  id: string;
  job: string;
  url: string;
  instance: string;
  interval_seconds: number;
  timeout_ms: number;
  sample_limit: number;
  /** JSON of the extra labels. */
  labels: string;
  source: string;
  paused: Generated<number>;
  state: Generated<string>;
  next_run_at: number;
  last_scrape_at: number | null;
  last_duration_ms: number | null;
  last_samples: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

export interface ScrapeTables {
  scrape_targets: ScrapeTargetsTable;
}
