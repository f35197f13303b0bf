export * from './archive-error';
export * from './archive-key';
export * from './archive-location';
export * from './archive-store';
export * from './disk-archive-store';
export type { S3ArchiveOptions, S3ArchiveStore } from './s3-archive-store';
export * from './open-archive';
export * from './retention';
