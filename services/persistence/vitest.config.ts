import { projectConfig } from '../../vitest.shared';

export default projectConfig('persistence', { globalSetup: ['test/global-setup.ts'] });
