import { css } from 'lit';
import { base } from '../shared/base.styles';

/**
 * The app shell: top bar, then three columns (queue, open conversations, contact). Sized for a
 * 1280×800 screen first. The `--sb-*` custom properties set here theme every component below.
 */
export const styles = [
  base,
  css`
    :host {
      --sb-bg: #f4f5f7;
      --sb-surface: #fff;
      --sb-text: #1b1f24;
      --sb-muted: #57606a;
      --sb-border: #d0d7de;
      --sb-border-soft: #eaeef2;
      --sb-border-strong: #8c959f;
      --sb-accent: #0b5fff;
      --sb-accent-strong: #0a4fd6;
      --sb-accent-text: #0a4fd6;
      --sb-on-accent: #fff;
      --sb-hover: #f3f5f8;
      --sb-focus: #0b5fff;
      display: flex;
      flex-direction: column;
      height: 100vh;
      background: var(--sb-bg);
    }
    .top {
      display: flex;
      align-items: center;
      gap: 14px;
      height: 48px;
      flex: none;
      padding: 0 14px;
      background: #1b1f24;
      color: #fff;
    }
    .logo {
      margin: 0;
      font-size: 16px;
      font-weight: 800;
      letter-spacing: 0.01em;
    }
    .views {
      display: flex;
      gap: 2px;
    }
    .top button {
      border-color: #57606a;
      background: #2d333b;
      color: #fff;
    }
    .top button:hover:not(:disabled) {
      background: #3a414a;
    }
    .top :focus-visible {
      outline-color: #8ab4ff;
    }
    .top .views button[aria-current='page'],
    .top .views button[aria-current='page']:hover {
      background: #fff;
      color: #1b1f24;
    }
    .spacer {
      flex: 1;
    }
    .link {
      font-size: 12.5px;
      color: #ffd866;
      font-weight: 600;
    }
    .presence {
      display: inline-flex;
      border-radius: 6px;
      overflow: hidden;
      border: 1px solid #57606a;
    }
    .presence button {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      padding: 4px 10px;
      border: 0;
      border-radius: 0;
      font-weight: 600;
    }
    .presence button[aria-pressed='true'] {
      background: #fff;
      color: #1b1f24;
    }
    .dot {
      width: 9px;
      height: 9px;
      border-radius: 50%;
      border: 1px solid #fff;
    }
    .dot.online {
      background: #2da44e;
    }
    .dot.away {
      background: #d4a72c;
    }
    [aria-pressed='true'] .dot {
      border-color: #1b1f24;
    }
    .me {
      display: flex;
      flex-direction: column;
      line-height: 1.15;
      font-size: 13px;
      text-align: right;
    }
    .me .role {
      color: #c9d1d9;
      font-size: 11.5px;
      text-transform: capitalize;
    }
    .columns {
      flex: 1;
      min-height: 0;
      display: grid;
      grid-template-columns: 340px minmax(0, 1fr) 280px;
    }
    .work {
      display: flex;
      flex-direction: column;
      min-height: 0;
      min-width: 0;
    }
    .tabs {
      display: flex;
      flex: none;
      gap: 2px;
      margin: 0;
      padding: 6px 8px 0;
      list-style: none;
      overflow-x: auto;
      background: var(--sb-bg);
      border-bottom: 1px solid var(--sb-border);
    }
    .tabs li {
      display: flex;
      align-items: stretch;
      flex: none;
      max-width: 220px;
      border: 1px solid var(--sb-border);
      border-bottom: 0;
      border-radius: 6px 6px 0 0;
      background: #e6e9ed;
    }
    .tabs li.active {
      background: var(--sb-surface);
      margin-bottom: -1px;
      border-top: 3px solid var(--sb-accent);
    }
    .tabs button {
      border: 0;
      background: none;
      padding: 5px 8px;
      font-size: 13px;
    }
    .tabs .label {
      display: flex;
      align-items: center;
      gap: 6px;
      min-width: 0;
      overflow: hidden;
      white-space: nowrap;
      text-overflow: ellipsis;
    }
    .tabs .label span {
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .tabs .close {
      padding: 2px 8px;
      color: var(--sb-muted);
      font-size: 15px;
    }
    .tabs .close:hover {
      color: var(--sb-text);
    }
    .unread {
      min-width: 18px;
      padding: 0 5px;
      border-radius: 999px;
      background: #cf222e;
      color: #fff;
      font-size: 11px;
      font-weight: 700;
      text-align: center;
    }
    sb-conversation {
      flex: 1;
    }
    .empty {
      display: grid;
      place-content: center;
      gap: 8px;
      flex: 1;
      text-align: center;
      background: var(--sb-surface);
    }
    .empty p {
      margin: 0;
    }
    .booting {
      display: grid;
      place-items: center;
      height: 100vh;
    }
    /* The supervisor's view needs the width: it takes the conversation and contact columns. */
    .columns.wide {
      grid-template-columns: 340px minmax(0, 1fr);
    }
    sb-supervisor {
      min-width: 0;
    }
  `,
];
