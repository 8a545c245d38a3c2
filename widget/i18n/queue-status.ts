import type { CustomerConversationState } from '../../protocol';
import type { I18n } from './index';

/** A wait as a person would say it: under a minute, some minutes, or some hours. */
export type RoundedWait = { unit: 'soon' } | { unit: 'minutes' | 'hours'; n: number };

/**
 * Round an estimated wait so it promises no more precision than an estimate has: to the minute
 * under a quarter of an hour, to five minutes under an hour, to the hour beyond.
 */
export function roundWait(etaS: number): RoundedWait {
  if (!(etaS >= 60)) return { unit: 'soon' };
  const minutes = Math.round(etaS / 60);
  if (minutes < 15) return { unit: 'minutes', n: minutes };
  const fives = Math.round(minutes / 5) * 5;
  if (fives < 60) return { unit: 'minutes', n: fives };
  return { unit: 'hours', n: Math.max(1, Math.round(minutes / 60)) };
}

/** "You are #3 in line · about 4 min"; the position alone when the server knows no estimate. */
export function queueStatus(i18n: I18n, queue: NonNullable<CustomerConversationState['queue']>): string {
  const position = queue.position <= 1 ? i18n.t('queueNext') : i18n.t('queuePosition', { n: queue.position });
  if (queue.etaS === null || !Number.isFinite(queue.etaS)) return position;
  const w = roundWait(queue.etaS);
  const wait = w.unit === 'soon' ? i18n.t('waitSoon') : i18n.n(w.unit === 'minutes' ? 'waitMinutes' : 'waitHours', w.n);
  return i18n.t('queueWithWait', { position, wait });
}
