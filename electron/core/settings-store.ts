import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Settings, type NotificationPrefs } from '../../shared/ipc';
import { DEFAULT_NOTIFICATION_PREFS } from './notifications/notification-policy';

export const DEFAULT_SETTINGS: Settings = { theme: 'system', notifications: DEFAULT_NOTIFICATION_PREFS, updateChannel: 'stable' };

/** App-wide preferences in userData/settings.json (not per profile). */
export class SettingsStore {
  private readonly file: string;
  private value: Settings;

  constructor(userData: string) {
    this.file = path.join(userData, 'settings.json');
    this.value = DEFAULT_SETTINGS;
    if (existsSync(this.file)) {
      try {
        const parsed = Settings.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
        if (parsed.success) this.value = parsed.data;
      } catch {
        /* unreadable: defaults */
      }
    }
  }

  get(): Settings {
    return this.value;
  }

  update(patch: { theme?: Settings['theme']; updateChannel?: Settings['updateChannel']; notifications?: Partial<NotificationPrefs> }): Settings {
    this.value = {
      theme: patch.theme ?? this.value.theme,
      updateChannel: patch.updateChannel ?? this.value.updateChannel,
      notifications: { ...this.value.notifications, ...patch.notifications },
    };
    mkdirSync(path.dirname(this.file), { recursive: true });
    writeFileSync(`${this.file}.tmp`, JSON.stringify(this.value, null, 2));
    renameSync(`${this.file}.tmp`, this.file);
    return this.value;
  }
}
