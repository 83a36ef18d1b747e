export * from './applications.ts';
export * from './audit.ts';
export * from './billing.ts';
export * from './cvs.ts';
export * from './identity.ts';
export * from './jobs.ts';
export * from './users.ts';
