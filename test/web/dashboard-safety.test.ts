import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Dashboard, initProject } from "../../src/lake/index.ts";
import { checkBind, isLoopback, type RunningDashboard, startDashboard } from "../../src/web/index.ts";
import { lake } from "../helpers/cli.ts";
import { buildServedLake } from "../helpers/served-lake.ts";

// What keeps the dashboard safe, over HTTP: the bind rule, the token, the Host check, the headers,
// parameter validation and the SQL console's refusals. No browser needed.

/** GET with a chosen Host header (fetch does not let a caller set it). */
function getWithHost(port: number, path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, headers: { host } }, (res) => {
      let body = "";
      res.on("data", (chunk) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("lake serve: binding", () => {
  it("refuses a non-loopback host without a token, exit 2, before opening anything", async () => {
    const result = await lake("serve", "--host", "0.0.0.0", "--project", "/nonexistent");
    assert.equal(result.code, 2);
    assert.equal(
      result.stderr,
      'lake: Refusing to listen on 0.0.0.0 without an access token: anyone who can reach it could read the lake. Give --token (a long random secret, e.g. from "openssl rand -hex 32"), or keep the default host 127.0.0.1 and reach it through an SSH tunnel or an SSM port forward.\n',
    );
  });

  it("tells loopback addresses from the others", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]", "app.localhost"])
      assert.ok(isLoopback(host), host);
    for (const host of [
      "0.0.0.0",
      "::",
      "10.0.0.5",
      "192.168.1.2",
      "example.com",
      "localhost.example.com",
      "",
    ])
      assert.ok(!isLoopback(host), host);
    assert.doesNotThrow(() => checkBind("0.0.0.0", "a-token"));
    assert.throws(() => checkBind("::", ""), /Refusing to listen on ::/);
  });

  it("refuses a port out of range and a stray argument as usage mistakes", async () => {
    assert.equal(
      (await lake("serve", "--port", "70000")).stderr,
      "lake: --port must be from 0 to 65535, got 70000\n",
    );
    assert.equal((await lake("serve", "--port", "-1")).code, 2);
    assert.match((await lake("serve", "now")).stderr, /^lake: Unexpected argument "now"\./);
  });
});

