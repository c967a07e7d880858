export * from './boxes';
export * from './pr-curve';
