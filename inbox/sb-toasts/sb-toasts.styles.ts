import { css } from 'lit';
import { base } from '../shared/base.styles';

/** Toasts stack at the bottom right, above everything but dialogs. */
export const styles = [
  base,
  css`
    :host {
      position: fixed;
      /* Over the contact column, the one an agent needs least in the moment: never over the composer. */
      top: 56px;
      right: 8px;
      z-index: 50;
      width: min(340px, calc(100vw - 16px));
    }
    ol {
      display: flex;
      flex-direction: column;
      gap: 8px;
      margin: 0;
      padding: 0;
      list-style: none;
    }
    li {
      display: flex;
      align-items: flex-start;
      gap: 10px;
      padding: 10px 12px;
      border-radius: 8px;
      border: 1px solid var(--sb-border-strong, #8c959f);
      border-left-width: 5px;
      background: var(--sb-surface, #fff);
      box-shadow: 0 8px 24px rgb(0 0 0 / 0.18);
    }
    li.warn {
      border-left-color: #cf222e;
    }
    li.info {
      border-left-color: var(--sb-accent, #0b5fff);
    }
    li.escalation {
      border-left-color: #8250df;
    }
    .text {
      flex: 1;
      margin: 0;
      overflow-wrap: anywhere;
    }
    .buttons {
      display: flex;
      gap: 6px;
    }
  `,
];
