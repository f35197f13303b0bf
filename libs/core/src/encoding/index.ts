export * from './base64';
