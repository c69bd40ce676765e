import { sql, type AliasedRawBuilder, type Kysely, type RawBuilder } from 'kysely';
import type { DialectName } from '../platform/db/dialect';
import type { Database } from '../platform/db/schema';

const TERM = /[\p{L}\p{N}]/u;
const MAX_TERMS = 12;
/** Relevance ranking looks at this many of the newest matches (SQLite; see `match`). */
export const RANK_WINDOW = 1000;

/**
 * User text → an FTS5 query that can only mean "all these words": every term is a double-quoted
 * string (inner quotes doubled), so operators, column filters, `*`, `^`, NEAR and parentheses are
 * plain text. Returns null when nothing searchable is left (e.g. only punctuation).
 */
export function fts5Query(text: string): string | null {
  const terms = text
    .split(/\s+/)
    .filter((t) => TERM.test(t))
    .slice(0, MAX_TERMS)
    .map((t) => `"${t.replace(/"/g, '""')}"`);
  return terms.length ? terms.join(' ') : null;
}

/** Text with at least one letter or digit; PostgreSQL's plainto_tsquery treats the rest as text. */
export function hasSearchableText(text: string): boolean {
  return TERM.test(text);
}

/**
 * The full-text index over subject, description and comments. SQLite: a contentless FTS5 table
 * (the text lives in tickets and ticket_comments only) whose rowid is the ticket number; PostgreSQL: a weighted tsvector column with a GIN index. Kept in the
 * writer's transaction.
 */
export class TicketSearchIndex {
  constructor(private readonly dialect: DialectName) {}

  async index(trx: Kysely<Database>, ticket: { id: string; number: number; subject: string; description: string }): Promise<void> {
    if (this.dialect === 'sqlite') {
      const comments = await trx.selectFrom('ticket_comments').select('body').where('ticket_id', '=', ticket.id).orderBy('created_at').execute();
      const body = [ticket.description, ...comments.map((c) => c.body)].join('\n');
      await sql`delete from ticket_fts where rowid = ${ticket.number}`.execute(trx);
      await sql`insert into ticket_fts (rowid, subject, body) values (${ticket.number}, ${ticket.subject}, ${body})`.execute(trx);
    } else {
      await sql`update tickets set search_vector =
          setweight(to_tsvector('english', subject), 'A') ||
          setweight(to_tsvector('english', description), 'B') ||
          setweight(to_tsvector('english', coalesce((select string_agg(body, ' ') from ticket_comments c where c.ticket_id = tickets.id), '')), 'C')
        where id = ${ticket.id}`.execute(trx);
    }
  }

  /** Call after inserting the comment: SQLite rebuilds the (contentless) document, PostgreSQL appends. */
  async appendComment(trx: Kysely<Database>, ticket: { id: string; number: number; subject: string; description: string }, body: string): Promise<void> {
    if (this.dialect === 'sqlite') {
      await this.index(trx, ticket);
    } else {
      await sql`update tickets set search_vector = search_vector || setweight(to_tsvector('english', ${body}), 'C') where id = ${ticket.id}`.execute(trx);
    }
  }

  /**
   * How to restrict `tickets` to the text and rank it (score: lower is better), or null when the
   * text has nothing searchable. SQLite joins the FTS5 matches (rowid = number); PostgreSQL filters
   * on the tsvector. Text always travels as a bound parameter.
   */
  match(text: string, ranked = true): SearchMatch | null {
    if (this.dialect === 'sqlite') {
      const q = fts5Query(text);
      if (!q) return null;
      // Ranking is bm25 over the newest RANK_WINDOW matches (rowid = ticket number, so newest =
      // highest): FTS5 walks the index backwards and scores only the rows it returns, so a common
      // word at a million tickets costs a bounded amount. Unranked filtering sees every match.
      const source = ranked
        ? sql<{ fts_number: number; fts_score: number }>`(select rowid as fts_number, bm25(ticket_fts, 4.0, 1.0) as fts_score from ticket_fts
            where ticket_fts match ${q} order by rowid desc limit ${sql.lit(RANK_WINDOW)})`
        : sql<{ fts_number: number; fts_score: number }>`(select rowid as fts_number, 0 as fts_score from ticket_fts where ticket_fts match ${q})`;
      return { kind: 'join', source: source.as('fts'), score: sql<number>`fts.fts_score` };
    }
    if (!hasSearchableText(text)) return null;
    return {
      kind: 'where',
      where: sql<boolean>`tickets.search_vector @@ plainto_tsquery('english', ${text})`,
      score: sql<number>`(-ts_rank(tickets.search_vector, plainto_tsquery('english', ${text})))::float8`,
    };
  }
}

export type SearchMatch =
  | { kind: 'join'; source: AliasedRawBuilder<{ fts_number: number; fts_score: number }, 'fts'>; score: RawBuilder<number> }
  | { kind: 'where'; where: RawBuilder<boolean>; score: RawBuilder<number> };
