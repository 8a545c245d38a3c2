// The customer's outbox: survives a reload, keeps order, forgets only what the server acknowledged.
import { describe, expect, it } from 'vitest';
import { Outbox } from '../../client/outbox';
import { memoryStorage } from '../../client/storage';

describe('Outbox', () => {
  it('keeps messages in the order written across a "reload"', () => {
    const store = memoryStorage();
    const a = new Outbox(store, 'k');
    a.add('one', 1);
    a.add('two', 2);
    a.add('three', 3);
    const reloaded = new Outbox(store, 'k');
    expect(reloaded.items().map((i) => i.text)).toEqual(['one', 'two', 'three']);
    expect(new Set(reloaded.items().map((i) => i.clientId)).size).toBe(3);
  });

  it('an item leaves only when acknowledged, and acking twice is harmless', () => {
    const store = memoryStorage();
    const box = new Outbox(store, 'k');
    const one = box.add('one');
    const two = box.add('two');
    box.ack(one.clientId);
    box.ack(one.clientId);
    expect(box.items().map((i) => i.clientId)).toEqual([two.clientId]);
    box.ack(two.clientId);
    expect(store.get('k')).toBeNull();
  });

  it("two tabs writing at once lose neither tab's messages", () => {
    const store = memoryStorage();
    const tabA = new Outbox(store, 'k');
    const tabB = new Outbox(store, 'k');
    tabA.add('from A');
    tabB.add('from B');
    expect(new Outbox(store, 'k').items().map((i) => i.text)).toEqual(['from A', 'from B']);
  });

  it('ignores corrupt storage instead of crashing the widget', () => {
    const store = memoryStorage();
    store.set('k', '{"not":"a list"');
    expect(new Outbox(store, 'k').items()).toEqual([]);
    store.set('k', JSON.stringify([{ clientId: 'ok', text: 'kept', createdAt: 1 }, { bogus: true }]));
    expect(new Outbox(store, 'k').items().map((i) => i.text)).toEqual(['kept']);
  });

  it('clear forgets everything (shutdown)', () => {
    const store = memoryStorage();
    const box = new Outbox(store, 'k');
    box.add('x');
    box.clear();
    expect(new Outbox(store, 'k').items()).toEqual([]);
  });
});
