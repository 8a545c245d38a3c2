import { css } from 'lit';
import { base } from '../shared/base.styles';

/** The supervisor view: numbers on top, agents and the lists that need a supervisor below. */
export const styles = [
  base,
  css`
    :host {
      display: block;
      min-height: 0;
      overflow-y: auto;
      padding: 16px 20px;
      background: var(--sb-bg, #f4f5f7);
    }
    .stats {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(150px, 1fr));
      gap: 10px;
      margin: 0 0 16px;
    }
    .stat {
      padding: 10px 12px;
      border: 1px solid var(--sb-border, #d0d7de);
      border-radius: 8px;
      background: var(--sb-surface, #fff);
    }
    .stat dt {
      font-size: 12px;
      color: var(--sb-muted, #57606a);
    }
    .stat dd {
      margin: 0;
      font-size: 22px;
      font-weight: 700;
      font-variant-numeric: tabular-nums;
    }
    .stat dd.note {
      font-size: 12px;
      font-weight: 400;
      color: var(--sb-muted, #57606a);
    }
    .stat.alert dd {
      color: var(--sb-bad, #b3261e);
    }
    .grid {
      display: grid;
      grid-template-columns: 1fr 1fr;
      gap: 16px;
    }
    section {
      padding: 12px 14px;
      border: 1px solid var(--sb-border, #d0d7de);
      border-radius: 8px;
      background: var(--sb-surface, #fff);
    }
    section.wide {
      grid-column: 1 / -1;
    }
    h2 {
      margin: 0 0 8px;
      font-size: 15px;
    }
    table {
      width: 100%;
      border-collapse: collapse;
    }
    th,
    td {
      padding: 5px 6px;
      text-align: left;
      border-bottom: 1px solid var(--sb-border-soft, #eaeef2);
    }
    th {
      font-size: 12px;
      font-weight: 600;
      color: var(--sb-muted, #57606a);
    }
    tbody th {
      font-size: inherit;
      color: inherit;
    }
    th.num,
    td.num {
      text-align: right;
      font-variant-numeric: tabular-nums;
    }
    td.alert {
      color: var(--sb-bad, #b3261e);
      font-weight: 700;
    }
    .bar {
      display: inline-block;
      width: 80px;
      height: 8px;
      margin-right: 6px;
      border-radius: 4px;
      background: #eaeef2;
      overflow: hidden;
      vertical-align: middle;
    }
    .bar span {
      display: block;
      height: 100%;
      background: var(--sb-accent, #0b5fff);
    }
    .bar.full span {
      background: #cf222e;
    }
    .presence-online {
      background: #dafbe1;
      color: #0f4d22;
    }
    .presence-away {
      background: #fff1c2;
      color: #6b4700;
    }
    .presence-offline {
      background: #eaeef2;
      color: #24292f;
    }
    ul {
      margin: 0;
      padding: 0;
      list-style: none;
    }
    li {
      display: flex;
      align-items: center;
      gap: 8px;
      padding: 6px 0;
      border-bottom: 1px solid var(--sb-border-soft, #eaeef2);
    }
    .what {
      flex: 1;
      min-width: 0;
    }
    .what .why {
      display: block;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      color: var(--sb-muted, #57606a);
      font-size: 13px;
    }
    .head {
      display: flex;
      align-items: center;
      gap: 10px;
      margin-bottom: 12px;
    }
    .head h1 {
      margin: 0;
      font-size: 18px;
    }
  `,
];
