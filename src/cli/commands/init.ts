/** `lake init [DIR] [--json]` */
import { initProject } from "../../lake/index.ts";
import { JSON_OPTION } from "../args.ts";
import { CliError } from "../cli-error.ts";
import type { Command } from "../command.ts";
import { printJson } from "../output.ts";

const usage = `Usage: lake init [DIR] [--json]

Creates a Medallion Lake project in DIR (default: the current folder) from the retail template:
  lake.json        the zones (lake/landing, lake/bronze, lake/silver, lake/gold), the sources (sales,
                   customers, products, locations) and the models with their kinds and expectations
  macros/          DuckDB macros the models use (cleaning.sql: clean_text, parse_date, ...)
  models/silver/   dim_customer, dim_product, dim_location, sales_enriched (one SELECT each)
  models/gold/     monthly_sales_summary, top_products_monthly, regional_performance, customer_cohorts
  charts/          the charts' SQL (lake chart, lake report): revenue by region, cohort retention, ...
Edit them to add sources and models, change rules, or move zones (see the README).

Options:
  --json   one JSON document: {"root", "sources", "models"} (names)`;

export const init: Command = {
  summary: "create a project from the retail template (sources, models, expectations)",
  usage,
  options: { ...JSON_OPTION },
  async run(args, io) {
    if (args.positionals.length > 1)
      throw new CliError(`Unexpected argument "${args.positionals[1]}".\n\n${usage}`);
    const project = await initProject(args.positionals[0] ?? ".");
    if (args.values.json) {
      printJson(io, {
        root: project.root,
        sources: project.sources.map((s) => s.name),
        models: project.models.map((m) => `${m.zone}.${m.name}`),
      });
      return;
    }
    io.stdout(
      `Created ${project.root}/lake.json with sources ${project.sources.map((s) => s.name).join(", ")} and ${project.models.length} models (models/, macros/, charts/).\n`,
    );
    io.stdout(`Next: lake ingest FILE... (or lake generate), then lake run.\n`);
  },
};
