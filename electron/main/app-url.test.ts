import { describe, expect, it } from 'vitest';
import { isAppUrl } from './app-url';

describe('isAppUrl', () => {
  it('accepts the built renderer on Windows, where file URLs and paths are spelled differently', () => {
    const app = { devUrl: undefined, rendererFile: 'C:\\Program Files\\OpsDesk\\resources\\app.asar\\out\\renderer\\index.html' };
    expect(isAppUrl('file:///C:/Program%20Files/OpsDesk/resources/app.asar/out/renderer/index.html', app, 'win32')).toBe(true);
    expect(isAppUrl('file:///c:/Program%20Files/OpsDesk/resources/app.asar/out/renderer/assets/x.js', app, 'win32')).toBe(true);
    expect(isAppUrl('file:///C:/Program%20Files/OpsDesk/resources/app.asar/out/renderer-evil/index.html', app, 'win32')).toBe(false);
    expect(isAppUrl('file:///C:/Program%20Files/OpsDesk/resources/app.asar/out/renderer/../../secrets.html', app, 'win32')).toBe(false);
    expect(isAppUrl('file:///D:/Program%20Files/OpsDesk/resources/app.asar/out/renderer/index.html', app, 'win32')).toBe(false);
    expect(isAppUrl('file://evil-host/C:/Program%20Files/OpsDesk/resources/app.asar/out/renderer/index.html', app, 'win32')).toBe(false);
    expect(isAppUrl('file:///C:/Program%20Files/OpsDesk/resources/app.asar/out/renderer%5C..%5C..%5Cx.html', app, 'win32')).toBe(false);
  });

  it('accepts the built renderer on macOS and Linux, and nothing beside it', () => {
    const app = { devUrl: undefined, rendererFile: '/Applications/OpsDesk.app/Contents/Resources/app.asar/out/renderer/index.html' };
    expect(isAppUrl('file:///Applications/OpsDesk.app/Contents/Resources/app.asar/out/renderer/index.html', app, 'darwin')).toBe(true);
    expect(isAppUrl('file:///Applications/OpsDesk.app/Contents/Resources/app.asar/out/renderer/index.html#/queues', app, 'linux')).toBe(true);
    expect(isAppUrl('file:///Applications/OpsDesk.app/Contents/Resources/app.asar/out/rendererX/index.html', app, 'linux')).toBe(false);
    expect(isAppUrl('file:///Applications/OpsDesk.app/Contents/Resources/app.asar/out/renderer', app, 'linux')).toBe(false);
    expect(isAppUrl('file:///etc/passwd', app, 'linux')).toBe(false);
    expect(isAppUrl('file:///Applications/OpsDesk.app/Contents/Resources/app.asar/out/renderer/%2F..%2Fx', app, 'linux')).toBe(false);
    expect(isAppUrl('https://example.com/index.html', app, 'linux')).toBe(false);
    expect(isAppUrl('not a url', app, 'linux')).toBe(false);
  });

  it('accepts the dev server by origin, not by string prefix', () => {
    const app = { devUrl: 'http://localhost:5173', rendererFile: '/x/out/renderer/index.html' };
    expect(isAppUrl('http://localhost:5173/', app)).toBe(true);
    expect(isAppUrl('http://localhost:5173/src/main.tsx', app)).toBe(true);
    expect(isAppUrl('http://localhost:51730/', app)).toBe(false);
    expect(isAppUrl('http://localhost:5173.evil.example/', app)).toBe(false);
    expect(isAppUrl('file:///x/out/renderer/index.html', app)).toBe(false);
  });
});
