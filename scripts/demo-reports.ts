// Two weeks of report history for the demo brands (issue 14), so the inbox's Reports view shows
// something meaningful from the first `npm start`: resolved conversations with replies, long
// pauses, holds, a breach now and then, ratings with comments, one unanswered conversation a day,
// and each agent's shift in the state log. The report rows are made by the product's own pure
// functions (worker/reports/facts.ts, agent-day.ts), so they are what the projection would keep.
// Ids are per day, so a second `npm start` the same day inserts nothing twice.
import { DAY_MS, SUM_KEYS } from '../protocol/reports';
import type { ReportSums } from '../protocol/reports';
import { factsOf } from '../worker/reports/facts';
import type { LogEvent, LogMessage, Stint } from '../worker/reports/facts';
import { agentDay } from '../worker/reports/agent-day';
import type { StateEntry } from '../worker/reports/agent-day';
import { maskText } from '../worker/privacy/mask';
import type { DemoTenant, SeedStatement } from './demo-seed';

/** How many past days get history, and conversations per day. */
const DAYS = 14;
const PER_DAY = 12;
const S = 1000;
const MIN = 60 * S;
const ASK = ['My roaming does not work in Finland', 'Why was I charged twice this month?', 'The modem says no service', 'How do I port my number?', 'Can you check my line?'];
const ANSWER = ['Let me check that for you', 'I can see it now', 'Please restart the modem', 'That is fixed now', 'Anything else I can help with?'];

const dayKey = (day: number) => new Date(day).toISOString().slice(0, 10).replace(/-/g, '');
const put = (out: SeedStatement[], table: string, row: Record<string, string | number | null>) =>
  out.push({ sql: `INSERT OR IGNORE INTO ${table} (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row).map(() => '?').join(', ')})`, params: Object.values(row) });

type Bucket = { key: Record<string, string | number>; sums: ReportSums };
const addTo = (m: Map<string, Bucket>, key: Record<string, string | number>, sums: ReportSums) => {
  const id = Object.values(key).join('|');
  const b = m.get(id) ?? { key, sums: Object.fromEntries(SUM_KEYS.map((k) => [k, 0])) as unknown as ReportSums };
  for (const k of SUM_KEYS) b.sums[k] += sums[k];
  m.set(id, b);
};

const putConversation = (out: SeedStatement[], tenantId: string, row: Record<string, string | number | null>) =>
  out.push({
    sql: `INSERT OR IGNORE INTO conversations (${Object.keys(row).join(', ')}, number) SELECT ${Object.keys(row).map(() => '?').join(', ')}, COALESCE(MAX(number), 0) + 1 FROM conversations WHERE tenant_id = ?`,
    params: [...Object.values(row), tenantId],
  });

