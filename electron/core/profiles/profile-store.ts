import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { Profile, UserRef } from '../../../shared/ipc';
import { CoreError } from '../errors';

const StoredProfile = Profile.extend({
  /** The last signed-in user (not secret), so the app can open offline before a refresh succeeds. */
  lastUser: UserRef.extend({ mfaEnabled: z.boolean() }).nullable().default(null),
});
export type StoredProfile = z.infer<typeof StoredProfile>;
const ProfilesFile = z.object({ profiles: z.array(StoredProfile), activeId: z.string().nullable() });

/** Server profiles in userData/profiles.json; each profile's data lives in userData/profiles/<id>/. */
export class ProfileStore {
  private readonly file: string;
  private data: z.infer<typeof ProfilesFile>;

  constructor(private readonly userData: string) {
    this.file = path.join(userData, 'profiles.json');
    this.data = { profiles: [], activeId: null };
    if (existsSync(this.file)) {
      const parsed = ProfilesFile.safeParse(safeJson(readFileSync(this.file, 'utf8')));
      if (parsed.success) this.data = parsed.data;
    }
  }

  list(): StoredProfile[] {
    return this.data.profiles.map((p) => ({ ...p }));
  }
  get activeId(): string | null {
    return this.data.activeId;
  }
  get(id: string): StoredProfile {
    const p = this.data.profiles.find((x) => x.id === id);
    if (!p) throw new CoreError('not_found', 'No such server profile');
    return p;
  }
  dataDir(id: string): string {
    return path.join(this.userData, 'profiles', id);
  }

  add(input: { name: string; kind: 'local' | 'server'; url: string | null }, now: number): StoredProfile {
    const profile: StoredProfile = { id: randomUUID(), name: input.name, kind: input.kind, url: input.url, lastUserEmail: null, lastUser: null, createdAt: now };
    this.data.profiles.push(profile);
    mkdirSync(this.dataDir(profile.id), { recursive: true });
    this.save();
    return profile;
  }

  update(id: string, patch: Partial<Omit<StoredProfile, 'id'>>): StoredProfile {
    const p = this.get(id);
    Object.assign(p, patch);
    this.save();
    return p;
  }

  remove(id: string): void {
    this.get(id);
    this.data.profiles = this.data.profiles.filter((p) => p.id !== id);
    if (this.data.activeId === id) this.data.activeId = null;
    this.save();
  }

  setActive(id: string | null): void {
    if (id) this.get(id);
    this.data.activeId = id;
    this.save();
  }

  private save(): void {
    mkdirSync(this.userData, { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data, null, 2));
    renameSync(tmp, this.file);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The public view (no lastUser details beyond what the renderer shows). */
export const toPublicProfile = (p: StoredProfile): Profile => ({ id: p.id, name: p.name, kind: p.kind, url: p.url, lastUserEmail: p.lastUserEmail, createdAt: p.createdAt });
