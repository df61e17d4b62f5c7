// What every slice of the store is given: zustand's set/get and the document's undo history.
import type { StoreApi } from 'zustand';
import type { History } from '../history.ts';
import type { StoreState } from '../store.ts';

export interface SliceContext {
  set: StoreApi<StoreState>['setState'];
  get: () => StoreState;
  history: History;
}
