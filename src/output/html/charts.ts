import { esc, fmt } from './escape.js';

const W = 760;
const H = 260;
const PAD = { left: 48, right: 16, top: 12, bottom: 32 };

export interface Series {
  name: string;
  points: { x: number; y: number | null }[];
  className?: string;
}

interface Scale {
  x(v: number): number;
  y(v: number): number;
}

function scale(xMin: number, xMax: number, yMax: number): Scale {
  const xs = xMax > xMin ? xMax - xMin : 1;
  const ys = yMax > 0 ? yMax : 1;
  return {
    x: (v) => PAD.left + ((v - xMin) / xs) * (W - PAD.left - PAD.right),
    y: (v) => H - PAD.bottom - (v / ys) * (H - PAD.top - PAD.bottom),
  };
}

function axes(s: Scale, xMin: number, xMax: number, yMax: number, xLabel: (v: number) => string): string {
  const ticks: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    ticks.push(
      `<line class="axis" x1="${PAD.left}" x2="${W - PAD.right}" y1="${s.y(v)}" y2="${s.y(v)}"/><text x="${PAD.left - 6}" y="${s.y(v) + 4}" text-anchor="end">${fmt(v, 2)}</text>`,
    );
  }
  const step = Math.max(1, Math.ceil((xMax - xMin) / 8));
  for (let v = xMin; v <= xMax; v += step)
    ticks.push(`<text x="${s.x(v)}" y="${H - 10}" text-anchor="middle">${esc(xLabel(v))}</text>`);
  return ticks.join('');
}

/** Lines broken at nulls (suppressed cells are gaps, never zeros), optional horizontal reference lines. */
export function lineChart(
  title: string,
  series: Series[],
  options: {
    xLabel?: (v: number) => string;
    refs?: { y: number; label: string; className: string }[];
    bands?: Series[];
  } = {},
): string {
  const all = [...series, ...(options.bands ?? [])].flatMap((s) => s.points);
  const xs = all.map((p) => p.x);
  const xMin = xs.length ? Math.min(...xs) : 0;
  const xMax = xs.length ? Math.max(...xs) : 1;
  const yMax = Math.max(0, ...all.map((p) => p.y ?? 0), ...(options.refs ?? []).map((r) => r.y)) * 1.1 || 1;
  const s = scale(xMin, xMax, yMax);
  const path = (points: Series['points']) => {
    let d = '';
    let pen = false;
    for (const p of points) {
      if (p.y === null) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${s.x(p.x).toFixed(1)},${s.y(p.y).toFixed(1)}`;
      pen = true;
    }
    return d;
  };
  const lines = series
    .map((ser, i) => {
      const cls = ser.className ?? `s${i % 8}`;
      const dots = ser.points
        .filter((p) => p.y !== null)
        .map(
          (p) =>
            `<circle class="${cls}" cx="${s.x(p.x).toFixed(1)}" cy="${s.y(p.y!).toFixed(1)}" r="2.5"><title>${esc(ser.name)}: ${fmt(p.y, 2)}</title></circle>`,
        )
        .join('');
      return `<path class="line ${cls}" d="${path(ser.points)}"><title>${esc(ser.name)}</title></path>${dots}`;
    })
    .join('');
  const bands = (options.bands ?? [])
    .map((b) => `<path class="${b.className ?? 'limit'}" d="${path(b.points)}"/>`)
    .join('');
  const refs = (options.refs ?? [])
    .map(
      (r) =>
        `<line class="${r.className}" x1="${PAD.left}" x2="${W - PAD.right}" y1="${s.y(r.y)}" y2="${s.y(r.y)}"/><text x="${W - PAD.right}" y="${s.y(r.y) - 4}" text-anchor="end">${esc(r.label)}</text>`,
    )
    .join('');
  return svg(title, axes(s, xMin, xMax, yMax, options.xLabel ?? String) + bands + refs + lines);
}

/** Stacked bars per x (e.g. repos per lag bucket per week). */
export function stackedBars(
  title: string,
  columns: { label: string; values: number[] }[],
  keys: string[],
): string {
  const yMax = Math.max(1, ...columns.map((c) => c.values.reduce((a, b) => a + b, 0)));
  const s = scale(0, Math.max(1, columns.length), yMax);
  const bw = Math.max(2, (W - PAD.left - PAD.right) / Math.max(1, columns.length) - 2);
  const bars = columns
    .map((col, i) => {
      let base = 0;
      return col.values
        .map((v, k) => {
          if (!v) return '';
          const y0 = s.y(base);
          base += v;
          const y1 = s.y(base);
          return `<rect class="s${k % 8}" x="${s.x(i).toFixed(1)}" y="${y1.toFixed(1)}" width="${bw.toFixed(1)}" height="${(y0 - y1).toFixed(1)}"><title>${esc(col.label)} ${esc(keys[k])}: ${v}</title></rect>`;
        })
        .join('');
    })
    .join('');
  const label = (v: number) => columns[Math.round(v)]?.label ?? '';
  return svg(title, axes(s, 0, Math.max(0, columns.length - 1), yMax, label) + bars);
}

/** Rows × columns; null cells are drawn hatched as "suppressed", not as zero. */
export function heatmap(
  title: string,
  rows: string[],
  cols: string[],
  value: (r: string, c: string) => number | null | undefined,
): string {
  const left = 160;
  const top = 90;
  const cw = Math.max(18, Math.min(60, (W - left - 10) / Math.max(1, cols.length)));
  const ch = 22;
  const height = top + rows.length * ch + 10;
  const max = Math.max(1, ...rows.flatMap((r) => cols.map((c) => value(r, c) ?? 0)));
  const cells = rows
    .flatMap((r, i) =>
      cols.map((c, j) => {
        const v = value(r, c);
        const x = left + j * cw;
        const y = top + i * ch;
        if (v === undefined) return '';
        if (v === null)
          return `<rect class="suppressed" x="${x}" y="${y}" width="${cw - 2}" height="${ch - 2}"><title>${esc(r)} × ${esc(c)}: suppressed (fewer than 5 sessions)</title></rect>`;
        const alpha = v === 0 ? 0.06 : 0.15 + 0.85 * (v / max);
        return `<rect x="${x}" y="${y}" width="${cw - 2}" height="${ch - 2}" style="fill: rgba(var(--heat), ${alpha.toFixed(2)})"><title>${esc(r)} × ${esc(c)}: ${v}</title></rect>`;
      }),
    )
    .join('');
  const rowLabels = rows
    .map((r, i) => `<text x="${left - 6}" y="${top + i * ch + 15}" text-anchor="end">${esc(r)}</text>`)
    .join('');
  const colLabels = cols
    .map(
      (c, j) =>
        `<text transform="translate(${left + j * cw + cw / 2},${top - 6}) rotate(-45)">${esc(c)}</text>`,
    )
    .join('');
  return `<svg viewBox="0 0 ${W} ${height}" role="img" aria-label="${esc(title)}"><title>${esc(title)}</title>${rowLabels}${colLabels}${cells}</svg>`;
}

function svg(title: string, body: string): string {
  return `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}"><title>${esc(title)}</title>${body}</svg>`;
}
