import { describe, expect, it } from 'vitest';
import { commandsFor } from './commands';

describe('command palette', () => {
  it('reaches every screen', () => {
    const titles = commandsFor('', true).map((c) => c.title);
    for (const s of [
      'Queues',
      'Alerts',
      'Incidents',
      'Runbooks',
      'Services',
      'Maintenance',
      'Procedures',
      'Dashboard',
      'Backups',
      'Admin',
      'Settings',
    ])
      expect(titles).toContain(`Go to ${s}`);
  });
  it('hides Admin from non-admins', () => {
    expect(commandsFor('admin', false).map((c) => c.title)).not.toContain('Go to Admin');
  });
  it('offers to open a ticket by number and to search by text', () => {
    expect(commandsFor('#42', false)[0]!.title).toBe('Open ticket #42');
    expect(commandsFor('printer jam', false)[0]!.title).toContain('Search tickets');
  });
  it('prefers a matching screen over a text search', () => {
    expect(commandsFor('dashboard', false)[0]!.title).toBe('Go to Dashboard');
  });
  it('starts the procedures a person may start, emergencies and checklists, never the wizard', () => {
    const def = (id: string, category: 'emergency' | 'checklist' | 'wizard', assignedRole: string) => ({
      id,
      title: id,
      description: '',
      category,
      assignedRole,
      schedule: null,
      levels: [],
      steps: [],
    });
    const defs = [
      def('data-loss', 'emergency', 'admin'),
      def('daily-checklist', 'checklist', 'oncall'),
      def('maintenance', 'wizard', 'admin'),
    ];
    expect(commandsFor('start procedure', true, defs).map((c) => c.id)).toEqual([
      'procedure:data-loss',
      'procedure:daily-checklist',
      'search',
    ]);
    expect(commandsFor('start procedure', false, defs).map((c) => c.id)).toEqual([
      'procedure:daily-checklist',
      'search',
    ]);
  });
  it('matches every word of the query', () => {
    expect(commandsFor('theme dark', false).map((c) => c.id)).toEqual(['theme:dark', 'search']);
  });
});
