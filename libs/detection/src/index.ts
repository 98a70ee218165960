export const LIB_NAME = 'detection';
