import { css } from 'lit';
import { base } from '../shared/base.styles';

/** The conversation column: header and actions on top, the thread filling the middle, composer below. */
export const styles = [
  base,
  css`
    :host {
      display: flex;
      flex-direction: column;
      min-height: 0;
      min-width: 0;
      background: var(--sb-surface, #fff);
    }
    header {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 6px 10px;
      padding: 10px 14px 6px;
    }
    h2 {
      margin: 0;
      font-size: 17px;
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
      max-width: 100%;
    }
    .num {
      color: var(--sb-muted, #57606a);
      font-variant-numeric: tabular-nums;
    }
    .facts {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 6px;
      font-size: 13px;
    }
    .brand {
      font-weight: 600;
    }
    .link {
      margin-left: auto;
      font-size: 12.5px;
      font-weight: 600;
      color: #6b4700;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 6px;
      padding: 4px 14px 10px;
      border-bottom: 1px solid var(--sb-border, #d0d7de);
    }
    .yours {
      padding: 4px 8px;
      font-weight: 600;
      color: #0f4d22;
    }
    .actions label {
      display: inline-flex;
      align-items: center;
      gap: 4px;
      margin-left: auto;
      font-size: 13px;
    }
    select {
      padding: 3px 6px;
      border: 1px solid var(--sb-border-strong, #8c959f);
      border-radius: 6px;
      background: var(--sb-surface, #fff);
    }
    .banner {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
      margin: 0;
      padding: 7px 14px;
      font-size: 13px;
      border-bottom: 1px solid var(--sb-border, #d0d7de);
    }
    .banner.hold {
      background: #fff8c5;
      color: #4d3800;
    }
    .banner.hold.is-overdue {
      background: #ffebe9;
      color: #86181d;
    }
    .banner.csat {
      background: #eef6ff;
      color: #0a3069;
    }
    /* A 2000-character comment wraps instead of widening the column. */
    .banner.csat .comment {
      overflow-wrap: anywhere;
    }
    .banner.escalation {
      background: #fbefff;
      color: #3b1d73;
    }
    .error {
      margin: 8px 14px 0;
    }
    sb-thread {
      flex: 1;
    }
    .presence {
      display: flex;
      gap: 12px;
      min-height: 24px;
      margin: 0;
      padding: 3px 14px;
      font-size: 12.5px;
      background: var(--sb-bg, #f4f5f7);
      color: var(--sb-muted, #57606a);
    }
    .typing {
      font-style: italic;
    }
  `,
];
