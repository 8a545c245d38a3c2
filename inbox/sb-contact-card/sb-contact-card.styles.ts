import { css } from 'lit';
import { base } from '../shared/base.styles';

/** The contact column: who, how we know them, attributes, and every earlier conversation. */
export const styles = [
  base,
  css`
    :host {
      display: block;
      min-height: 0;
      overflow-y: auto;
      background: var(--sb-surface, #fff);
      border-left: 1px solid var(--sb-border, #d0d7de);
    }
    section {
      padding: 12px 14px;
      border-bottom: 1px solid var(--sb-border-soft, #eaeef2);
    }
    h2 {
      margin: 0 0 2px;
      font-size: 16px;
      overflow-wrap: anywhere;
    }
    h3 {
      margin: 0 0 6px;
      font-size: 12px;
      text-transform: uppercase;
      letter-spacing: 0.04em;
      color: var(--sb-muted, #57606a);
    }
    p {
      margin: 0;
    }
    ul {
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .ids li {
      display: flex;
      gap: 6px;
      align-items: baseline;
      padding: 2px 0;
      overflow-wrap: anywhere;
    }
    table {
      width: 100%;
      border-collapse: collapse;
      font-size: 13px;
    }
    th,
    td {
      padding: 3px 0;
      text-align: left;
      vertical-align: top;
      border-bottom: 1px solid var(--sb-border-soft, #eaeef2);
      overflow-wrap: anywhere;
    }
    th {
      /* Keys are identifiers: never broken mid-word; the column takes what the longest needs. */
      overflow-wrap: normal;
      white-space: nowrap;
      padding-right: 10px;
      font-weight: 500;
      color: var(--sb-muted, #57606a);
    }
    .convs li + li {
      margin-top: 4px;
    }
    .conv {
      display: grid;
      grid-template-columns: auto 1fr auto;
      gap: 0 6px;
      width: 100%;
      padding: 6px 8px;
      border: 1px solid var(--sb-border-soft, #e1e5ea);
      border-radius: 6px;
      background: none;
      text-align: left;
      font-size: 13px;
    }
    .conv:hover {
      background: var(--sb-hover, #f3f5f8);
    }
    .conv[aria-current='true'] {
      border-color: var(--sb-accent, #0b5fff);
      background: #e8f0ff;
    }
    .conv .num {
      font-weight: 700;
    }
    .conv .rating-comment {
      grid-column: 1 / -1;
      font-style: italic;
      overflow-wrap: anywhere;
    }
    .conv .last {
      grid-column: 1 / -1;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      color: var(--sb-muted, #57606a);
    }
    .empty {
      padding: 24px 14px;
    }
  `,
];
