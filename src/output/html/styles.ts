/**
 * Inline CSS: light and dark via prefers-color-scheme, print rules. Series colours are the
 * Okabe–Ito palette (distinct for the common colour-vision deficiencies; never more than eight
 * series in one chart: many teams become small multiples). The heatmap is one sequential hue,
 * lag buckets a severity ramp, statuses carry a word and a glyph besides their colour.
 */
const PALETTE_LIGHT = [
  '#0072b2',
  '#e69f00',
  '#009e73',
  '#cc79a7',
  '#56b4e9',
  '#d55e00',
  '#b8a200',
  '#000000',
];
const PALETTE_DARK = ['#56b4e9', '#e69f00', '#2fc09a', '#e08fc0', '#9fd3f5', '#ff7a3d', '#f0e442', '#e6edf3'];
const vars = (prefix: string, colours: string[]) => colours.map((c, i) => `--${prefix}${i}: ${c};`).join(' ');

export const STYLES = `
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1b1f24; --muted: #59636e; --grid: #d1d9e0;
  --card: #f6f8fa; --faint: #aab3bd; ${vars('s', PALETTE_LIGHT)}
  ${vars('h', ['#eef2f6', '#c6dbef', '#6baed6', '#2171b5', '#08306b'])}
  ${vars('l', ['#fff3b0', '#fdb24c', '#e8501f', '#99000d'])}
  --ok: #1a7f37; --watch: #9a6700; --act: #cf222e; --on-dark: #ffffff; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --grid: #3d444d; --card: #151b23; --faint: #4b535d;
    ${vars('s', PALETTE_DARK)}
    ${vars('h', ['#1c2430', '#1f3f66', '#2f6aa3', '#5ea3e0', '#b5d8ff'])}
    ${vars('l', ['#f6e27a', '#f9a03f', '#f0602b', '#ff3b3b'])}
    --ok: #3fb950; --watch: #d29922; --act: #f85149; --on-dark: #0d1117; }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1100px; padding: 24px; background: var(--bg); color: var(--fg);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 1px solid var(--grid); }
h3 { font-size: 15px; margin: 16px 0 4px; }
.muted, caption, figcaption { color: var(--muted); }
code { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; background: var(--card); padding: 1px 4px; border-radius: 4px; overflow-wrap: anywhere; }
.verdicts { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 12px; margin: 16px 0; }
.verdict { background: var(--card); border-radius: 8px; padding: 12px; border-top: 4px solid var(--faint); }
.verdict.on-track { border-top-color: var(--ok); } .verdict.watch { border-top-color: var(--watch); } .verdict.act { border-top-color: var(--act); }
.verdict h3 { margin: 0 0 6px; font-size: 13px; color: var(--muted); font-weight: 600; }
.verdict .value { font-size: 16px; font-weight: 600; margin: 4px 0; } .verdict.no-data .value { font-size: 14px; font-weight: 400; }
.verdict ul { margin: 4px 0 0; padding-left: 16px; font-size: 13px; overflow-wrap: anywhere; } .verdict .target { font-size: 12px; color: var(--muted); margin: 6px 0 0; }
.status { display: inline-block; font-size: 12px; font-weight: 700; padding: 1px 8px; border-radius: 10px; color: var(--bg); background: var(--faint); white-space: nowrap; }
.status.on-track { background: var(--ok); } .status.watch { background: var(--watch); } .status.act { background: var(--act); }
.change { font-size: 12px; color: var(--muted); }
ol.todo { padding-left: 24px; } ol.todo li { margin: 0 0 10px; } ol.todo .evidence { color: var(--muted); font-size: 13px; }
.kind { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin-right: 6px; }
figure { margin: 16px 0; }
.chart-wrap { overflow-x: auto; }
svg.chart { width: 100%; height: auto; display: block; }
.multiples { display: grid; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr)); gap: 8px 16px; }
.multiples figure { margin: 0; } .multiples figcaption { font-size: 13px; color: var(--fg); }
svg text { fill: var(--muted); font-size: 11px; } svg text.axis-title { fill: var(--fg); font-size: 12px; font-weight: 600; }
svg .axis { stroke: var(--grid); }
svg .line { fill: none; stroke-width: 2; } svg .limit { stroke: var(--muted); stroke-dasharray: 4 3; fill: none; stroke-width: 1.5; }
svg .center { stroke: var(--muted); fill: none; stroke-width: 1.5; } svg .level { stroke: var(--act); stroke-dasharray: 6 3; stroke-width: 1.5; }
svg .muted { stroke: var(--faint); fill: var(--faint); } svg .line.muted { fill: none; stroke-width: 1.5; }
svg .suppressed { fill: var(--card); stroke: var(--muted); stroke-dasharray: 2 2; }
svg text.on-dark { fill: var(--on-dark); }
${Array.from({ length: 8 }, (_, i) => `svg .s${i} { stroke: var(--s${i}); fill: var(--s${i}); } svg .line.s${i} { fill: none; }`).join('\n')}
${Array.from({ length: 5 }, (_, i) => `svg .h${i} { fill: var(--h${i}); stroke: var(--grid); stroke-width: .5; }`).join('\n')}
${Array.from({ length: 4 }, (_, i) => `svg .l${i} { fill: var(--l${i}); stroke: var(--bg); stroke-width: .5; }`).join('\n')}
svg.key { vertical-align: -1px; margin-right: 4px; } svg.key line { stroke-width: 2.5; }
.legend { margin: 4px 0; font-size: 12px; } .legend span { margin-right: 14px; white-space: nowrap; display: inline-block; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid var(--grid); white-space: nowrap; vertical-align: top; }
th.num, td.num { text-align: right; } td.wrap { white-space: normal; min-width: 16em; } td.wrap:empty { min-width: 0; }
thead th { white-space: normal; vertical-align: bottom; }
caption { text-align: left; padding: 4px 0; }
.verdict-falling { color: var(--ok); } .verdict-rising { color: var(--act); }
.summary { font-size: 17px; font-weight: 600; margin: 12px 0 4px; max-width: 60em; }
.how { font-size: 13px; margin: 0 0 8px; } .todo-link { font-size: 13px; margin: 6px 0 0; }
.needs { color: var(--muted); border-left: 3px solid var(--grid); padding: 2px 10px; margin: 8px 0 16px; }
@media (max-width: 600px) {
  body { padding: 12px; } h1 { font-size: 20px; }
  /* Narrow screens: a wide table becomes one block per row, each cell labelled with its column,
     so nothing scrolls sideways; the header row stays for screen readers only. */
  table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
  table.stack, table.stack tbody, table.stack tr, table.stack caption { display: block; }
  table.stack tr { border-bottom: 1px solid var(--grid); padding: 4px 0; }
  table.stack tbody th, table.stack td { display: flex; justify-content: space-between; gap: 12px; border: 0; padding: 1px 0; white-space: normal; min-width: 0; overflow-wrap: anywhere; }
  table.stack td[data-label]::before { content: attr(data-label); color: var(--muted); text-align: left; flex: 0 0 auto; max-width: 50%; }
  table.stack td:empty { display: none; }
  table:not(.stack) th, table:not(.stack) td { white-space: normal; overflow-wrap: anywhere; }
}
@media print {
  body { max-width: none; padding: 0; font-size: 11px; background: #fff; color: #000; }
  figure, table, .verdict { break-inside: avoid; } h2 { break-after: avoid; }
  .table-wrap, .chart-wrap { overflow: visible; }
}
`;
