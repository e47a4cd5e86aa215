/**
 * The web dashboard: `startDashboard` serves a page and a JSON API over any
 * storage (docs/dashboard.md); `tunekit dashboard` runs it from the command line.
 * @module
 */
export { startDashboard, isLoopback, MAX_BODY_BYTES, NOTE_ATTR, type Dashboard, type DashboardOptions } from './server.js';
