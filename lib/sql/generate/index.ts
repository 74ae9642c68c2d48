export * from './batch';
export * from './format';
export * from './initialise';
export * from './log-shipping';
export * from './preflight';
export * from './stages';
export * from './teardown';
export * from './verify';
