import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppPage } from './harness.ts';

describe('the app loads', () => {
  let app: AppPage;
  beforeAll(async () => {
    app = await openApp('/');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('shows the title with no console errors', async () => {
    await app.page.getByRole('heading', { name: 'Attention Lab' }).waitFor();
    await app.shot('smoke');
    expect(app.consoleErrors).toEqual([]);
  });
});
