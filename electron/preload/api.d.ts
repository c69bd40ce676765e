// The renderer's view of the bridge, typed from the same contract the core implements.
import type { OpsdeskApi } from '../../shared/ipc';

declare global {
  interface Window {
    opsdesk: OpsdeskApi;
  }
}

export {};
