// When a session becomes a ticket, as the pure rules decide it: the customer's first message
// (the away form sends one too), or an agent acting on it; never the system or a mere hello.
import { describe, expect, it } from 'vitest';
import { decide } from '../../../worker/conversation/rules';
import { SYSTEM } from '../../../worker/conversation/commands';
import type { Actor, Command } from '../../../worker/conversation/commands';
import { newState } from '../../../worker/conversation/state';

const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const session = () => newState({ id: 'c1', tenantId: 't1', tenantKey: 'operator', contactName: null, number: 1, contactId: 'contact-1', createdAt: NOW - 5_000 });
const olga: Actor = { role: 'customer', id: 'contact-1', name: null };
const anna: Actor = { role: 'agent', id: 'anna', name: 'Anna', agentRole: 'agent' };

function openedAfter(command: Command, actor: Actor): number | null {
  const d = decide(session(), command, actor, NOW);
  if (!d.ok) throw new Error(d.message);
  return d.state.openedAt;
}

describe('a session becomes a ticket', () => {
  it('at the customer’s first message, live or copied in a merge, at its time', () => {
    expect(session().openedAt).toBeNull();
    expect(openedAfter({ type: 'message', channel: 'web', createdAt: NOW - 1, live: true }, olga)).toBe(NOW - 1);
    expect(openedAfter({ type: 'message', channel: 'web', createdAt: NOW - 99, live: false }, olga)).toBe(NOW - 99);
  });

  it('when an agent acts on it', () => {
    expect(openedAfter({ type: 'take' }, anna)).toBe(NOW);
    expect(openedAfter({ type: 'note' }, anna)).toBe(NOW);
  });

  it('not at a hello from another channel, nor by the system', () => {
    expect(openedAfter({ type: 'channel.join', channel: 'app' }, olga)).toBeNull();
    expect(openedAfter({ type: 'contact.link', contactId: 'contact-2' }, SYSTEM)).toBeNull();
    expect(openedAfter({ type: 'hold.check' }, SYSTEM)).toBeNull();
  });

  it('stays opened once it is', () => {
    const d = decide({ ...session(), openedAt: NOW - 1000 }, { type: 'message', channel: 'web', createdAt: NOW, live: true }, olga, NOW);
    expect(d.ok && d.state.openedAt).toBe(NOW - 1000);
  });
});
