/**
 * The two demo brands: an operator and an MVNO it hosts, each with an admin, a supervisor and two
 * agents. Used by `npm start` (via esbuild) and by the tests, so both see the same world.
 * Every statement is INSERT OR IGNORE: seeding again keeps whatever is already there.
 */
import { hashPassword } from '../worker/auth/password';
import type { MacroActions } from '../protocol/macros';
import type { BusinessCalendar, SlaTargets } from '../protocol/sla';

/** The password of every demo account. Printed on start; change it before going anywhere real. */
export const DEMO_PASSWORD = 'switchboard-demo';
/** Two weeks of report history for the demo brands (scripts/demo-reports.ts), seeded by `npm start`. */
export { demoReportStatements } from './demo-reports';

export interface DemoTenant {
  id: string;
  key: string;
  name: string;
  locale: string;
  identitySecret: string;
  branding: Record<string, unknown>;
  agents: { id: string; email: string; name: string; role: 'agent' | 'supervisor' | 'admin'; maxChats: number }[];
  /** Canned replies; those with actions are macros (protocol/macros.ts). */
  canned: { shortcut: string; title: string; text: string; actions?: MacroActions }[];
  /** Teams besides `general` (which everyone works in, with their max_chats), and who is in each. */
  teams: { id: string; name: string; members: { email: string; capacity: number }[]; overflowAfterS?: number; overflowTo?: string }[];
  /** Pre-chat topics, each routed to the team of the same id. */
  topics: { key: string; label: string }[];
  /** Every topic an agent may set; the pre-chat ones are among them. */
  allTopics: { key: string; label: string }[];
  /** SLA: the business calendar (null: round the clock) and each team's normal-priority targets (see slaPolicies). */
  sla: { calendar: BusinessCalendar | null; normal: Record<string, SlaTargets> };
  /** Written complaints (migration 0011): the answer period, the complaints mailbox, the letter's template. */
  complaints: { answerDays: number; address: string | null; letterhead: string; senderName: string; closing: string };
  /**
   * The brand's e-mail (migration 0009), or none: the away form promises an answer by mail only where
   * there is one. Locally every relay is replaced by the SMTP catcher (MAIL_RELAY_OVERRIDE, scripts/server.mjs).
   */
  mail?: { inboundAddress: string; fromName: string; fromAddress: string; relayHost: string; relayPort: number };
}

/**
 * A team's policies for every priority from its normal one: urgent a quarter, high half, low three
 * times as long (at least a minute), so the demo shows a policy in every cell of team × priority.
 */
export function slaPolicies(team: string, normal: SlaTargets): { team: string; priority: 'low' | 'normal' | 'high' | 'urgent'; firstResponseS: number; nextResponseS: number; resolutionS: number }[] {
  const scale = (f: number) => (x: number) => Math.max(60, Math.round(x * f));
  return (Object.entries({ urgent: 0.25, high: 0.5, normal: 1, low: 3 }) as ['low' | 'normal' | 'high' | 'urgent', number][]).map(([priority, f]) => ({
    team,
    priority,
    firstResponseS: scale(f)(normal.firstResponseS),
    nextResponseS: scale(f)(normal.nextResponseS),
    resolutionS: scale(f)(normal.resolutionS),
  }));
}

const origins = ['http://127.0.0.1:8787', 'http://localhost:8787'];

