import { describe, expect, it } from 'vitest';
import { formatOf, parseExposition } from './exposition';

describe('text exposition format 0.0.4', () => {
  it('parses HELP, TYPE, labels with escapes, special values and timestamps', () => {
    const body = [
      '# HELP http_requests_total The total number of HTTP requests.',
      '# TYPE http_requests_total counter',
      'http_requests_total{method="post",code="200"} 1027 1395066363000',
      'http_requests_total{method="post",code="400"}    3 1395066363000',
      '# A plain comment',
      '',
      'msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9',
      'metric_without_timestamp_and_labels 12.47',
      'something_weird{problem="division by zero"} +Inf -3982045',
      'nan_metric NaN',
      'trailing_comma{a="1",} -Inf',
      '# HELP escaped_help A line\\nand a backslash \\\\',
      'rpc_duration_seconds{quantile="0.5"}\t4773',
    ].join('\n');
    const p = parseExposition(body, 'text');
    expect(p.types.get('http_requests_total')).toBe('counter');
    expect(p.help.get('escaped_help')).toBe('A line\nand a backslash \\');
    expect(p.samples[0]).toEqual({ name: 'http_requests_total', labels: { method: 'post', code: '200' }, value: 1027, timestampMs: 1395066363000 });
    expect(p.samples[1]!.value).toBe(3);
    expect(p.samples[2]!.labels).toEqual({ path: 'C:\\DIR\\FILE.TXT', error: 'Cannot find file:\n"FILE.TXT"' });
    expect(p.samples[2]!.value).toBe(1458255915);
    expect(p.samples[3]).toEqual({ name: 'metric_without_timestamp_and_labels', labels: {}, value: 12.47, timestampMs: null });
    expect(p.samples[4]).toMatchObject({ value: Infinity, timestampMs: -3982045 });
    expect(p.samples[5]!.value).toBeNaN();
    expect(p.samples[6]).toMatchObject({ labels: { a: '1' }, value: -Infinity });
    expect(p.samples[7]).toMatchObject({ name: 'rpc_duration_seconds', value: 4773 });
  });

  it('accepts CRLF line ends and a UTF-8 metric name quoted inside the braces', () => {
    const p = parseExposition('{"my.metric",zone="é"} 1\r\nup 1\r\n', 'text');
    expect(p.samples).toEqual([
      { name: 'my.metric', labels: { zone: 'é' }, value: 1, timestampMs: null },
      { name: 'up', labels: {}, value: 1, timestampMs: null },
    ]);
  });

  it.each([
    ['up', /space before the value/],
    ['up abc', /not a number/],
    ['up 0x10', /not a number/],
    ['up{a="1" 1', /expected , or }/],
    ['up{a="1",a="2"} 1', /duplicate label "a"/],
    ['up{1a="x"} 1', /invalid label name "1a"/],
    ['up{a="\\x"} 1', /invalid escape/],
    ['up{a="open} 1', /unterminated/],
    ['9up 1', /invalid metric name/],
    ['up 1 12.5', /millisecond timestamp/],
    ['up 1 2 3', /unexpected "3"/],
    ['# TYPE up bogus', /unknown type "bogus"/],
    ['# TYPE up gauge\nup 1\n# TYPE up gauge', /line 4: second TYPE line/],
  ])('rejects %j with its line number', (body, message) => {
    expect(() => parseExposition(`ok 1\n${body}`, 'text')).toThrow(message);
    expect(() => parseExposition(`ok 1\n${body}`, 'text')).toThrow(/^line [24]: /);
  });
});

describe('OpenMetrics 1.0', () => {
  it('requires # EOF, reads second timestamps, UNIT, the extra types and skips exemplars', () => {
    const body = [
      '# TYPE acme_http_router_request_seconds summary',
      '# UNIT acme_http_router_request_seconds seconds',
      '# HELP acme_http_router_request_seconds Latency though all of ACME\'s HTTP request router.',
      'acme_http_router_request_seconds_sum{path="/api/v1",method="GET"} 9036.32 1520879607.789',
      'acme_http_router_request_seconds_count{path="/api/v1",method="GET"} 807283.0',
      '# TYPE foo histogram',
      'foo_bucket{le="0.01"} 0',
      'foo_bucket{le="+Inf"} 17 # {trace_id="KOO5S4vxi0o"} 0.67',
      '# TYPE state stateset',
      'state{state="a"} 1',
      '# TYPE build info',
      'build_info{version="1.2"} 1',
      '# EOF',
      '',
    ].join('\n');
    const p = parseExposition(body, 'openmetrics');
    expect(p.types.get('state')).toBe('stateset');
    expect(p.samples[0]).toMatchObject({ value: 9036.32, timestampMs: 1520879607789 });
    expect(p.samples.find((s) => s.labels.le === '+Inf')!.value).toBe(17);
    expect(p.samples).toHaveLength(6);
  });

  it('fails without # EOF or with content after it', () => {
    expect(() => parseExposition('up 1\n', 'openmetrics')).toThrow(/does not end with # EOF/);
    expect(() => parseExposition('up 1\n# EOF\nup 2\n', 'openmetrics')).toThrow(/line 3: content after # EOF/);
    expect(() => parseExposition('# TYPE up untyped\n# EOF\n', 'openmetrics')).toThrow(/unknown type "untyped"/);
  });

  it('is chosen by the Content-Type', () => {
    expect(formatOf('application/openmetrics-text; version=1.0.0; charset=utf-8')).toBe('openmetrics');
    expect(formatOf('text/plain; version=0.0.4')).toBe('text');
    expect(formatOf(undefined)).toBe('text');
  });
});
