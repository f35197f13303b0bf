export * from './producer-key-id';
export * from './receipt-event-check';
export * from './verify-receipt-file';