export const DEMO_TENANTS: DemoTenant[] = [
  {
    id: '0190a000-0000-7000-8000-000000000001',
    key: 'operator',
    name: 'Northwind Telecom',
    locale: 'en',
    identitySecret: 'demo-operator-identity-secret',
    branding: { primary: '#0b5fff', onPrimary: '#ffffff', greeting: 'Hi! How can Northwind help today?', position: 'right', logo: '/demo/operator/logo.svg' },
    agents: [
      { id: '0190a000-0000-7000-8000-0000000000a1', email: 'admin@northwind.test', name: 'Nora Admin', role: 'admin', maxChats: 5 },
      { id: '0190a000-0000-7000-8000-0000000000a2', email: 'supervisor@northwind.test', name: 'Sam Supervisor', role: 'supervisor', maxChats: 5 },
      { id: '0190a000-0000-7000-8000-0000000000a3', email: 'anna@northwind.test', name: 'Anna', role: 'agent', maxChats: 4 },
      { id: '0190a000-0000-7000-8000-0000000000a4', email: 'boris@northwind.test', name: 'Boris', role: 'agent', maxChats: 4 },
    ],
    canned: [
      { shortcut: 'hello', title: 'Greeting', text: 'Hi, thanks for contacting Northwind! How can I help you today?' },
      { shortcut: 'restart', title: 'Restart the modem', text: 'Please unplug your USB modem, wait ten seconds, plug it back in and open the connection manager again.' },
      { shortcut: 'roaming', title: 'Roaming on', text: 'I have switched roaming on for your line; it can take up to five minutes to work.' },
      { shortcut: 'bye', title: 'Closing', text: 'Is there anything else I can help you with? Have a great day!' },
      {
        shortcut: 'roaming-reset',
        title: 'Roaming reset',
        text: 'Hi {{contact.name}}, this is {{agent.name}}. I am resetting roaming on your line now (ticket #{{conversation.number}}); I will be back by {{hold.until}} UTC.',
        actions: { topic: 'roaming', holdMinutes: 15, holdNote: 'Resetting roaming on your line' },
      },
      { shortcut: 'solved', title: 'Solved, closing', text: 'Thanks, {{contact.name}}! Glad we could sort it out. Best regards, {{agent.name}}', actions: { resolve: true } },
    ],
    teams: [
      { id: 'billing', name: 'Billing', members: [{ email: 'anna@northwind.test', capacity: 2 }], overflowAfterS: 120, overflowTo: 'general' },
      { id: 'roaming', name: 'Roaming', members: [{ email: 'boris@northwind.test', capacity: 2 }], overflowAfterS: 120, overflowTo: 'general' },
      { id: 'modem', name: 'Modem / Internet', members: [{ email: 'boris@northwind.test', capacity: 2 }], overflowAfterS: 120, overflowTo: 'general' },
    ],
    topics: [
      { key: 'billing', label: 'Billing' },
      { key: 'roaming', label: 'Roaming' },
      { key: 'modem', label: 'Modem / Internet' },
    ],
    allTopics: [
      { key: 'roaming', label: 'Roaming' },
      { key: 'billing', label: 'Billing' },
      { key: 'porting', label: 'Number porting' },
      { key: 'modem', label: 'Modem / Internet' },
      { key: 'complaint', label: 'Complaint' },
    ],
    // Riga office hours, Saturdays short, and the holidays of the season; the roaming desk answers fastest.
    sla: {
      calendar: {
        timezone: 'Europe/Riga',
        hours: [...[1, 2, 3, 4, 5].map((day) => ({ day, from: '08:00', to: '20:00' })), { day: 6, from: '10:00', to: '16:00' }],
        holidays: ['2026-12-24', '2026-12-25', '2026-12-26', '2026-12-31', '2027-01-01', '2027-05-01', '2027-05-04', '2027-06-23', '2027-06-24'],
      },
      normal: {
        general: { firstResponseS: 300, nextResponseS: 600, resolutionS: 8 * 3600 },
        billing: { firstResponseS: 600, nextResponseS: 900, resolutionS: 24 * 3600 },
        roaming: { firstResponseS: 180, nextResponseS: 300, resolutionS: 4 * 3600 },
        modem: { firstResponseS: 300, nextResponseS: 600, resolutionS: 8 * 3600 },
      },
    },
    complaints: { answerDays: 30, address: 'complaints@northwind.test', letterhead: 'Northwind Telecom\nCustomer Care · 1 Harbour Street · Riga', senderName: 'Northwind Customer Care', closing: 'Yours sincerely' },
    mail: { inboundAddress: 'support@northwind.test', fromName: 'Northwind Support', fromAddress: 'support@northwind.test', relayHost: 'smtp.northwind.test', relayPort: 587 },
  },
  {
    id: '0190a000-0000-7000-8000-000000000002',
    key: 'mvno',
    name: 'Volna Mobile',
    locale: 'ru',
    identitySecret: 'demo-mvno-identity-secret',
    branding: { primary: '#e0245e', onPrimary: '#ffffff', greeting: 'Здравствуйте! Чем Волна может помочь?', position: 'left', logo: '/demo/mvno/logo.svg' },
    agents: [
      { id: '0190a000-0000-7000-8000-0000000000b1', email: 'admin@volna.test', name: 'Вера Админ', role: 'admin', maxChats: 5 },
      { id: '0190a000-0000-7000-8000-0000000000b2', email: 'supervisor@volna.test', name: 'Степан Супервайзер', role: 'supervisor', maxChats: 5 },
      { id: '0190a000-0000-7000-8000-0000000000b3', email: 'olga@volna.test', name: 'Ольга', role: 'agent', maxChats: 4 },
      { id: '0190a000-0000-7000-8000-0000000000b4', email: 'pavel@volna.test', name: 'Павел', role: 'agent', maxChats: 4 },
    ],
    canned: [
      { shortcut: 'привет', title: 'Приветствие', text: 'Здравствуйте! Спасибо, что написали в Волну. Чем могу помочь?' },
      { shortcut: 'модем', title: 'Перезапуск модема', text: 'Пожалуйста, отключите модем, подождите десять секунд, подключите снова и перезапустите менеджер подключения.' },
      { shortcut: 'пока', title: 'Завершение', text: 'Могу ли я ещё чем-то помочь? Хорошего дня!' },
      {
        shortcut: 'роуминг',
        title: 'Сброс роуминга',
        text: 'Здравствуйте, {{contact.name}}! Это {{agent.name}}. Сбрасываю роуминг на вашем номере (обращение №{{conversation.number}}), вернусь к {{hold.until}} UTC.',
        actions: { topic: 'roaming', holdMinutes: 15, holdNote: 'Сбрасываю роуминг на вашем номере' },
      },
      { shortcut: 'решено', title: 'Решено, закрыть', text: 'Спасибо, {{contact.name}}! Рады, что всё получилось. С уважением, {{agent.name}}', actions: { resolve: true } },
    ],
    teams: [],
    topics: [],
    allTopics: [
      { key: 'roaming', label: 'Роуминг' },
      { key: 'billing', label: 'Оплата' },
      { key: 'porting', label: 'Перенос номера' },
      { key: 'modem', label: 'Модем / Интернет' },
      { key: 'complaint', label: 'Жалоба' },
    ],
    // The MVNO's desk works round the clock.
    sla: { calendar: null, normal: { general: { firstResponseS: 240, nextResponseS: 600, resolutionS: 12 * 3600 } } },
    complaints: { answerDays: 30, address: null, letterhead: 'Volna Mobile\nСлужба заботы о клиентах', senderName: 'Volna Mobile', closing: 'С уважением' },
  },
];

