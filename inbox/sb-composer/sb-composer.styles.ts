import { css } from 'lit';
import { base } from '../shared/base.styles';

/** The composer: reply in white, note in the notes' yellow, canned replies popping up above. */
export const styles = [
  base,
  css`
    :host {
      display: block;
      position: relative;
      border-top: 1px solid var(--sb-border, #d0d7de);
      background: var(--sb-surface, #fff);
    }
    form {
      display: flex;
      flex-direction: column;
      gap: 6px;
      margin: 0;
      padding: 8px 12px 10px;
    }
    form.note {
      background: #fff8c5;
    }
    .bar {
      display: flex;
      align-items: center;
      gap: 8px;
      font-size: 12.5px;
    }
    .mode {
      display: inline-flex;
      border: 1px solid var(--sb-border-strong, #8c959f);
      border-radius: 6px;
      overflow: hidden;
    }
    .mode button {
      padding: 3px 10px;
      border: 0;
      background: var(--sb-surface, #fff);
      font-weight: 600;
    }
    .mode button + button {
      border-left: 1px solid var(--sb-border-strong, #8c959f);
    }
    .mode button[aria-pressed='true'] {
      background: var(--sb-text, #1b1f24);
      color: #fff;
    }
    .note .mode button[aria-pressed='true'] {
      background: #6b4700;
    }
    .notice {
      font-weight: 700;
      color: #6b4700;
    }
    .row {
      display: flex;
      gap: 8px;
      align-items: flex-end;
    }
    textarea {
      flex: 1;
      min-height: 56px;
      max-height: 200px;
      padding: 8px 10px;
      border: 1px solid var(--sb-border-strong, #8c959f);
      border-radius: 8px;
      background: var(--sb-surface, #fff);
      resize: vertical;
    }
    .note textarea {
      border-color: #9a6700;
    }
    .hint {
      margin-left: auto;
      white-space: nowrap;
    }
    @media (max-width: 1100px) {
      .hint {
        display: none;
      }
    }
    .warning {
      margin: 0;
      color: #86181d;
      font-size: 13px;
    }
    .canned {
      position: absolute;
      left: 12px;
      right: 12px;
      bottom: calc(100% - 4px);
      z-index: 5;
      max-height: 280px;
      overflow-y: auto;
      margin: 0;
      padding: 4px;
      list-style: none;
      border: 1px solid var(--sb-border-strong, #8c959f);
      border-radius: 8px;
      background: var(--sb-surface, #fff);
      box-shadow: 0 8px 24px rgb(0 0 0 / 0.15);
    }
    .canned li {
      display: grid;
      grid-template-columns: auto 1fr;
      gap: 0 10px;
      padding: 6px 8px;
      border-radius: 6px;
      cursor: pointer;
    }
    .canned li[aria-selected='true'] {
      background: #e8f0ff;
      outline: 2px solid var(--sb-accent, #0b5fff);
    }
    .canned code {
      font-weight: 700;
    }
    .canned .text {
      grid-column: 1 / -1;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      color: var(--sb-muted, #57606a);
      font-size: 12.5px;
    }
    .canned .status {
      grid-template-columns: 1fr;
      cursor: default;
    }
    /* What a macro does, in the list and on the armed macro's line. */
    .chip {
      display: inline-block;
      margin-left: 4px;
      padding: 0 6px;
      border: 1px solid var(--sb-border-strong, #8c959f);
      border-radius: 999px;
      font-size: 11.5px;
      font-weight: 600;
      white-space: nowrap;
    }
    .macro {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 4px 6px;
      margin: 0;
      font-size: 12.5px;
    }
    .macro .warning {
      flex-basis: 100%;
    }
    .attach { cursor: pointer; align-self: flex-end; }
    .picked { display: flex; flex-wrap: wrap; gap: 6px; margin: 4px 0 0; padding: 0; list-style: none; font-size: 13px; }
  `,
];
