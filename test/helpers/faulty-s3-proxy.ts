/**
 * A reverse proxy on loopback between the SDK and the S3 test server that injects faults: throttling
 * (503 SlowDown), server errors (500 InternalError), connections reset before the request reaches
 * the server, replies lost after the server acted (the request took effect, the client never hears),
 * replies cut off halfway through their body, and slow replies. Commits (conditional PUTs) can get
 * rates of their own, so the faults that matter most surely hit them. Faults are drawn from a seeded
 * generator, so a failing run can be replayed.
 * Requests are forwarded with their headers unchanged (SigV4 signs the Host header).
 */
import { once } from "node:events";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type Fault = "throttle" | "server-error" | "reset-before" | "lost-reply" | "cut-body" | "slow";

/** How often each fault happens, as a probability per request (their sum at most 1). */
export type FaultRates = Partial<Record<Fault, number>>;

export interface FaultyS3Proxy {
  /** The endpoint to give the SDK instead of the server's. */
  readonly endpoint: string;
  /** Faults injected so far, per kind. */
  readonly injected: Record<Fault, number>;
  /** Of those, the ones that hit a commit (a PUT with `If-None-Match: *`). */
  readonly injectedOnCommits: Record<Fault, number>;
  /** Requests seen so far. */
  requests: number;
  /** Changes the rates from now on (e.g. `{}` to heal the network); `commitRates` for commits. */
  setRates(rates: FaultRates, commitRates?: FaultRates): void;
  close(): Promise<void>;
}

const S3_ERROR = (code: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>injected by the test proxy</Message></Error>`;

/** Starts a proxy to `target` (`http://127.0.0.1:port`) with the given fault rates and seed. */
export async function startFaultyS3Proxy(
  target: string,
  rates: FaultRates,
  seed: number,
  slowMs = 300,
): Promise<FaultyS3Proxy> {
  const upstream = new URL(target);
  let current = rates;
  let currentForCommits = rates;
  let state = seed >>> 0 || 1;
  // xorshift32: small, seeded, good enough to spread faults.
  const random = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const pick = (table: FaultRates): Fault | undefined => {
    let r = random();
    for (const [fault, rate] of Object.entries(table) as Array<[Fault, number]>) {
      if (r < rate) return fault;
      r -= rate;
    }
    return undefined;
  };
  const none = (): Record<Fault, number> => ({
    throttle: 0,
    "server-error": 0,
    "reset-before": 0,
    "lost-reply": 0,
    "cut-body": 0,
    slow: 0,
  });
  const injected = none();
  const injectedOnCommits = none();
  const proxy = {
    endpoint: "",
    injected,
    injectedOnCommits,
    requests: 0,
    setRates(next: FaultRates, nextForCommits: FaultRates = next) {
      current = next;
      currentForCommits = nextForCommits;
    },
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
  const server: Server = createServer((req, res) => {
    proxy.requests++;
    const isCommit = req.method === "PUT" && req.headers["if-none-match"] === "*";
    const fault = pick(isCommit ? currentForCommits : current);
    if (fault) {
      injected[fault]++;
      if (isCommit) injectedOnCommits[fault]++;
    }
    if (fault === "throttle" || fault === "server-error") {
      req.resume();
      const [status, code] = fault === "throttle" ? [503, "SlowDown"] : [500, "InternalError"];
      res.writeHead(status, { "content-type": "application/xml" }).end(S3_ERROR(code));
      return;
    }
    if (fault === "reset-before") {
      req.socket.destroy();
      return;
    }
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      async (reply) => {
        if (fault === "lost-reply") {
          // The server has acted; drain its reply and cut the client off.
          reply.resume();
          await once(reply, "end").catch(() => undefined);
          req.socket.destroy();
          return;
        }
        if (fault === "slow") await new Promise((resolve) => setTimeout(resolve, slowMs));
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        if (fault === "cut-body") {
          // Headers and half of the body arrive, then the connection breaks.
          const chunks: Buffer[] = [];
          for await (const chunk of reply) chunks.push(chunk as Buffer);
          const body = Buffer.concat(chunks);
          res.write(body.subarray(0, body.length >> 1), () => req.socket.destroy());
          return;
        }
        reply.pipe(res);
      },
    );
    forward.on("error", () => req.socket.destroy());
    req.pipe(forward);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
