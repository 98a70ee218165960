import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'giggles:public';

/** Marks a route that needs no session (the global SessionGuard protects every other route). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
