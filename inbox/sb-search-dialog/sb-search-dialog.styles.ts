import { css } from 'lit';
import { base } from '../shared/base.styles';
import { dialogStyles } from '../shared/dialog.styles';

/** Ctrl+K: a search field over a list of hits, the highlighted words marked. */
export const styles = [
  base,
  dialogStyles,
  css`
    dialog {
      width: min(640px, calc(100vw - 32px));
      margin-top: 10vh;
    }
    .body {
      padding: 14px 16px 16px;
    }
    input[type='search'] {
      width: 100%;
      font-size: 16px;
      padding: 8px 10px;
    }
    ol {
      list-style: none;
      margin: 10px 0 0;
      padding: 0;
      max-height: 60vh;
      overflow: auto;
    }
    li button {
      display: grid;
      grid-template-columns: auto auto 1fr;
      gap: 8px;
      width: 100%;
      text-align: left;
      padding: 6px 8px;
      border: 0;
      border-radius: 6px;
      background: none;
      font: inherit;
      color: inherit;
      cursor: pointer;
      overflow-wrap: anywhere;
    }
    li button[aria-selected='true'],
    li button:hover {
      background: var(--sb-hover, #eef2f7);
    }
    .number {
      font-weight: 600;
    }
    .kind {
      color: var(--sb-muted, #57606a);
      font-size: 12px;
      text-transform: uppercase;
    }
    mark {
      background: var(--sb-highlight, #fff3b0);
      color: inherit;
    }
    .status {
      margin: 10px 0 0;
      color: var(--sb-muted, #57606a);
    }
  `,
];