describe("lake serve: requests", () => {
  let dir: string;
  let projectDir: string;
  let open: RunningDashboard;
  let guarded: RunningDashboard;
  let base: string;
  const sql = (text: unknown, contentType = "application/json") =>
    fetch(`${base}/api/sql`, {
      method: "POST",
      headers: { "Content-Type": contentType },
      body: typeof text === "string" ? JSON.stringify({ sql: text }) : JSON.stringify(text),
    });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lake-serve-safety-"));
    projectDir = await buildServedLake(dir);
    open = await startDashboard({ projectDir, port: 0 });
    guarded = await startDashboard({ projectDir, port: 0, token: "s3cret-token" });
    base = `http://127.0.0.1:${open.port}`;
  });
  after(async () => {
    await open?.close();
    await guarded?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("refuses a port in use (exit 1) and an address not of this machine (exit 2), with the reason", async () => {
    const busy = await lake("serve", "--project", projectDir, "--port", String(open.port));
    assert.deepEqual(busy, {
      code: 1,
      stdout: "",
      stderr: `lake: Port ${open.port} on 127.0.0.1 is in use; choose another with --port\n`,
    });
    const foreign = await lake(
      "serve",
      "--project",
      projectDir,
      "--host",
      "203.0.113.9",
      "--token",
      "t",
      "--port",
      "0",
    );
    assert.deepEqual(foreign, {
      code: 2,
      stdout: "",
      stderr: "lake: Cannot listen on 203.0.113.9: it is not an address of this machine (EADDRNOTAVAIL)\n",
    });
  });

  it("sets the security headers on pages, scripts and errors", async () => {
    for (const path of ["/", "/static/app.js", "/vendor/vega.min.js", "/no/such/page"]) {
      const response = await fetch(base + path);
      const csp = response.headers.get("content-security-policy") ?? "";
      assert.match(csp, /default-src 'none'/, path);
      assert.match(csp, /script-src 'self'(;|$)/, path);
      assert.match(csp, /frame-ancestors 'none'/, path);
      assert.equal(response.headers.get("x-content-type-options"), "nosniff", path);
      assert.equal(response.headers.get("referrer-policy"), "no-referrer", path);
      assert.equal(response.headers.get("x-frame-options"), "DENY", path);
    }
  });

  it("pages hold no inline script and load nothing from another origin", async () => {
    for (const path of ["/", "/tables/silver.sales_enriched", "/quality", "/lineage", "/sql"]) {
      const page = await (await fetch(base + path)).text();
      for (const [tag] of page.matchAll(/<script\b[^>]*>/g))
        assert.match(
          tag,
          /src="\/(static|vendor)\/[a-z.-]+\.js"|type="application\/json"/,
          `${path}: ${tag}`,
        );
      assert.doesNotMatch(page, /(src|href)="(https?:)?\/\//, path);
    }
  });

  it("serves only its own static files and the vendored vega builds", async () => {
    assert.equal(
      (await fetch(`${base}/static/app.js`)).headers.get("content-type"),
      "text/javascript; charset=utf-8",
    );
    assert.equal((await fetch(`${base}/vendor/vega-lite.min.js`)).status, 200);
    for (const path of [
      "/static/..%2Flake.json",
      "/static/%2e%2e%2fserver.ts",
      "/static/server.ts",
      "/vendor/vega.js",
      "/static/",
    ])
      assert.equal((await fetch(base + path)).status, 404, path);
  });

  it("answers only to a loopback Host when there is no token (no DNS rebinding)", async () => {
    assert.equal((await getWithHost(open.port, "/", `localhost:${open.port}`)).status, 200);
    const rebound = await getWithHost(open.port, "/", "attacker.example:80");
    assert.equal(rebound.status, 403);
    assert.equal(rebound.body, 'This dashboard answers only to localhost, not to "attacker.example:80".');
  });

  it("with a token, refuses a request without it and admits the header, or the cookie a ?token= visit sets", async () => {
    const url = `http://127.0.0.1:${guarded.port}`;
    assert.equal(guarded.url, `${url}/?token=s3cret-token`);
    const anonymous = await fetch(`${url}/quality`);
    assert.equal(anonymous.status, 401);
    assert.match(await anonymous.text(), /needs its access token/);
    assert.equal((await fetch(`${url}/quality?token=wrong`, { redirect: "manual" })).status, 401);
    assert.equal((await fetch(`${url}/quality`, { headers: { Authorization: "Bearer wrong" } })).status, 401);
    assert.equal(
      (await fetch(`${url}/quality`, { headers: { Authorization: "Bearer s3cret-token" } })).status,
      200,
    );
    const visit = await fetch(`${url}/quality?token=s3cret-token`, { redirect: "manual" });
    assert.equal(visit.status, 303);
    assert.equal(visit.headers.get("location"), "/quality");
    const cookie = visit.headers.get("set-cookie") ?? "";
    assert.equal(cookie, "lake_token=s3cret-token; Path=/; HttpOnly; SameSite=Strict");
    assert.equal(
      (await fetch(`${url}/quality`, { headers: { Cookie: cookie.split(";")[0] as string } })).status,
      200,
    );
    assert.equal((await fetch(`${url}/quality`, { headers: { Cookie: "lake_token=nope" } })).status, 401);
  });

  it("validates every parameter: table names of the project only, whole-number versions, real timestamps and dates", async () => {
    const cases: Array<[string, number, RegExp]> = [
      ["/tables/silver.nope", 400, /silver\.nope is not a table of the project in .*shop/],
      ["/tables/silver.sales_enrichd", 400, /did you mean silver\.sales_enriched\?/],
      ["/tables/..%2F..%2Fetc", 400, /table: must be zone\.table/],
      ["/tables/silver.sales_enriched?version=abc", 400, /version: must be a whole number &#62;= 0/],
      ["/tables/silver.sales_enriched?version=-1", 400, /version: must be a whole number/],
      [
        "/tables/silver.sales_enriched?version=1&timestamp=2024-01-01",
        400,
        /give a version or a timestamp, not both/,
      ],
      ["/tables/silver.sales_enriched?timestamp=yesterday", 400, /timestamp: must be an ISO-8601 timestamp/],
      ["/tables/silver.sales_enriched?version=99", 404, /version 99/i],
      ["/tables/silver.sales_enriched?timestamp=2000-01-01T00:00:00Z", 404, /./],
      ["/marts?from=yesterday", 400, /from: must be a month like 2024-05 or a day like 2024-05-31/],
      ["/marts?to=2024-13", 400, /to: must be a month like 2024-05 or a day like 2024-05-31/],
      ["/marts?to=2024-02-30", 400, /to: must be a month like 2024-05 or a day like 2024-05-31/],
      ["/marts?region=%00West", 400, /region: must be a short line of text/],
      ["/marts?region=West%27%20OR%201%3D1--", 200, /chart-monthly_revenue_by_region/],
    ];
    for (const [path, status, message] of cases) {
      const response = await fetch(base + path);
      assert.equal(response.status, status, path);
      assert.match(await response.text(), message, path);
    }
    assert.equal(
      (await fetch(`${base}/tables/silver.sales_enriched?timestamp=2100-01-01T00:00:00Z`)).status,
      200,
    );
  });

  it("the console runs a SELECT with time travel, and stops at the row limit", async () => {
    const response = await sql("SELECT count(*) AS n FROM silver.sales_enriched@v0");
    assert.equal(response.status, 200);
    const body = (await response.json()) as { columns: string[]; rows: unknown[][]; truncated: boolean };
    assert.deepEqual(body.columns, ["n"]);
    assert.equal(body.truncated, false);
    const many = (await (await sql("SELECT * FROM range(20000)")).json()) as {
      rows: unknown[];
      truncated: boolean;
    };
    assert.equal(many.rows.length, 10_000);
    assert.equal(many.truncated, true);
  });

  it("the console refuses every statement that is not a read, and files outside the lake", async () => {
    const refused: Array<[string, RegExp]> = [
      ["COPY (SELECT 1) TO 'out.csv'", /this is COPY$/],
      [`COPY silver.sales_enriched TO '${join(projectDir, "lake", "silver", "x.csv")}'`, /this is COPY$/],
      ["ATTACH 'other.duckdb'", /this is ATTACH$/],
      ["INSTALL httpfs", /this is INSTALL$/],
      ["LOAD httpfs", /this is LOAD$/],
      ["SET enable_external_access = true", /this is SET$/],
      ["PRAGMA version", /this is PRAGMA$/],
      ["CREATE TABLE t AS SELECT 1", /this is CREATE$/],
      ["INSERT INTO t VALUES (1)", /this is INSERT$/],
      ["UPDATE t SET x = 1", /this is UPDATE$/],
      ["DELETE FROM t", /this is DELETE$/],
      ["DROP VIEW silver.sales_enriched", /this is DROP$/],
      ["  -- a comment\n/* and another */ (EXPORT DATABASE 'x')", /this is EXPORT$/],
      ["SELECT 1; DROP TABLE x", /this SQL has 2 statements; one query runs at a time$/],
      ["WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x", /./],
      ["SELECT * FROM read_csv('/etc/passwd')", /Permission Error: Cannot access file "\/etc\/passwd"/],
      ["SELECT * FROM read_text('/etc/hostname')", /Permission Error/],
      ["SELECT * FROM glob('/*')", /Permission Error/],
      [`SELECT * FROM read_csv('${join(dir, "data", "customers.csv")}')`, /Permission Error/],
    ];
    for (const [text, message] of refused) {
      const response = await sql(text);
      assert.equal(response.status, 400, text);
      assert.match(((await response.json()) as { error: string }).error, message, text);
    }
    assert.deepEqual((await readdir(join(projectDir, "lake", "silver"))).includes("x.csv"), false);
  });

  it("the console takes JSON only, with SQL text of bounded length", async () => {
    assert.equal((await sql("SELECT 1", "text/plain")).status, 415);
    assert.equal((await sql({ query: "SELECT 1" })).status, 400);
    assert.equal((await sql("   ")).status, 400);
    const long = await sql(`SELECT '${"x".repeat(100_001)}'`);
    assert.equal(long.status, 400);
    assert.match(
      ((await long.json()) as { error: string }).error,
      /^sql: is longer than 100,000 characters$/,
    );
  });

  it("a console query past the time limit is interrupted and reported", async () => {
    const dashboard = await Dashboard.open(projectDir);
    try {
      const started = performance.now();
      await assert.rejects(
        dashboard.sql("SELECT count(*) FROM range(100000000000) a", { timeoutMs: 300, rowLimit: 10 }),
        { name: "LakeUsageError", message: "The query ran longer than 0.3 s and was stopped" },
      );
      assert.ok(performance.now() - started < 5000);
      assert.deepEqual((await dashboard.sql("SELECT 42 AS x", { timeoutMs: 300, rowLimit: 10 })).rows, [
        [42],
      ]);
    } finally {
      dashboard.close();
    }
  });
});

describe("lake serve: a project no run has built yet", () => {
  let dir: string;
  let server: RunningDashboard;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lake-serve-empty-"));
    await initProject(join(dir, "p"), "empty");
    server = await startDashboard({ projectDir: join(dir, "p"), port: 0 });
  });
  after(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("opens every page, the Marts page giving each chart's reason, and names the missing table", async () => {
    const base = `http://127.0.0.1:${server.port}`;
    for (const path of ["/", "/quality", "/lineage", "/sql"])
      assert.equal((await fetch(base + path)).status, 200, path);
    const marts = await fetch(`${base}/marts`);
    assert.equal(marts.status, 200);
    const reasons = [...(await marts.text()).matchAll(/<p class="error">([^<]*)<\/p>/g)].map((m) => m[1]);
    assert.equal(reasons.length, 5);
    assert.match(
      reasons[0] ?? "",
      /^No Delta table at file:\/\/.*\/lake\/gold\/monthly_sales_summary: there is no _delta_log\/ with commits$/,
    );
    const table = await fetch(`${base}/tables/silver.sales_enriched`);
    assert.equal(table.status, 404);
    assert.match(await table.text(), /No Delta table at file:\/\/.*\/lake\/silver\/sales_enriched/);
    assert.match(await (await fetch(base)).text(), /No run yet: <code>lake run<\/code> records one here\./);
  });
});
