import { css } from 'lit';
import { base } from '../shared/base.styles';
import { dialogStyles } from '../shared/dialog.styles';

/** The assign dialog: a filter field over a list of agents with their status and load. */
export const styles = [
  base,
  dialogStyles,
  css`
    ul {
      display: flex;
      flex-direction: column;
      gap: 4px;
      max-height: 320px;
      overflow-y: auto;
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .agent {
      display: grid;
      grid-template-columns: 1fr auto auto;
      align-items: center;
      gap: 10px;
      width: 100%;
      padding: 7px 10px;
      border: 1px solid var(--sb-border, #d0d7de);
      border-radius: 6px;
      background: var(--sb-surface, #fff);
      text-align: left;
    }
    .agent:hover {
      background: var(--sb-hover, #f3f5f8);
    }
    .agent[aria-current='true'] {
      border-color: var(--sb-accent, #0b5fff);
      background: #e8f0ff;
    }
    .name {
      font-weight: 600;
    }
    .load {
      font-variant-numeric: tabular-nums;
    }
    .full {
      color: #86181d;
      font-weight: 600;
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
  `,
];
