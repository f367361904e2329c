import type { TickerActivity } from '../domain/report';

/**
 * The report's chart as a PNG, drawn on the server: Apache ECharts renders it to SVG (its
 * server-side mode, no DOM, no browser) and resvg rasterises the SVG. Both are loaded only when a
 * report is rendered, so workers of other queues never load them. Text uses the system's fonts
 * (DejaVu Sans on Debian; the Docker image installs it).
 */
export const CHART_WIDTH = 640;

export async function tickerChartPng(tickers: readonly TickerActivity[], title: string): Promise<Buffer> {
  const echarts = await import('echarts');
  const { Resvg } = await import('@resvg/resvg-js');
  const rows = [...tickers].reverse(); // ECharts draws the first category at the bottom
  const height = Math.max(200, 90 + rows.length * 28);
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: CHART_WIDTH, height });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: 'DejaVu Sans, sans-serif' },
      title: { text: title, left: 16, top: 10, textStyle: { fontSize: 15 } },
      legend: { right: 16, top: 12, data: ['Buys', 'Sells', 'Exchanges'] },
      grid: { left: 16, right: 24, top: 48, bottom: 16, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: rows.map((t) => t.ticker) },
      series: [
        { name: 'Buys', type: 'bar', stack: 'trades', color: '#2e7d32', data: rows.map((t) => t.buys) },
        { name: 'Sells', type: 'bar', stack: 'trades', color: '#c62828', data: rows.map((t) => t.sells) },
        {
          name: 'Exchanges',
          type: 'bar',
          stack: 'trades',
          color: '#9e9e9e',
          data: rows.map((t) => t.trades - t.buys - t.sells),
        },
      ],
      ...(rows.length === 0
        ? {
            graphic: {
              type: 'text',
              left: 'center',
              top: 'middle',
              style: { text: 'No trades with a ticker in this period', fontSize: 14, fill: '#666' },
            },
          }
        : {}),
    });
    const svg = chart.renderToSVGString();
    return new Resvg(svg, {
      background: '#ffffff',
      font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    })
      .render()
      .asPng();
  } finally {
    chart.dispose();
  }
}
