/**
 * `lake serve`: the dashboard's HTTP server (hono on node:http). Routes validate their parameters,
 * ask lake/'s Dashboard for data and render a page; errors become statuses with a message a user can
 * act on, never a stack trace. Nothing here writes.
 */
import { createAdaptorServer } from "@hono/node-server";
import { Hono } from "hono";
import {
  Dashboard,
  DeltaError,
  LakeUsageError,
  ModelGraphError,
  ProjectConfigError,
  StorageError,
} from "../lake/index.ts";
import { staticAsset, vendorAsset } from "./assets.ts";
import { html, page } from "./html.ts";
import { lineagePage } from "./pages/lineage.ts";
import { martsPage } from "./pages/marts.ts";
import { overviewPage } from "./pages/overview.ts";
import { qualityPage } from "./pages/quality.ts";
import { sqlPage } from "./pages/sql.ts";
import { tablePage } from "./pages/table.ts";
import { BadParameterError, martFilters, sqlText, tableAt, tableName } from "./params.ts";
import { accessCheck, checkBind, securityHeaders } from "./security.ts";

/** The SQL console's bounds. */
export const SQL_LIMITS = { timeoutMs: 30_000, rowLimit: 10_000 } as const;

/** How the server is started. */
export interface ServeOptions {
  readonly projectDir: string;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 4300; 0 picks a free port. */
  readonly port?: number;
  /** Required unless `host` is a loopback address. */
  readonly token?: string;
}

/** A running dashboard. */
export interface RunningDashboard {
  /** The address to open (with `?token=` when there is one). */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Opens the project and listens.
 * @throws UnsafeBindError for a non-loopback host without a token (before anything is opened);
 *   ProjectConfigError without a project; the listen error (EADDRINUSE, EACCES…).
 */
export async function startDashboard(options: ServeOptions): Promise<RunningDashboard> {
  const host = options.host ?? "127.0.0.1";
  checkBind(host, options.token);
  const dashboard = await Dashboard.open(options.projectDir);
  const server = createAdaptorServer({ fetch: dashboardApp(dashboard, options.token).fetch, hostname: host });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 4300, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    dashboard.close();
    throw error;
  }
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : (options.port ?? 4300);
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/${options.token ? `?token=${encodeURIComponent(options.token)}` : ""}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          dashboard.close();
          resolve();
        });
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

/** The dashboard's routes over an open Dashboard. */
export function dashboardApp(dashboard: Dashboard, token?: string): Hono {
  const app = new Hono();
  const project = dashboard.project.name;
  app.use(securityHeaders);
  app.use(accessCheck(token));

  app.get("/", async (c) => c.html(overviewPage(await dashboard.overview())));
  app.get("/tables/:name", async (c) => {
    const name = tableName(c.req.param("name"));
    const query = { version: c.req.query("version"), timestamp: c.req.query("timestamp") };
    const at = tableAt(query);
    const detail = await dashboard.table(name, at);
    return c.html(
      tablePage(project, detail, {
        ...(at.version === undefined ? {} : { version: at.version }),
        ...(query.timestamp ? { timestamp: query.timestamp } : {}),
      }),
    );
  });
  app.get("/marts", async (c) => {
    const filters = martFilters(c.req.query());
    return c.html(martsPage(project, await dashboard.marts(filters), filters));
  });
  app.get("/quality", async (c) => {
    const report = await dashboard.quality();
    const chart = report.runs.length === 0 ? undefined : await dashboard.builtinChart("data_quality");
    return c.html(qualityPage(project, report, chart));
  });
  app.get("/lineage", async (c) => c.html(lineagePage(project, await dashboard.lineage())));
  app.get("/sql", async (c) =>
    c.html(
      sqlPage(project, (await dashboard.overview()).tables, {
        rows: SQL_LIMITS.rowLimit,
        seconds: SQL_LIMITS.timeoutMs / 1000,
      }),
    ),
  );
  app.post("/api/sql", async (c) => {
    // JSON only: a form on another site cannot send it without a preflight this server never allows.
    if (!(c.req.header("content-type") ?? "").startsWith("application/json"))
      return c.json({ error: 'Send the SQL as JSON: {"sql": "…"}' }, 415);
    const body: unknown = await c.req.json().catch(() => undefined);
    try {
      return c.json(await dashboard.sql(sqlText(body), SQL_LIMITS));
    } catch (error) {
      const { status, message } = problem(error);
      return c.json({ error: message }, status);
    }
  });
  app.get("/static/:file", async (c) => {
    const asset = await staticAsset(c.req.param("file"));
    if (asset === undefined) return c.text("Not found", 404);
    return c.body(asset.body as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": asset.type,
      "Cache-Control": "no-cache",
    });
  });
  app.get("/vendor/:file", async (c) => {
    const asset = await vendorAsset(c.req.param("file"));
    if (asset === undefined) return c.text("Not found", 404);
    return c.body(asset.body as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": asset.type,
      "Cache-Control": "max-age=86400",
    });
  });

  app.notFound((c) => c.html(errorPage(project, 404, `No page at ${new URL(c.req.url).pathname}.`), 404));
  app.onError((error, c) => {
    const { status, message } = problem(error);
    return c.html(errorPage(project, status, message), status);
  });
  return app;
}

/** The HTTP status and message of an error: a user's mistake or the lake's state, or a bug (500). */
function problem(error: unknown): { status: 400 | 404 | 500; message: string } {
  if (error instanceof BadParameterError || error instanceof LakeUsageError)
    return { status: 400, message: error.message };
  if (error instanceof DeltaError) return { status: 404, message: error.message };
  if (
    error instanceof ProjectConfigError ||
    error instanceof ModelGraphError ||
    error instanceof StorageError
  )
    return { status: 500, message: error.message };
  process.stderr.write(
    `lake serve: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return { status: 500, message: "Something went wrong on the server; its log has the details." };
}

function errorPage(project: string, status: number, message: string): string {
  return page({
    title: status === 404 ? "Not found" : status === 400 ? "Cannot show that" : "Error",
    project,
    active: "",
    body: html`<p class="error">${message}</p><p><a href="/">Back to the overview</a></p>`,
  });
}