/** A statement and its parameters, runnable by D1 (`prepare().bind()`) or rendered as SQL text. */
export interface SeedStatement {
  sql: string;
  params: (string | number | null)[];
}

/** The demo world as statements. Passwords are hashed fresh (random salt) each call. */
export async function demoSeedStatements(now = Date.now()): Promise<SeedStatement[]> {
  const out: SeedStatement[] = [];
  for (const t of DEMO_TENANTS) {
    out.push({
      sql: 'INSERT OR IGNORE INTO tenants (id, key, name, branding, locale, allowed_origins, identity_secret, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      params: [t.id, t.key, t.name, JSON.stringify(t.branding), t.locale, JSON.stringify(origins), t.identitySecret, now],
    });
    for (const a of t.agents) {
      out.push({
        sql: 'INSERT OR IGNORE INTO agents (id, tenant_id, email, name, role, password_hash, max_chats, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        params: [a.id, t.id, a.email, a.name, a.role, await hashPassword(DEMO_PASSWORD), a.maxChats, now],
      });
    }
    // Everyone works in the default team; supervisors and admins supervise every team.
    const teams = [{ id: 'general', name: 'General', members: [] as { email: string; capacity: number }[], overflowAfterS: undefined, overflowTo: undefined }, ...t.teams];
    for (const [i, team] of teams.entries()) {
      out.push({
        sql: 'INSERT OR IGNORE INTO teams (tenant_id, id, name, overflow_after_s, overflow_to, position, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        params: [t.id, team.id, team.name, team.overflowAfterS ?? null, team.overflowTo ?? null, i, now],
      });
      for (const a of t.agents) {
        const seat = team.id === 'general' ? { capacity: a.maxChats } : team.members.find((m) => m.email === a.email);
        const supervises = a.role !== 'agent';
        if (!seat && !supervises) continue;
        out.push({
          sql: 'INSERT OR IGNORE INTO team_members (tenant_id, team_id, agent_id, capacity, supervises) VALUES (?, ?, ?, ?, ?)',
          params: [t.id, team.id, a.id, seat?.capacity ?? 0, supervises ? 1 : 0],
        });
      }
    }
    out.push({
      sql: "UPDATE tenants SET routing_rules = ?, prechat_topics = ? WHERE id = ? AND routing_rules = '[]'",
      params: [JSON.stringify(t.topics.map((x) => ({ topic: x.key, team: x.key }))), JSON.stringify(t.topics), t.id],
    });
    // Documents (migration 0012): the MVNO keeps customers' documents 30 days and takes 3 files a
    // message, so the demo shows a tenant's own settings; the operator keeps the defaults.
    if (t.key === 'mvno') out.push({ sql: 'UPDATE tenants SET document_retention_days = 30, document_max_files = 3 WHERE id = ? AND document_retention_days IS NULL', params: [t.id] });
    // Topics before the macros that set them; pre-chat topics a migration copied already keep their place.
    for (const [i, topic] of t.allTopics.entries()) {
      out.push({ sql: 'INSERT OR IGNORE INTO topics (tenant_id, key, label, position) VALUES (?, ?, ?, ?)', params: [t.id, topic.key, topic.label, i] });
    }
    // Only a tenant with no SLA of its own yet gets the demo's: an admin's later change stays.
    out.push({ sql: 'UPDATE tenants SET sla_calendar = ? WHERE id = ? AND sla_calendar IS NULL AND NOT EXISTS (SELECT 1 FROM sla_policies WHERE tenant_id = ?)', params: [t.sla.calendar ? JSON.stringify(t.sla.calendar) : null, t.id, t.id] });
    for (const [team, normal] of Object.entries(t.sla.normal)) {
      for (const p of slaPolicies(team, normal)) {
        out.push({
          sql: 'INSERT OR IGNORE INTO sla_policies (tenant_id, team_id, priority, first_response_s, next_response_s, resolution_s) VALUES (?, ?, ?, ?, ?, ?)',
          params: [t.id, p.team, p.priority, p.firstResponseS, p.nextResponseS, p.resolutionS],
        });
      }
    }
    for (const [i, r] of t.canned.entries()) {
      // The tenant's own last digits are in the id: both demo tenants' ids end alike before them, and
      // with the ids colliding the second tenant's replies were silently ignored.
      out.push({
        sql: 'INSERT OR IGNORE INTO canned_replies (id, tenant_id, shortcut, title, text, actions, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        params: [`${t.id.slice(0, -4)}c${t.id.slice(-1)}${String(i).padStart(2, '0')}`, t.id, r.shortcut, r.title, r.text, JSON.stringify(r.actions ?? {}), now],
      });
    }
    const k = t.complaints;
    out.push({
      sql: 'INSERT OR IGNORE INTO complaint_settings (tenant_id, answer_days, complaints_address, letterhead, sender_name, closing, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      params: [t.id, k.answerDays, k.address, k.letterhead, k.senderName, k.closing, now],
    });
    if (t.mail) {
      out.push({
        sql: 'INSERT OR IGNORE INTO mail_settings (tenant_id, inbound_address, from_name, from_address, relay_host, relay_port, relay_secure, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?)',
        params: [t.id, t.mail.inboundAddress, t.mail.fromName, t.mail.fromAddress, t.mail.relayHost, t.mail.relayPort, now],
      });
    }
  }
  return out;
}

/** Render statements as a SQL script for `wrangler d1 execute --file`. */
export function toSqlScript(statements: SeedStatement[]): string {
  const literal = (v: string | number | null) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`);
  return statements.map((s) => {
    let i = 0;
    return s.sql.replace(/\?/g, () => literal(s.params[i++]!)) + ';';
  }).join('\n') + '\n';
}
