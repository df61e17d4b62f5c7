import { describe, expect, it } from 'vitest';
import { HubAbortError, HubError, HubHttpError, HubReferenceError, hubErrorInfo } from './hubErrors.ts';

describe('hubErrorInfo', () => {
  it('keeps what the UI needs across postMessage', () => {
    const http = hubErrorInfo(new HubHttpError('model.safetensors', 404, 'Not Found', 'http://h/a/b/resolve/main/model.safetensors'));
    expect(http).toEqual({
      name: 'HubHttpError',
      code: 'http',
      message: 'model.safetensors: HTTP 404 Not Found from http://h/a/b/resolve/main/model.safetensors',
      file: 'model.safetensors',
      status: 404,
      reason: 'http',
      params: { file: 'model.safetensors', status: 404, statusText: ' Not Found', url: 'http://h/a/b/resolve/main/model.safetensors' },
    });
    expect(structuredClone(http)).toEqual(http);
    expect(hubErrorInfo(new HubReferenceError('ref-empty', { ref: '""' })).code).toBe('bad-reference');
    expect(hubErrorInfo(new HubAbortError('x'))).toMatchObject({ name: 'AbortError', code: 'aborted', file: 'x' });
    expect(hubErrorInfo(new DOMException('stop', 'AbortError')).code).toBe('aborted');
    expect(hubErrorInfo(new HubError('size', 'too-large', { file: 'f', bytes: 9, max: 8 }, 'f'))).toMatchObject({ file: 'f', message: 'f: 9 bytes is larger than the 8-byte limit' });
    expect(hubErrorInfo(new TypeError('boom'))).toMatchObject({ name: 'TypeError', code: 'unexpected', message: 'boom', reason: null });
    expect(hubErrorInfo('text')).toMatchObject({ code: 'unexpected', message: 'text' });
  });
});
