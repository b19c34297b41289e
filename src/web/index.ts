/**
 * The dashboard (`lake serve`): an HTTP server over lake/index.ts with server-rendered pages and small
 * browser scripts; no business logic of its own.
 */

export { checkBind, isLoopback, UnsafeBindError } from "./security.ts";
export {
  dashboardApp,
  type RunningDashboard,
  type ServeOptions,
  SQL_LIMITS,
  startDashboard,
} from "./server.ts";
