import { css } from 'lit';
import { base } from '../shared/base.styles';

/** Tabs of open conversations, the one in front joined to the thread below. */
export const styles = [
  base,
  css`
    :host {
      display: block;
      flex: none;
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
  `,
];
