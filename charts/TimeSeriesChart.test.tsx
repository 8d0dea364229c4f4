import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { TimeSeriesChart } from './TimeSeriesChart';

describe('time series chart', () => {
  // The plot spans x 52…506 and y 164 (value 0) … 12 (the top tick) inside a 520×200 drawing.
  const html = renderToStaticMarkup(
    <TimeSeriesChart
      times={[0, 1, 2, 3, 4]}
      yTitle="Requests per minute"
      formatTime={String}
      series={[
        { id: 'a', label: 'Requests', color: '#2563eb', values: [0, 10, null, 5, null] },
        { id: 'b', label: 'Latency', color: '#ea580c', values: [null, null, 4, null, null] },
      ]}
    />,
  );

  it('draws each series from zero up, breaking the line where a value is missing', () => {
    const paths = [...html.matchAll(/<path d="([^"]*)"/g)].map((match) => match[1]);
    expect(paths[0]).toBe('M52,164L165.5,12M392.5,88Z');
  });

  it('marks a value with no neighbours with a dot, since it has no line', () => {
    expect([...html.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => [m[1], m[2]])).toEqual([
      ['392.5', '88.0'],
      ['279.0', '103.2'],
    ]);
  });

  it('names every series in the legend', () => {
    expect(html).toContain('Requests');
    expect(html).toContain('Latency');
  });
});
