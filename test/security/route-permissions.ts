/**
 * Who may call each route of the Worker. The permission matrix (permission-matrix.test.ts) reads
 * the app's route table and fails for a route missing here, and for an entry whose route is gone,
 * so every new route has to be classified before it ships.
 */

/** Who may call a route: anyone, the holder of a conversation token, or a signed-in agent of at least this role. */
export type Access = 'public' | 'customer-token' | 'agent' | 'supervisor' | 'admin';

/**
 * Where the tenant comes from: `none` (public brand data, or nothing of a tenant), `session` (the
 * caller's own tenant, from the verified session or token), `resource` (the path names a
 * conversation or agent, which must be of the caller's tenant: another tenant gets 404/403).
 */
export type TenantScope = 'none' | 'session' | 'resource';

export interface RoutePermission {
  access: Access;
  tenant: TenantScope;
}

const pub: RoutePermission = { access: 'public', tenant: 'none' };
const agent = (tenant: TenantScope = 'session'): RoutePermission => ({ access: 'agent', tenant });

/** Every `METHOD path` of the app, as Hono's route table names it. */
export const ROUTE_PERMISSIONS: Record<string, RoutePermission> = {
  'GET /health': pub,
  'GET /widget.js': pub,
  'GET /inbox': pub,
  'GET /inbox.html': pub,
  'GET /inbox/*': pub,
  'GET /chat': pub,
  'GET /chat.html': pub,
  'GET /chat/*': pub,

  // The widget's API: from partners' pages, with no cookie; checked per brand by Origin.
  'POST /v1/widget/session': pub,
  'GET /v1/widget/brands/:key': pub,
  'GET /v1/widget/brands/:key/presence': pub,
  'POST /v1/widget/offline-message': pub,
  // Documents: the customer's session token names tenant, conversation and contact; a download
  // link is its own key (signed, minutes long, bound to its viewer).
  'POST /v1/widget/files': { access: 'customer-token', tenant: 'session' },
  'GET /v1/widget/files/:id/link': { access: 'customer-token', tenant: 'session' },
  'GET /v1/files/:token': pub,

  // Anyone may upgrade; the token in `hello` decides (frame-matrix.test.ts tries every frame).
  'GET /v1/conversations/:id/socket': { access: 'customer-token', tenant: 'resource' },

  'POST /v1/agent/login': pub,
  // Anyone may call it: it ends only the session of the cookie it is sent with, if any.
  'POST /v1/agent/logout': pub,
  'GET /v1/agent/me': agent(),

  'GET /v1/agent/conversations': agent(),
  'GET /v1/agent/conversations/:id': agent('resource'),
  'PATCH /v1/agent/conversations/:id': agent('resource'),
  'POST /v1/agent/conversations/:id/take': agent('resource'),
  'POST /v1/agent/conversations/:id/escalate': agent('resource'),
  'POST /v1/agent/conversations/:id/reveal': agent('resource'),
  'POST /v1/agent/conversations/:id/messages': agent('resource'),
  'POST /v1/agent/conversations/:id/socket-token': agent('resource'),
  'GET /v1/agent/conversations/:id/events': agent('resource'),
  'POST /v1/agent/conversations/:id/files': agent('resource'),
  'GET /v1/agent/conversations/:id/files/:fileId/link': agent('resource'),
  'POST /v1/agent/conversations/:id/files/:fileId/reveal': agent('resource'),
  'POST /v1/agent/conversations/:id/files/:fileId/sensitive': agent('resource'),
  'POST /v1/agent/conversations/:id/document-requests': agent('resource'),
  // The macro is looked up in the caller's tenant too: another tenant's id is not found.
  'POST /v1/agent/conversations/:id/macros/:macroId': agent('resource'),

  'GET /v1/agent/inbox/socket': agent(),
  'GET /v1/agent/queue': agent(),
  'GET /v1/agent/search': agent(),
  'GET /v1/agent/agents': agent(),
  'GET /v1/agent/canned': agent(),
  'GET /v1/agent/teams': agent(),
  'GET /v1/agent/topics': agent(),
  'GET /v1/agent/supervisor': { access: 'supervisor', tenant: 'session' },

  'GET /v1/admin/agents': { access: 'admin', tenant: 'session' },
  'PATCH /v1/admin/agents/:id': { access: 'admin', tenant: 'resource' },
  'GET /v1/admin/routing': { access: 'admin', tenant: 'session' },
  'PUT /v1/admin/routing': { access: 'admin', tenant: 'session' },
  'GET /v1/admin/routing/agents/:id/teams': { access: 'admin', tenant: 'resource' },
  'PUT /v1/admin/routing/agents/:id/teams': { access: 'admin', tenant: 'resource' },
  'GET /v1/admin/topics': { access: 'admin', tenant: 'session' },
  'PUT /v1/admin/topics': { access: 'admin', tenant: 'session' },
  'GET /v1/admin/macros': { access: 'admin', tenant: 'session' },
  // The shortcut names a macro of the admin's own tenant: another tenant's admin reaches only theirs.
  'PUT /v1/admin/macros/:shortcut': { access: 'admin', tenant: 'session' },
  'DELETE /v1/admin/macros/:shortcut': { access: 'admin', tenant: 'session' },
  'GET /v1/admin/sla': { access: 'admin', tenant: 'session' },
  // Probed with each tenant's own stored setting written back: another tenant's teams would be refused as unknown.
  'PUT /v1/admin/sla': { access: 'admin', tenant: 'session' },
  // Development only (DEV_CLOCK=on, as in the Workers pool): the body names a conversation of the admin's tenant.
  'GET /v1/admin/mail': { access: 'admin', tenant: 'session' },
  // Probed with each tenant's own stored setting written back (a brand without e-mail gets none and keeps none).
  'PUT /v1/admin/mail': { access: 'admin', tenant: 'session' },
  'POST /v1/admin/dev/sla-clock': { access: 'admin', tenant: 'resource' },

  // Written complaints: the widget files them (by Origin, like the away form); the register keeps team walls.
  'POST /v1/widget/complaints': pub,
  'POST /v1/widget/complaints/prefill': pub,
  'GET /v1/agent/complaints': agent(),
  'GET /v1/agent/complaints/export.csv': agent(),
  'GET /v1/agent/complaints/:id': agent('resource'),
  'PATCH /v1/agent/complaints/:id': agent('resource'),
  'POST /v1/agent/complaints/:id/reveal': agent('resource'),
  'PUT /v1/agent/complaints/:id/draft': agent('resource'),
  // A supervisor of the complaint's team or an admin, never the draft's author.
  'POST /v1/agent/complaints/:id/approve': { access: 'supervisor', tenant: 'resource' },
  // Public by design: the HMAC-signed link, bound to tenant and letter, is the only key.
  'GET /v1/letters/:id': pub,
  'GET /v1/admin/complaints/settings': { access: 'admin', tenant: 'session' },
  'PUT /v1/admin/complaints/settings': { access: 'admin', tenant: 'session' },
  // Development only (DEV_CLOCK=on, as in the Workers pool): the body names a complaint of the admin's tenant.
  'POST /v1/admin/dev/complaint-clock': { access: 'admin', tenant: 'resource' },

  // Reports (issue 14): supervisors see the teams they supervise, admins the tenant; settings are the admin's.
  'GET /v1/agent/reports': { access: 'supervisor', tenant: 'session' },
  'GET /v1/agent/reports/shifts': { access: 'supervisor', tenant: 'session' },
  'GET /v1/agent/reports/pauses': { access: 'supervisor', tenant: 'session' },
  'GET /v1/agent/reports/csat': { access: 'supervisor', tenant: 'session' },
  'GET /v1/agent/reports/today': { access: 'supervisor', tenant: 'session' },
  'GET /v1/agent/reports/export.csv': { access: 'supervisor', tenant: 'session' },
  'GET /v1/admin/reports/settings': { access: 'admin', tenant: 'session' },
  // Probed with each tenant's own stored setting written back.
  'PUT /v1/admin/reports/settings': { access: 'admin', tenant: 'session' },
};

/**
 * The routes of a Hono route table as `METHOD path`, deduplicated (a route with middleware shows
 * once per handler), leaving out middleware-only entries: method ALL on a wildcard path.
 */
export function routeKeys(routes: readonly { method: string; path: string }[]): string[] {
  const keys = routes.filter((r) => !(r.method === 'ALL' && r.path.includes('*'))).map((r) => `${r.method} ${r.path}`);
  return [...new Set(keys)].sort();
}
