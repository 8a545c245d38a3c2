import { css } from 'lit';
import { base } from '../shared/base.styles';

/** The request form opens under its button, over the thread. */
export const styles = [
  base,
  css`
    :host { position: relative; display: inline-block; }
    form { position: absolute; z-index: 5; top: 100%; right: 0; margin-top: 4px; width: 300px; display: flex; flex-direction: column; gap: 8px; padding: 12px;
      background: var(--sb-surface, #fff); border: 1px solid var(--sb-border, #aab4be); border-radius: 8px; box-shadow: 0 6px 24px rgb(0 0 0 / 0.15); }
    label { display: flex; flex-direction: column; gap: 2px; font-size: 13px; }
    label.check { flex-direction: row; align-items: center; gap: 6px; }
    .row { display: flex; gap: 8px; justify-content: flex-end; }
  `,
];
