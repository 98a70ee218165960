import { projectConfig } from '../../vitest.shared.mjs';

export default projectConfig('persistence', { globalSetup: ['test/global-setup.ts'] });
