// The only bridge between the sandboxed renderer and the main process: exactly the typed contract
// (invoke + on), never raw ipcRenderer. Types come from shared/ipc; see api.d.ts.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { OpsdeskApi } from '../../shared/ipc';
import { IPC_EVENT, IPC_INVOKE } from '../../shared/ipc/transport';

const api: OpsdeskApi = {
  invoke: ((channel: string, payload?: unknown) => ipcRenderer.invoke(IPC_INVOKE, channel, payload)) as OpsdeskApi['invoke'],
  on: ((event: string, listener: (payload: unknown) => void) => {
    const handler = (_e: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(IPC_EVENT, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, handler);
    };
  }) as OpsdeskApi['on'],
};

contextBridge.exposeInMainWorld('opsdesk', Object.freeze(api));
