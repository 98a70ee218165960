export const LIB_NAME = 'audio';
