export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export function fmt(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return Number.isInteger(value) ? String(value) : value.toFixed(digits);
}

export function pct(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : `${Math.round(value * 100)}%`;
}

const NUMERIC = /^(?:[−+-]?[\d,.]+%?|–|suppressed|no data|n\/a)$/;

/**
 * A table: the numbers behind a chart, readable without it (and by screen readers). A column
 * whose cells are all numbers (or placeholders for one) is right-aligned, its header with it;
 * `wrap` names the columns of running text that may wrap.
 */
export function table(
  caption: string,
  head: string[],
  rows: (string | number)[][],
  options: { wrap?: number[] } = {},
): string {
  const numeric = head.map(
    (_, i) =>
      i > 0 &&
      rows.length > 0 &&
      rows.some((r) => typeof r[i] === 'number' || /\d/.test(String(r[i] ?? ''))) &&
      rows.every((r) => typeof r[i] === 'number' || r[i] === '' || NUMERIC.test(String(r[i]))),
  );
  const cls = (i: number) => (numeric[i] ? ' class="num"' : options.wrap?.includes(i) ? ' class="wrap"' : '');
  const th = head.map((h, i) => `<th scope="col"${cls(i)}>${esc(h)}</th>`).join('');
  const label = (i: number) => (head[i] ? ` data-label="${esc(head[i])}"` : '');
  const body = rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${esc(c)}</th>` : `<td${cls(i)}${label(i)}>${esc(c)}</td>`)).join('')}</tr>`,
    )
    .join('\n');
  // More than three columns do not fit a phone's width: such a table stacks its rows there.
  return `<div class="table-wrap"><table${head.length > 3 ? ' class="stack"' : ''}><caption>${esc(caption)}</caption><thead><tr>${th}</tr></thead><tbody>${body || `<tr><td colspan="${head.length}">no data</td></tr>`}</tbody></table></div>`;
}

/** A chart with its caption, legend and the table of its numbers (readable without the picture). */
export function figure(
  id: string,
  caption: string,
  legendHtml: string,
  chart: string,
  tableHtml = '',
): string {
  return `<figure data-chart="${id}"><figcaption>${esc(caption)}</figcaption>${legendHtml}<div class="chart-wrap">${chart}</div>${tableHtml}</figure>`;
}
