/** The transport-level names used by the Electron preload/main and the host bridge (tiny on purpose: the sandboxed preload imports only this). */
export const IPC_INVOKE = 'opsdesk:invoke';
export const IPC_EVENT = 'opsdesk:event';
