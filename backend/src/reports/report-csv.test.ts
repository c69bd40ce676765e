import { describe, expect, it } from 'vitest';
import type { Report } from '../../../shared/api/reports';
import { reportToCsv } from './report-service';

const report = (patch: Partial<Report> = {}): Report =>
  ({
    type: 'daily', from: 0, to: 86_400_000,
    alerts: { total: 1, acknowledged: 1, resolved: 1, mttaSeconds: 60, mttrSeconds: -1, bySeverity: { high: 1 }, bySource: { generic: 1 } },
    incidents: { total: 0, responseBreaches: 0, mttrSeconds: null, bySeverity: {}, byState: {} },
    uptime: [],
    tickets: { available: true, note: null, created: 0, resolved: 0, slaCompliancePercent: null },
    ...patch,
  }) as Report;

describe('report CSV', () => {
  it('escapes spreadsheet formulas in text cells (=, +, -, @, tab, CR), never numbers', () => {
    const csv = reportToCsv(report({ uptime: [{ check: '=HYPERLINK("http://evil.example","x")', percent: 99 }, { check: '+1+1', percent: 1 }, { check: '-2', percent: 1 }, { check: '@SUM(A1)', percent: 1 }, { check: '\tx', percent: 1 }] }));
    const lines = csv.trim().split('\n');
    expect(lines).toContain(`uptime_percent,"'=HYPERLINK(""http://evil.example"",""x"")",99`);
    expect(lines).toContain("uptime_percent,'+1+1,1");
    expect(lines).toContain("uptime_percent,'-2,1");
    expect(lines).toContain("uptime_percent,'@SUM(A1),1");
    expect(lines).toContain("uptime_percent,'\tx,1");
    // A negative number stays a number.
    expect(lines).toContain('alerts,mttr_seconds,-1');
  });
});
