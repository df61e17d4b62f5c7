import { initBackend } from '../backend.ts';
console.log('got', await initBackend('webgl'));
