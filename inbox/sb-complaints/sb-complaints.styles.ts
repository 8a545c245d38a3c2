import { css } from 'lit';
import { base } from '../shared/base.styles';

/** What the register and its detail pane share: panels, filters, rows, the field list. */
const shared = css`
    .list,
    .detail {
      min-height: 0;
      overflow-y: auto;
      border: 1px solid var(--sb-border, #d0d7de);
      border-radius: 8px;
      background: var(--sb-surface, #fff);
      padding: 12px;
    }
    h2,
    h3 {
      margin: 0 0 8px;
      font-size: 16px;
    }
    .filters {
      display: flex;
      flex-wrap: wrap;
      gap: 6px;
      margin-bottom: 10px;
    }
    .filters .btn[aria-pressed='true'] {
      background: var(--sb-accent, #0b5fff);
      border-color: var(--sb-accent, #0b5fff);
      color: var(--sb-on-accent, #fff);
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    li button.row {
      display: grid;
      grid-template-columns: auto 1fr auto;
      gap: 4px 8px;
      width: 100%;
      padding: 8px;
      border: 0;
      border-bottom: 1px solid var(--sb-border-soft, #eaeef2);
      background: none;
      text-align: left;
    }
    li button.row[aria-current='true'] {
      background: var(--sb-hover, #eef1f4);
    }
    .num {
      font-weight: 700;
      font-variant-numeric: tabular-nums;
    }
    .muted {
      color: var(--sb-muted, #57606a);
      font-size: 12px;
    }
    .tag {
      display: inline-block;
      padding: 0 6px;
      border-radius: 10px;
      font-size: 12px;
      background: var(--sb-hover, #eef1f4);
    }
    .tag.overdue {
      background: #ffebe9;
      color: #a40e26;
    }
    .tag.answered {
      background: #dafbe1;
      color: #116329;
    }
    dl {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 4px 12px;
      margin: 0 0 12px;
    }
    dt {
      font-weight: 600;
    }
    dd {
      margin: 0;
      white-space: pre-wrap;
    }
    textarea {
      width: 100%;
      min-height: 140px;
      padding: 8px;
      border: 1px solid var(--sb-border-strong, #8c959f);
      border-radius: 6px;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      margin: 8px 0 12px;
    }
  `;

/** The complaint register: filters and the list on the left, the chosen complaint on the right. */
export const styles = [
  base,
  shared,
  css`
    :host {
      display: grid;
      grid-template-columns: minmax(320px, 1fr) minmax(360px, 1.2fr);
      gap: 16px;
      min-height: 0;
      overflow: hidden;
      padding: 16px 20px;
      background: var(--sb-bg, #f4f5f7);
    }
  `,
];

/** The chosen complaint: one panel filling the register's second column; long hashes wrap. */
export const detailStyles = [
  base,
  shared,
  css`
    :host {
      display: block;
      min-width: 0;
      min-height: 0;
      overflow: hidden;
    }
    .detail {
      box-sizing: border-box;
      height: 100%;
    }
    code {
      overflow-wrap: anywhere;
    }
  `,
];
