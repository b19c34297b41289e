/**
 * Charts and the report: rows in, Vega-Lite specifications, SVG, PNG and a self-contained HTML report
 * out. It knows nothing of Delta, DuckDB or projects: lake/ gathers the rows and calls it.
 */
export {
  CHART_MARKS,
  type ChannelDesign,
  type ChartData,
  type ChartDesign,
  type ChartMark,
  FIELD_TYPES,
  type FieldType,
  NAMED_FORMATS,
  SORT_ORDERS,
  type SortOrder,
} from "./chart-design.ts";
export { buildChartSpec, CHART_FONT, OKABE_ITO } from "./chart-spec.ts";
export { ChartFieldError, ChartFormatError, ReportError } from "./errors.ts";
export { type ChartFormat, renderChart, renderSvg, svgToPng } from "./render-chart.ts";
export type {
  ReportChart,
  ReportContent,
  ReportFigure,
  ReportLineage,
  ReportRejectedFile,
  ReportRule,
  ReportRun,
  ReportStep,
  ReportTable,
} from "./report-content.ts";
export { formatFigure, REPORT_SECTIONS, reportHtml } from "./report-html.ts";
