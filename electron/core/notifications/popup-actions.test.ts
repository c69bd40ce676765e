import { DOMParser, type Document } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { parseAlertAction, type ShownNotification } from '../../../shared/ipc';
import { popupActions, popupTarget, toastXml, xmlText } from './popup-actions';

const popup = (patch: Partial<ShownNotification> = {}): ShownNotification => ({
  id: 'n1', at: 0, title: '[HIGH] disk_full: /var at 96%', body: 'web-1', severity: 'high', sound: false, alertId: 'a1', alertIds: ['a1'], ...patch,
});

/** Parses strictly: any error (not well-formed, bad entity) throws. */
function parseXml(xml: string): Document {
  return new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') throw new Error(`${level}: ${message}`);
    },
  }).parseFromString(xml, 'text/xml');
}
const attrs = (el: { attributes: { length: number; item(i: number): { name: string; value: string } | null } }) =>
  Object.fromEntries(Array.from({ length: el.attributes.length }, (_, i) => [el.attributes.item(i)!.name, el.attributes.item(i)!.value]));

describe('where a popup click leads', () => {
  it('an alert popup opens its alert, a summary its first alert, an SLA notice its ticket, a quiet-hours summary nothing', () => {
    expect(popupTarget(popup())).toEqual({ kind: 'alert', id: 'a1' });
    expect(popupTarget(popup({ alertId: null, alertIds: ['a2', 'a3'] }))).toEqual({ kind: 'alert', id: 'a2' });
    expect(popupTarget(popup({ alertId: null, alertIds: [], ticketNumber: 42 }))).toEqual({ kind: 'ticket', number: 42 });
    expect(popupTarget(popup({ alertId: null, alertIds: [], ticketNumber: null }))).toBeNull();
    expect(popupTarget(popup({ alertId: null, alertIds: [] }))).toBeNull();
  });

  it('an SLA notice is a plain click popup on every OS (no Acknowledge: it is not an alert)', () => {
    for (const os of ['darwin', 'win32', 'linux']) expect(popupActions(os, popup({ alertId: null, alertIds: [], ticketNumber: 42 }))).toEqual({ kind: 'click' });
  });
});

describe('popup actions per OS', () => {
  it('macOS gets an Acknowledge action, Windows a toast, Linux and summaries a click', () => {
    expect(popupActions('darwin', popup())).toEqual({ kind: 'actions', buttons: [{ type: 'button', text: 'Acknowledge' }] });
    expect(popupActions('darwin', popup({ alertId: null, alertIds: ['a', 'b', 'c'] }))).toMatchObject({ buttons: [{ text: 'Acknowledge 3' }] });
    expect(popupActions('win32', popup())).toMatchObject({ kind: 'toast', toastXml: expect.stringContaining('opsdesk://alerts/a1/ack') });
    expect(popupActions('linux', popup())).toEqual({ kind: 'click' });
    // A quiet-hours summary is about no single alert.
    expect(popupActions('darwin', popup({ alertId: null, alertIds: [] }))).toEqual({ kind: 'click' });
    expect(popupActions('win32', popup({ alertId: null, alertIds: ['a', 'b'] }))).toEqual({ kind: 'click' });
  });
});

describe('toast XML', () => {
  it('is well-formed and its buttons activate the ack and open links', () => {
    const doc = parseXml(toastXml(popup({ severity: 'critical', sound: true }), 'a1'));
    const toast = doc.documentElement!;
    expect(toast.tagName).toBe('toast');
    expect(attrs(toast)).toMatchObject({ activationType: 'protocol', launch: 'opsdesk://alerts/a1', scenario: 'reminder' });
    expect(Array.from(doc.getElementsByTagName('text')).map((t) => t.textContent)).toEqual(['[HIGH] disk_full: /var at 96%', 'web-1']);
    const actions = Array.from(doc.getElementsByTagName('action')).map((a) => attrs(a));
    expect(actions.map((a) => [a.content, parseAlertAction(a.arguments!)])).toEqual([
      ['Acknowledge', { alertId: 'a1', action: 'ack' }],
      ['Open', { alertId: 'a1', action: 'open' }],
    ]);
  });

  it('escapes hostile alert text: it stays text and cannot add elements, attributes or buttons', () => {
    const hostile = `</text></binding></visual><actions><action content="Pwn" activationType="protocol" arguments="https://evil.example"/></actions><text a="' & "\u0001\u0008\uFFFE`;
    const body = ']]><!--<script>&amp;<?xml version="1.0"?>';
    const doc = parseXml(toastXml(popup({ title: hostile, body }), 'a1'));
    expect(doc.getElementsByTagName('action')).toHaveLength(2);
    expect(doc.getElementsByTagName('script')).toHaveLength(0);
    const texts = Array.from(doc.getElementsByTagName('text')).map((t) => t.textContent);
    // The text arrives as typed, less the control characters XML cannot carry.
    expect(texts).toEqual([hostile.replace('\u0001\u0008\uFFFE', ''), body]);
    expect(xmlText('a\u0000b\u001Fc')).toBe('abc');
  });

  it('an alert id that is not a plain id is refused by the link parser', () => {
    expect(parseAlertAction('opsdesk://alerts/a1/ack')).toEqual({ alertId: 'a1', action: 'ack' });
    expect(parseAlertAction('opsdesk://alerts/a1')).toEqual({ alertId: 'a1', action: 'open' });
    expect(parseAlertAction('opsdesk://alerts/a1/delete')).toBeNull();
    expect(parseAlertAction('opsdesk://alerts/..%2F/ack')).toBeNull();
    expect(parseAlertAction('https://alerts/a1/ack')).toBeNull();
  });
});
