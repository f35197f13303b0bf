export * from './pack-build-thread';
