import { css } from 'lit';
import { base } from '../shared/base.styles';

/** The queue column: filter tabs on top, the scrolling list of rows below. */
export const styles = [
  base,
  css`
    :host {
      display: flex;
      flex-direction: column;
      min-height: 0;
      background: var(--sb-surface, #fff);
      border-right: 1px solid var(--sb-border, #d0d7de);
    }
    .teams {
      display: flex;
      align-items: center;
      gap: 6px;
      padding: 8px 8px 0;
      font-size: 12.5px;
      font-weight: 600;
    }
    .teams select {
      flex: 1;
      min-width: 0;
      padding: 3px 6px;
      border: 1px solid var(--sb-border, #d0d7de);
      border-radius: 6px;
      background: var(--sb-surface, #fff);
      font: inherit;
      font-weight: 500;
    }
    .filters {
      display: flex;
      flex-wrap: wrap;
      gap: 4px;
      padding: 8px;
      border-bottom: 1px solid var(--sb-border, #d0d7de);
    }
    .filters button {
      display: inline-flex;
      align-items: center;
      gap: 5px;
      padding: 3px 8px;
      border: 1px solid var(--sb-border, #d0d7de);
      border-radius: 999px;
      background: var(--sb-surface, #fff);
      font-size: 12.5px;
      font-weight: 500;
    }
    .filters button[aria-pressed='true'] {
      background: var(--sb-text, #1b1f24);
      border-color: var(--sb-text, #1b1f24);
      color: #fff;
    }
    .count {
      min-width: 18px;
      padding: 0 5px;
      border-radius: 999px;
      background: #eaeef2;
      color: #24292f;
      font-size: 11px;
      font-weight: 700;
      text-align: center;
    }
    [aria-pressed='true'] .count {
      background: #fff;
      color: #1b1f24;
    }
    .scroll {
      flex: 1;
      min-height: 0;
      overflow-y: auto;
    }
    ol {
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .row {
      display: grid;
      grid-template-columns: 1fr auto;
      gap: 2px 8px;
      width: 100%;
      padding: 8px 10px 8px 12px;
      border: 0;
      border-bottom: 1px solid var(--sb-border-soft, #eaeef2);
      border-left: 4px solid transparent;
      background: none;
      text-align: left;
    }
    .row:hover {
      background: var(--sb-hover, #f3f5f8);
    }
    .row[aria-current='true'] {
      background: #e8f0ff;
      border-left-color: var(--sb-accent, #0b5fff);
    }
    .row.sla-row-warning {
      border-left-color: #d4a72c;
    }
    .row.sla-row-breached {
      border-left-color: #cf222e;
    }
    .row[aria-current='true'].sla-row-breached,
    .row[aria-current='true'].sla-row-warning {
      border-left-color: var(--sb-accent, #0b5fff);
    }
    .who {
      display: flex;
      align-items: baseline;
      gap: 6px;
      min-width: 0;
      font-weight: 600;
    }
    .num {
      color: var(--sb-muted, #57606a);
      font-weight: 500;
      font-variant-numeric: tabular-nums;
    }
    .name {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .wait {
      font-variant-numeric: tabular-nums;
      font-size: 12.5px;
      font-weight: 600;
      text-align: right;
    }
    .last {
      grid-column: 1 / -1;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      color: var(--sb-muted, #57606a);
      font-size: 13px;
    }
    .meta {
      grid-column: 1 / -1;
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 4px;
      font-size: 12px;
    }
    /* Amber with a dark edge: set apart from the SLA colours, and readable without colour ("VIP"). */
    .vip {
      background: #fff8c5;
      color: #4d2d00;
      border-color: #9a6700;
      letter-spacing: 0.04em;
    }
    .team {
      padding: 0 6px;
      border: 1px solid var(--sb-border, #d0d7de);
      border-radius: 4px;
      background: var(--sb-bg, #f4f5f7);
      font-size: 11px;
      font-weight: 600;
      line-height: 18px;
      white-space: nowrap;
    }
    .brand {
      color: var(--sb-muted, #57606a);
      font-weight: 600;
    }
    .assignee {
      margin-left: auto;
      color: var(--sb-muted, #57606a);
    }
    .footer {
      padding: 10px;
      text-align: center;
    }
    .empty {
      padding: 24px 16px;
      text-align: center;
    }
    .error {
      margin: 8px;
    }
  `,
];
