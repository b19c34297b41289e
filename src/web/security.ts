/**
 * What keeps the dashboard safe to expose: binding beyond this machine needs an access token; with a
 * token every request must carry it (header, or the cookie a first visit with `?token=` sets); without
 * one, only requests addressed to a loopback name are served (a web page elsewhere cannot rebind a
 * hostname of its own to 127.0.0.1 and read the lake). Every response carries the security headers.
 */
import { timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
import type { Context, MiddlewareHandler } from "hono";

/** Why a bind address was refused. */
export class UnsafeBindError extends Error {
  constructor(readonly host: string) {
    super(
      `Refusing to listen on ${host} without an access token: anyone who can reach it could read the lake. ` +
        `Give --token (a long random secret, e.g. from "openssl rand -hex 32"), or keep the default host 127.0.0.1 ` +
        `and reach it through an SSH tunnel or an SSM port forward.`,
    );
    this.name = "UnsafeBindError";
  }
}

/** True for an address or name that only this machine can reach. */
export function isLoopback(host: string): boolean {
  const name = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (name === "localhost" || name.endsWith(".localhost")) return true;
  if (isIP(name) === 4) return name.startsWith("127.");
  if (isIP(name) === 6) return name === "::1" || /^::ffff:127\./.test(name);
  return false;
}

/** @throws UnsafeBindError when `host` is reachable from other machines and there is no token. */
export function checkBind(host: string, token: string | undefined): void {
  if (!isLoopback(host) && (token === undefined || token === "")) throw new UnsafeBindError(host);
}

/** The content security policy: scripts and styles from the server only, no framing, no other origin. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  // No inline script and no eval: every script is a file the server serves, and charts evaluate
  // their expressions with vega-interpreter instead of Function().
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** Sets the security headers on every response. */
export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  c.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
  c.header("X-Content-Type-Options", "nosniff");
  c.header("Referrer-Policy", "no-referrer");
  c.header("X-Frame-Options", "DENY");
  c.header("Cross-Origin-Opener-Policy", "same-origin");
  c.header("Cross-Origin-Resource-Policy", "same-origin");
  if (!c.res.headers.has("Cache-Control")) c.header("Cache-Control", "no-store");
};

const COOKIE = "lake_token";

/**
 * Admits a request carrying `token` (as `Authorization: Bearer`, or the cookie); a `?token=` visit sets
 * the cookie and redirects to the same page without it, so the token leaves the address bar. Without
 * a token, admits only requests whose Host is a loopback name.
 */
export function accessCheck(token: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (token === undefined || token === "") {
      const host = c.req.header("host") ?? "";
      if (!isLoopback(host.replace(/:\d+$/, "")))
        return refuse(c, 403, `This dashboard answers only to localhost, not to "${host}".`);
      return next();
    }
    const url = new URL(c.req.url);
    const given = url.searchParams.get("token");
    if (given !== null) {
      if (!same(given, token)) return refuse(c, 401, "The token in the address is not this dashboard's.");
      url.searchParams.delete("token");
      c.header("Set-Cookie", `${COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`);
      return c.redirect(`${url.pathname}${url.search}`, 303);
    }
    const bearer = /^Bearer (.+)$/.exec(c.req.header("authorization") ?? "")?.[1];
    const cookie = cookieValue(c.req.header("cookie") ?? "", COOKIE);
    if ((bearer !== undefined && same(bearer, token)) || (cookie !== undefined && same(cookie, token)))
      return next();
    return refuse(
      c,
      401,
      'This dashboard needs its access token: open the address "lake serve" printed, ending in ?token=….',
    );
  };
}

function refuse(c: Context, status: 401 | 403, message: string): Response {
  return c.text(message, status);
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieValue(header: string, name: string): string | undefined {
  for (const part of header.split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) {
      try {
        return decodeURIComponent(value.join("="));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
