/** The wire contract shared by worker, widget and inbox. Imports nothing from a runtime. */
export * from './errors';
export * from './model';
export * from './frames';
export * from './api';
export * from './agent-api';
export * from './inbox';
export * from './queue';
export * from './teams';
export * from './search';
export * from './topics';
export * from './macros';
export * from './system-lines';
export * from './sla';
export * from './complaints';
export * from './mail';
export * from './mail-settings';
export * from './documents';
