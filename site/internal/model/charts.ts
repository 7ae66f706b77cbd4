/**
 * Geometry of the server-rendered SVG charts (pure). A chart is computed here once; the Chart component
 * only draws it and repeats its figures as a table for screen readers and people without colour.
 */

export interface SeriesInput {
  name: string;
  /** CSS class that picks the series colour and dash (the legend repeats both, never colour alone). */
  tone: string;
  /** y undefined = no data in that bucket: the line breaks there. */
  points: { x: number; y?: number }[];
}

export interface LineChart {
  kind: "line";
  title: string;
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  series: { name: string; tone: string; d: string; dots: { cx: number; cy: number }[] }[];
  xTicks: { x: number; label: string }[];
  yTicks: { y: number; label: string }[];
  /** The same figures as rows: first column x label, then one column per series. */
  table: { head: string[]; rows: string[][] };
  empty: boolean;
}

export interface BarChart {
  kind: "bar";
  title: string;
  width: number;
  height: number;
  labelWidth: number;
  bars: { label: string; y: number; width: number; value: string; tone: string }[];
  table: { head: string[]; rows: string[][] };
  empty: boolean;
}

const WIDTH = 640;
const HEIGHT = 220;
const PLOT = { left: 56, top: 12, right: 24, bottom: 28 };

/** A round upper bound whose quarters are round too, for the ticks 0, ¼, ½, ¾ and all of it. */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 4, 8, 10].find((factor) => factor * magnitude >= value)!;
  return step * magnitude;
}

export function lineChart(options: {
  title: string;
  series: SeriesInput[];
  from: number;
  to: number;
  xLabel: (x: number) => string;
  yLabel: (y: number) => string;
  xTickEvery: number;
  yMax?: number;
}): LineChart {
  const { left, top, right, bottom } = PLOT;
  const plotWidth = WIDTH - left - right;
  const plotHeight = HEIGHT - top - bottom;
  const values = options.series.flatMap((series) => series.points.map((point) => point.y).filter((y): y is number => y !== undefined));
  const yMax = options.yMax ?? niceMax(Math.max(0, ...values));
  const xOf = (x: number) => left + ((x - options.from) / Math.max(1, options.to - options.from)) * plotWidth;
  const yOf = (y: number) => top + plotHeight - (Math.min(y, yMax) / yMax) * plotHeight;
  const round = (value: number) => Math.round(value * 10) / 10;

  const series = options.series.map((input) => {
    let d = "";
    let drawing = false;
    const dots: { cx: number; cy: number }[] = [];
    for (const point of input.points) {
      if (point.y === undefined) {
        drawing = false;
        continue;
      }
      const [cx, cy] = [round(xOf(point.x)), round(yOf(point.y))];
      d += `${drawing ? "L" : "M"}${cx} ${cy} `;
      drawing = true;
      dots.push({ cx, cy });
    }
    return { name: input.name, tone: input.tone, d: d.trim(), dots };
  });

  const xTicks: LineChart["xTicks"] = [];
  const firstTick = Math.ceil(options.from / options.xTickEvery) * options.xTickEvery;
  for (let x = firstTick; x <= options.to; x += options.xTickEvery) xTicks.push({ x: round(xOf(x)), label: options.xLabel(x) });
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((share) => ({ y: round(yOf(share * yMax)), label: options.yLabel(share * yMax) }));

  const xs = [...new Set(options.series.flatMap((input) => input.points.map((point) => point.x)))].sort((a, b) => a - b);
  const rows = xs.map((x) => [
    options.xLabel(x),
    ...options.series.map((input) => {
      const y = input.points.find((point) => point.x === x)?.y;
      return y === undefined ? "–" : options.yLabel(y);
    }),
  ]);
  return {
    kind: "line",
    title: options.title,
    width: WIDTH,
    height: HEIGHT,
    plot: { left, top, right: WIDTH - right, bottom: HEIGHT - bottom },
    series,
    xTicks,
    yTicks,
    table: { head: ["", ...options.series.map((input) => input.name)], rows },
    empty: values.length === 0,
  };
}

export function barChart(options: {
  title: string;
  head: [string, string];
  bars: { label: string; value?: number; display: string; tone?: string }[];
  max?: number;
}): BarChart {
  const labelWidth = 200;
  const rowHeight = 26;
  const usable = WIDTH - labelWidth - 80;
  const max = options.max ?? niceMax(Math.max(0, ...options.bars.map((bar) => bar.value ?? 0)));
  return {
    kind: "bar",
    title: options.title,
    width: WIDTH,
    height: Math.max(1, options.bars.length) * rowHeight + 8,
    labelWidth,
    bars: options.bars.map((bar, index) => ({
      label: bar.label,
      y: 4 + index * rowHeight,
      width: Math.round(((bar.value ?? 0) / max) * usable * 10) / 10,
      value: bar.display,
      tone: bar.tone ?? "bar",
    })),
    table: { head: options.head, rows: options.bars.map((bar) => [bar.label, bar.display]) },
    empty: options.bars.length === 0,
  };
}