/** The statements of the demo's report history for these tenants, ending yesterday (UTC). */
export function demoReportStatements(tenants: DemoTenant[], now = Date.now()): SeedStatement[] {
  const out: SeedStatement[] = [];
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  for (const t of tenants) {
    const agents = t.agents.filter((a) => a.role === 'agent');
    const supervisor = t.agents.find((a) => a.role === 'supervisor') ?? t.agents[0]!;
    const short = t.id.slice(-4);
    const hourly = new Map<string, { key: (string | number)[]; sums: ReportSums }>();
    for (let d = DAYS; d >= 1; d--) {
      const day = today - d * DAY_MS;
      const stints = new Map<string, Stint[]>(agents.map((a) => [a.id, []]));
      for (let i = 0; i < PER_DAY; i++) {
        const id = `demo-r-${short}-${dayKey(day)}-${String(i).padStart(2, '0')}`;
        const agent = agents[i % agents.length]!;
        const topic = t.allTopics[i % t.allTopics.length]?.key ?? null;
        const team = t.teams.find((x) => x.id === topic)?.id ?? 'general';
        const opened = day + 8 * 3600 * S + 15 * MIN + i * 35 * MIN + (d % 3) * 7 * MIN;
        const messages: (LogMessage & { text: string })[] = [];
        const events: LogEvent[] = [];
        let seq = 0;
        let ev = 0;
        let at = opened;
        const say = (role: 'customer' | 'agent', dt: number, text: string) => messages.push({ seq: ++seq, role, agentId: role === 'agent' ? agent.id : null, at: (at += dt), text });
        const event = (kind: string, data: Record<string, unknown>, dt = 0) => events.push({ seq: ++ev, kind, data, at: (at += dt) });
        say('customer', 0, ASK[i % ASK.length]!);
        const unanswered = i === PER_DAY - 1;
        if (unanswered) {
          event('status.changed', { from: 'open', to: 'resolved' }, 20 * MIN);
        } else {
          event('assignee.changed', { from: null, to: agent.id, toName: agent.name }, 30 * S);
          if (i % 6 === 2) event('sla.breached', { clock: 'first_response' }, 4 * MIN);
          say('agent', (40 + ((i * 37 + d * 11) % 200)) * S, ANSWER[i % ANSWER.length]!);
          say('customer', 60 * S, i % 5 === 1 ? 'It still fails, call me on +371 2912 3456' : 'Thanks, and one more thing');
          if (i % 7 === 3) event('hold.set', { note: 'Checking with the network team', until: at + 10 * MIN }, 10 * S);
          say('agent', (i % 4 === 0 ? 95 + i * 12 + d * 3 : i % 7 === 3 ? 300 : 20) * S, 'Done, it should work now');
          say('customer', 30 * S, 'Great');
          say('agent', 25 * S, ANSWER[4]!);
          event('status.changed', { from: 'open', to: 'resolved' }, 5 * MIN);
          if (i % 3 === 0) event('csat.rated', { score: 'good', comment: i % 2 === 0 ? 'Quick and friendly, thanks' : null }, 2 * MIN);
          else if (i % 5 === 1) event('csat.rated', { score: 'bad', comment: 'Waited too long; my number is +371 2912 3456' }, 2 * MIN);
        }
        const info = { id, tenantId: t.id, openedAt: opened, team, topic, channel: i % 4 === 1 ? 'app' : i % 4 === 2 ? 'modem' : 'web' };
        const facts = factsOf(info, messages, events, 60 * S);
        const rated = events.find((e) => e.kind === 'csat.rated');
        put(out, 'contacts', { id: `${id}-k`, tenant_id: t.id, name: `Demo customer ${i + 1}`, created_at: opened, updated_at: at });
        // The ticket number is the tenant's next, as the Worker takes it: live tickets go on after the history.
        putConversation(out, t.id, {
          id, tenant_id: t.id, contact_id: `${id}-k`, status: 'resolved', priority: 'normal', assignee_id: unanswered ? null : agent.id,
          channels: JSON.stringify([info.channel]), subject: null, created_at: opened, updated_at: at, last_message_at: messages[messages.length - 1]!.at, last_message_text: messages[messages.length - 1]!.text,
          last_seq: seq, version: 1, opened_at: opened, team_id: team, topic, csat_score: (rated?.data.score as string) ?? null, csat_comment: (rated?.data.comment as string) ?? null, csat_at: rated?.at ?? null,
        });
        for (const m of messages) {
          const text = m.text;
          put(out, 'messages', { conversation_id: id, seq: m.seq, tenant_id: t.id, id: `${id}-m${m.seq}`, client_id: `${id}-m${m.seq}`, author_role: m.role, author_id: m.agentId, author_name: m.role === 'agent' ? agent.name : null, channel: info.channel, text, created_at: m.at, text_masked: maskText(text).text });
        }
        for (const e of events) put(out, 'conversation_events', { conversation_id: id, seq: e.seq, tenant_id: t.id, kind: e.kind, actor_role: e.kind === 'csat.rated' ? 'customer' : unanswered ? 'agent' : 'agent', actor_id: unanswered ? supervisor.id : agent.id, data: JSON.stringify(e.data), created_at: e.at });
        put(out, 'report_conversations', { conversation_id: id, tenant_id: t.id, rows_seen: messages.length + events.length });
        for (const r of facts.rows) {
          const key = [t.id, r.hour, team, r.agentId, topic ?? '', info.channel];
          put(out, 'report_facts', { tenant_id: t.id, conversation_id: id, hour: r.hour, team_id: team, agent_id: r.agentId, topic: topic ?? '', channel: info.channel, ...Object.fromEntries(SUM_KEYS.map((k) => [k, r[k]])) });
          const h = hourly.get(key.join('|')) ?? { key, sums: Object.fromEntries(SUM_KEYS.map((k) => [k, 0])) as unknown as ReportSums };
          for (const k of SUM_KEYS) h.sums[k] += r[k];
          hourly.set(key.join('|'), h);
        }
        for (const p of facts.pauses) put(out, 'report_pauses', { tenant_id: t.id, conversation_id: id, customer_seq: p.customerSeq, agent_seq: p.agentSeq, agent_id: p.agentId, team_id: team, topic: topic ?? '', started_at: p.startedAt, waited_ms: p.waitedMs });
        for (const r of facts.ratings) put(out, 'report_ratings', { tenant_id: t.id, conversation_id: id, event_seq: r.eventSeq, at: r.at, score: r.score, comment: r.comment, agent_id: r.agentId, team_id: team, topic: topic ?? '' });
        for (const s of facts.stints) {
          put(out, 'report_handling', { tenant_id: t.id, conversation_id: id, agent_id: s.agentId, start_at: s.start, end_at: s.end });
          stints.get(s.agentId)?.push(s);
        }
      }
      // Each agent's shift: 08:00–16:30 with half an hour away at noon; negative seqs never meet the Floor's own ids.
      for (const [k, a] of agents.entries()) {
        const log: StateEntry[] = [
          { state: 'online', at: day + 8 * 3600 * S - k * 10 * MIN },
          { state: 'away', at: day + 12 * 3600 * S },
          { state: 'online', at: day + 12 * 3600 * S + 30 * MIN },
          { state: 'offline', at: day + 16 * 3600 * S + 30 * MIN + k * 20 * MIN },
        ];
        for (const [j, e] of log.entries()) put(out, 'agent_state_log', { tenant_id: t.id, seq: -(Math.floor(day / DAY_MS) * 100 + k * 10 + j), agent_id: a.id, state: e.state, at: e.at });
        const v = agentDay(day, log, stints.get(a.id) ?? [], now);
        if (v) put(out, 'report_agent_days', { tenant_id: t.id, agent_id: a.id, day, shift_start: v.shiftStart, shift_end: v.shiftEnd, shift_ms: v.shiftMs, available_ms: v.availableMs, away_ms: v.awayMs, handling_ms: v.handlingMs });
      }
    }
    // The hourly rollup and the coarser ones summed from it (worker/db/report-writes.ts does the same).
    const coarse = { report_hourly_team: new Map<string, Bucket>(), report_daily_agent: new Map<string, Bucket>(), report_daily_agent_topic: new Map<string, Bucket>(), report_daily_topic: new Map<string, Bucket>() };
    for (const { key, sums } of hourly.values()) {
      const [tenant_id, hour, team_id, agent_id, topic, channel] = key as [string, number, string, string, string, string];
      put(out, 'report_hourly', { tenant_id, hour, team_id, agent_id, topic, channel, ...sums });
      const day = Math.floor(hour / DAY_MS) * DAY_MS;
      addTo(coarse.report_hourly_team, { tenant_id, hour, team_id }, sums);
      addTo(coarse.report_daily_agent, { tenant_id, day, team_id, agent_id }, sums);
      addTo(coarse.report_daily_agent_topic, { tenant_id, day, team_id, agent_id, topic, channel }, sums);
      addTo(coarse.report_daily_topic, { tenant_id, day, team_id, topic, channel }, sums);
    }
    for (const [table, rows] of Object.entries(coarse)) for (const b of rows.values()) put(out, table, { ...b.key, ...b.sums });
  }
  return out;
}
