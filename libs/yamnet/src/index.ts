export const LIB_NAME = 'yamnet';
