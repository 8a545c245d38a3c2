import { css } from 'lit';
import { base } from '../shared/base.styles';

/** The thread: customer on the left, agents on the right, notes across in their own colour. */
export const styles = [
  base,
  css`
    :host {
      display: block;
      min-height: 0;
      overflow-y: auto;
      background: var(--sb-bg, #f4f5f7);
    }
    ol {
      margin: 0;
      padding: 12px 16px;
      list-style: none;
      display: flex;
      flex-direction: column;
      gap: 8px;
    }
    .day {
      align-self: center;
      font-size: 12px;
      color: var(--sb-muted, #57606a);
    }
    .line {
      align-self: center;
      display: flex;
      gap: 6px;
      max-width: 90%;
      font-size: 12px;
      color: var(--sb-muted, #57606a);
      overflow-wrap: anywhere;
    }
    .msg {
      max-width: min(78%, 680px);
      padding: 7px 11px 6px;
      border-radius: 10px;
      background: var(--sb-surface, #fff);
      border: 1px solid var(--sb-border-soft, #e1e5ea);
    }
    .msg.agent {
      align-self: flex-end;
      background: #e8f0ff;
      border-color: #c9dafc;
    }
    .msg.system {
      align-self: center;
      background: none;
      border: 0;
      color: var(--sb-muted, #57606a);
      font-size: 13px;
    }
    .msg.note {
      align-self: stretch;
      max-width: none;
      background: #fff8c5;
      border: 1px dashed #9a6700;
    }
    .msg.pending {
      align-self: flex-end;
      background: #f1f5ff;
      border-style: dashed;
    }
    .msg.pending.note-pending {
      align-self: stretch;
      max-width: none;
      background: #fffbe0;
      border-color: #9a6700;
    }
    .head {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 6px;
      margin-bottom: 2px;
      font-size: 12px;
    }
    .author {
      font-weight: 700;
      font-size: 13px;
    }
    .label {
      font-weight: 700;
      color: #6b4700;
    }
    time,
    .state {
      color: var(--sb-muted, #57606a);
    }
    .text {
      margin: 0;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    .masked {
      display: flex;
      align-items: center;
      gap: 8px;
      margin-top: 4px;
      font-size: 12px;
    }
    .revealed {
      background: #fff1c2;
      padding: 0 3px;
      border-radius: 3px;
    }
    .failed {
      color: #86181d;
      font-weight: 600;
    }
    .empty {
      padding: 32px 16px;
      text-align: center;
    }
    .upload { display: flex; gap: 8px; align-items: center; font-size: 12px; margin-top: 4px; }
  `,
];
