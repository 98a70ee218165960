export { ENCRYPTION_KEY_ENV, KeyCipher, KeyDecryptionError } from './key-cipher';
