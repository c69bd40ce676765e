import { existsSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pgCredentials } from './pg-credentials';

describe('pg_dump / pg_restore credentials', () => {
  it('keep the password off the command line: a 0600 PGPASSFILE in a private folder, removed afterwards', () => {
    const c = pgCredentials('postgres://ops:s3cr%3At%5Cpw@db.example:6543/opsdesk?sslmode=require');
    try {
      expect(c.dbname).not.toContain('s3cr');
      expect(c.dbname).toBe('postgres://ops@db.example:6543/opsdesk?sslmode=require');
      const file = c.env.PGPASSFILE!;
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, 'utf8')).toBe('db.example:6543:opsdesk:ops:s3cr\\:t\\\\pw\n');
    } finally {
      c.cleanup();
    }
    expect(existsSync(c.env.PGPASSFILE!)).toBe(false);
  });

  it('a URL without a password needs no file', () => {
    const c = pgCredentials('postgres://ops@127.0.0.1/opsdesk');
    expect(c.env).toEqual({});
    expect(c.dbname).toBe('postgres://ops@127.0.0.1/opsdesk');
    c.cleanup();
  });
});
