import { html } from 'lit';
import type { ShownError } from '../core/api';
import type { ConversationSession } from '../core/conversation-session';
import { clock } from '../core/format';
import { errorLine } from '../shared/badges';
import { ModalElement } from '../shared/modal';
import { styles } from './sb-hold-dialog.styles';

const PRESETS = [5, 15, 30] as const;

/** When a hold chosen as "HH:MM" ends: today at that time, or tomorrow if that has passed. */
export function untilFromTime(value: string, now: number): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const d = new Date(now);
  d.setHours(Number(m[1]), Number(m[2]), 0, 0);
  if (d.getTime() <= now) d.setDate(d.getDate() + 1);
  return d.getTime();
}

/**
 * Put a conversation on hold: a note the customer sees and the time the agent promises to be back
 * (+5/+15/+30 min or a clock time).
 * The dialog's frame, fields and buttons take the shared theme (shared/dialog.styles.ts and
 * base.styles.ts; see <sb-inbox>).
 *
 * @csspart dialog - the modal dialog
 * @csspart note - the note for the customer
 * @csspart presets - the row of times to choose from
 * @cssproperty --sb-border-strong - outline of each time choice
 * @cssproperty --sb-accent - outline of the chosen time
 */
export class SbHoldDialog extends ModalElement {
  static override styles = styles;
  static override properties = {
    session: { attribute: false },
    error: { state: true },
    busy: { state: true },
    choice: { state: true },
    time: { state: true },
  };

  /** The conversation to hold. */
  declare session: ConversationSession;
  declare error: ShownError | null;
  declare busy: boolean;
  /** Minutes from now, or 'time' for the clock-time field. */
  declare choice: number | 'time';
  declare time: string;

  constructor() {
    super();
    this.error = null;
    this.busy = false;
    this.choice = 15;
    this.time = '';
  }

  protected override reset(): void {
    this.error = null;
    this.busy = false;
    this.choice = 15;
    this.time = '';
    // Not form.reset(): that would uncheck the radios Lit checked through the property.
    const note = this.renderRoot.querySelector('textarea');
    if (note) note.value = '';
  }

  private until(now = Date.now()): number | null {
    return this.choice === 'time' ? untilFromTime(this.time, now) : now + this.choice * 60_000;
  }

  private async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const note = String(new FormData(e.target as HTMLFormElement).get('note') ?? '').trim();
    const until = this.until();
    if (!note) {
      this.error = { code: 'request.invalid', message: 'Write a note for the customer: what you are checking.' };
      return;
    }
    if (until === null) {
      this.error = { code: 'request.invalid', message: 'Choose when you will be back.' };
      return;
    }
    this.busy = true;
    this.error = await this.session.update({ hold: { note, until } }, false);
    this.busy = false;
    if (!this.error) this.close();
  }

  override render() {
    const until = this.until();
    return html`<dialog part="dialog" aria-labelledby="hold-title" @keydown=${this.trap}>
      <form @submit=${this.submit} novalidate>
        <h2 id="hold-title">Put #${this.session?.number ?? ''} on hold</h2>
        <label class="field"
          ><span>Note for the customer</span>
          <textarea part="note" name="note" rows="3" maxlength="500" autofocus placeholder="I'm checking the outage map for your street."></textarea>
        </label>
        <fieldset>
          <legend>I'll be back</legend>
          <div class="presets" part="presets">
            ${PRESETS.map(
              (m) =>
                html`<label><input type="radio" name="when" .checked=${this.choice === m} @change=${() => (this.choice = m)} /> in ${m} min</label>`,
            )}
            <label
              ><input type="radio" name="when" .checked=${this.choice === 'time'} @change=${() => (this.choice = 'time')} /> at
              <input
                type="time"
                aria-label="Back at (time)"
                .value=${this.time}
                @input=${(e: InputEvent) => ((this.time = (e.target as HTMLInputElement).value), (this.choice = 'time'))}
            /></label>
          </div>
        </fieldset>
        <p class="hint">The customer sees the note and <span class="back">${until ? `back by ${clock(until)}` : 'the time you choose'}</span>; you get a reminder if the time passes.</p>
        ${errorLine(this.error)}
        <div class="actions">
          <button class="btn" type="button" @click=${() => this.close()}>Cancel</button>
          <button class="btn primary" type="submit" ?disabled=${this.busy}>${this.busy ? 'Holding…' : 'Put on hold'}</button>
        </div>
      </form>
    </dialog>`;
  }
}

/** Register <sb-hold-dialog> once. */
export function defineSbHoldDialog(): void {
  if (!customElements.get('sb-hold-dialog')) customElements.define('sb-hold-dialog', SbHoldDialog);
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-hold-dialog': SbHoldDialog;
  }
}
