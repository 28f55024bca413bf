// The ratios as a bar chart, hand-written SVG: one bar per row, on a log scale so that 0.03 and 3,000 both fit,
// with a tick at each goal and, where a ratio has one, its 95% interval as a whisker. Green: goal met; red:
// missed; grey: no goal (context only).
import { ratioText } from "./report.mjs";
const ROW = 26;
const PLOT_WIDTH = 420;
const TOP = 40;
// Wide enough for the text at 12px system-ui (about 6.5px a character), so no label or figure is cut off.
const textWidth = (text) => Math.ceil(text.length * 6.5) + 16;

const escape = (text) => String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const color = (met) => (met === null ? "#9aa0a6" : met ? "#2e7d32" : "#c62828");

// A ratio of 0 or no ratio at all (nothing succeeded on one side) has no place on a log scale: drawn as no bar.
const drawable = (ratio) => Number.isFinite(ratio) && ratio > 0;

export function svgChart(rows, title) {
  const values = rows.flatMap((row) => [row.ratio, row.goalLimit ?? row.ratio, ...(row.interval ?? [])]).filter(drawable);
  if (values.length === 0) values.push(1);
  const low = Math.floor(Math.log10(Math.min(...values)));
  const high = Math.max(Math.ceil(Math.log10(Math.max(...values))), low + 1);
  const labelWidth = Math.max(200, ...rows.map((row) => textWidth(`${row.figure}. ${row.label}`)));
  const x = (ratio) => labelWidth + ((Math.log10(ratio) - low) / (high - low)) * PLOT_WIDTH;
  const figureText = (row) => `${ratioText(row)}× ${row.goalText ? `(goal ${row.goalText})` : ""}`;
  const height = TOP + rows.length * ROW + 30;
  const width = labelWidth + PLOT_WIDTH + Math.max(140, ...rows.map((row) => textWidth(figureText(row))));

  const grid = [];
  for (let power = low; power <= high; power++) {
    const at = x(10 ** power);
    grid.push(`<line x1="${at}" y1="${TOP - 6}" x2="${at}" y2="${height - 24}" stroke="#e0e0e0"/>`);
    grid.push(`<text x="${at}" y="${height - 8}" text-anchor="middle" class="axis">${10 ** power}×</text>`);
  }
  const bars = rows.map((row, index) => {
    const y = TOP + index * ROW;
    const start = x(10 ** low);
    const goal =
      row.goalLimit === undefined
        ? ""
        : `<line x1="${x(row.goalLimit)}" y1="${y - 2}" x2="${x(row.goalLimit)}" y2="${y + 18}" stroke="#000" stroke-width="2"><title>goal ${escape(row.goalText)}</title></line>`;
    return [
      `<text x="${labelWidth - 8}" y="${y + 12}" text-anchor="end">${escape(`${row.figure}. ${row.label}`)}</text>`,
      drawable(row.ratio)
        ? `<rect x="${start}" y="${y}" width="${Math.max(1, x(row.ratio) - start)}" height="16" fill="${color(row.met)}"/>`
        : "",
      goal,
      row.interval && row.interval.every(drawable)
        ? `<line x1="${x(row.interval[0])}" y1="${y + 8}" x2="${x(row.interval[1])}" y2="${y + 8}" stroke="#000" stroke-width="1"><title>95% interval</title></line>`
        : "",
      `<text x="${labelWidth + PLOT_WIDTH + 8}" y="${y + 12}">${escape(figureText(row))}</text>`,
    ].join("");
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">
<style>.axis { fill: #555; font-size: 11px; }</style>
<rect width="100%" height="100%" fill="#fff"/>
<text x="8" y="20" font-size="14" font-weight="bold">${escape(title)}</text>
${grid.join("\n")}
${bars.join("\n")}
</svg>
`;
}
