/** Injection tokens: services depend on ports (interfaces), adapters implement them. */
export const GATEWAY_SETTINGS = Symbol('GATEWAY_SETTINGS');
export const LOGGER = Symbol('LOGGER');
