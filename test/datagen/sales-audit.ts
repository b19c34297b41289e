/**
 * Classifies every line of generated sales files from the text alone, with rules written from
 * docs/DATASET.md and not from the generator's code, so tests can compare the result with the
 * manifest. A line gets every defect the rules find; the generator promises at most one.
 */
import type { DirtKind } from "../../src/datagen/index.ts";
import { CsvLineError, parseCsvLine } from "./strict-csv.ts";

/** The ids present in the three dimension files. */
export interface DimensionIds {
  readonly customers: ReadonlySet<string>;
  readonly products: ReadonlySet<string>;
  readonly locations: ReadonlySet<string>;
}

/** One audited sales line. */
export interface AuditedLine {
  readonly line: string;
  /** The fields, or undefined when the strict reader rejected the line. */
  readonly fields: string[] | undefined;
  readonly defects: DirtKind[];
  /** Problems no dirt kind explains (a test expects none). */
  readonly unexplained: string[];
}

const PAYMENTS = new Set(["card", "cash", "mobile", "store credit, promo"]);
const CHANNELS = new Set(["store", "online"]);
const DISCOUNTS = new Set(["0", "5", "10", "15", "20", "25"]);

/** Audits the data lines of sales files given in order (duplicates are found across files). */
export function auditSales(lines: readonly string[], dims: DimensionIds): AuditedLine[] {
  const seenLines = new Set<string>();
  const seenIds = new Set<string>();
  return lines.map((line) => {
    const audited = auditLine(line, dims, seenLines, seenIds);
    seenLines.add(line);
    if (audited.fields !== undefined) seenIds.add(audited.fields[0] ?? "");
    return audited;
  });
}

/** How many lines have each defect. */
export function defectCounts(audited: readonly AuditedLine[]): Partial<Record<DirtKind, number>> {
  const counts: Partial<Record<DirtKind, number>> = {};
  for (const a of audited) for (const d of a.defects) counts[d] = (counts[d] ?? 0) + 1;
  return counts;
}

/** True when `text` is a real calendar date in `YYYY-MM-DD`. */
export function isIsoDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return m !== null && realDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

function auditLine(
  line: string,
  dims: DimensionIds,
  seenLines: Set<string>,
  seenIds: Set<string>,
): AuditedLine {
  let fields: string[];
  try {
    fields = parseCsvLine(line);
  } catch (error) {
    if (!(error instanceof CsvLineError)) throw error;
    return { line, fields: undefined, defects: ["malformed_quote"], unexplained: [] };
  }
  if (fields.length !== 10) return { line, fields, defects: ["malformed_column_count"], unexplained: [] };
  if (seenLines.has(line)) return { line, fields, defects: ["duplicate_exact"], unexplained: [] };
  const defects: DirtKind[] = [];
  const unexplained: string[] = [];
  const [id = "", date = "", customer = "", product = "", location = "", quantity = "", price = ""] = fields;
  const [discount = "", payment = "", channel = ""] = fields.slice(7);
  if (!/^T\d{10}$/.test(id)) unexplained.push(`transaction_id ${id}`);
  if (seenIds.has(id)) defects.push("duplicate_id_conflict");

  if (!isIsoDate(date)) {
    const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(date);
    defects.push(
      m !== null && realDate(Number(m[3]), Number(m[2]), Number(m[1])) ? "date_day_first" : "date_invalid",
    );
  }
  const cleanCustomer = customer.trim().toUpperCase();
  if (customer === "") defects.push("customer_missing");
  else if (!/^C\d{7}$/.test(cleanCustomer)) unexplained.push(`customer_id ${customer}`);
  else if (!dims.customers.has(cleanCustomer)) defects.push("customer_unknown");
  if (product === "") defects.push("product_missing");
  else if (!/^P\d{5}$/.test(product)) unexplained.push(`product_id ${product}`);
  else if (!dims.products.has(product)) defects.push("product_unknown");
  if (!dims.locations.has(location)) unexplained.push(`location_id ${location}`);

  if (!/^-?\d+$/.test(quantity)) unexplained.push(`quantity ${quantity}`);
  else if (Number(quantity) === 0) defects.push("quantity_zero");
  else if (Number(quantity) < 0) defects.push("quantity_negative");
  if (!/^-?\d+\.\d{2}$/.test(price)) defects.push("price_unparseable");
  else if (Number(price) < 0) defects.push("price_negative");
  if (!DISCOUNTS.has(discount)) unexplained.push(`discount_pct ${discount}`);

  const odd = [customer !== cleanCustomer, !PAYMENTS.has(payment), !CHANNELS.has(channel)].filter(
    Boolean,
  ).length;
  if (!PAYMENTS.has(payment.trim().toLowerCase())) unexplained.push(`payment_method ${payment}`);
  if (!CHANNELS.has(channel.trim().toLowerCase())) unexplained.push(`channel ${channel}`);
  for (let i = 0; i < odd; i++) defects.push("whitespace_case");
  return { line, fields, defects, unexplained };
}

function realDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}
