// The layer rules of eslint.config.js, held to deliberate violations: each source below sits at a path in a
// layer and reaches a layer above it in one of the ways a file can (import/export … from, import(), new URL(…),
// new Worker(…)), and ESLint with the project's own config must name it. The allowed sources (imports down the
// layers, within a folder, through views/) must pass, so a rule that rejects everything fails here too.
import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
let eslint: ESLint;

/** The layer-rule messages ESLint gives `code` as if it were the file `file` (relative to the repository). */
async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  const unexpected = result.messages.filter((m) => m.fatal);
  if (unexpected.length) throw new Error(`${file}: ${unexpected.map((m) => m.message).join('; ')}`);
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax').map((m) => `${m.line}: ${m.message}`);
}

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

// [file, source, the message expected on each line of the source]
const VIOLATIONS: [string, string, string][] = [
  // The four gaps of issue 21.
  ['components/heads/Lazy.tsx', "export const load = () => import('../../state/store.ts');", 'components/ take props'],
  ['state/slices/late.ts', "export const load = () => import('../../compute/computeClient.ts');", 'state/ does not import'],
  ['engine/spawn.ts', "export const w = new Worker(new URL('../compute/compute.worker.ts', import.meta.url), { type: 'module' });", 'engine/ is pure'],
  ['state/spawn.ts', "export const w = new Worker('../compute/compute.worker.ts');", 'state/ does not import'],
  ['input/asset.ts', "export const u = new URL('../app/app.css', import.meta.url);", 'input/ does not import'],
  ['state/Panel.tsx', "import { Views } from '../app/Views.tsx';\nexport const V = Views;", 'state/ does not import'],
  ['compute/Status.tsx', "import { Controls } from '../input/Controls.tsx';\nexport const C = Controls;", 'compute/ does not import'],
  ['engine/View.tsx', "import { useState } from 'react';\nexport const u = useState;", 'engine/ is pure TypeScript'],
  ['widget/Shell.tsx', "import { Views } from '../app/Views.tsx';\nexport const V = Views;", 'widget/ does not import app/'],
  ['widget/reexport.ts', "export { VIEW_LABEL } from '../app/viewLabels.ts';", 'widget/ does not import app/'],
  ['widget/lazy.ts', "export const load = () => import('../app/TrainPanel.tsx');", 'widget/ does not import app/'],
  ['app/Embed.tsx', "import { applyAttributes } from '../widget/attributes.ts';\nexport const a = applyAttributes;", 'app/ does not import widget/'],
  ['app/lazy.ts', "export const load = () => import('../widget/element.tsx');", 'app/ does not import widget/'],
  // And the old rules still hold, for the new views/ layer too.
  ['views/Frame.tsx', "import { App } from '../app/App.tsx';\nexport const A = App;", 'views/ does not import the shells'],
  ['components/layers/Frame.tsx', "import { ViewBody } from '../../views/ViewBody.tsx';\nexport const V = ViewBody;", 'components/ take props'],
  ['input/Frame.tsx', "import { ViewBody } from '../views/ViewBody.tsx';\nexport const V = ViewBody;", 'input/ does not import'],
  ['engine/lazyUi.ts', "export const load = () => import('d3-scale');", 'engine/ is pure TypeScript'],
];

const ALLOWED: [string, string][] = [
  ['widget/Shell.tsx', "import { ViewBody } from '../views/ViewBody.tsx';\nexport const V = ViewBody;"],
  ['app/lazy.ts', "export const load = () => import('../views/CompareBody.tsx');"],
  ['compute/spawn.ts', "export const w = new Worker(new URL('./compute.worker.ts', import.meta.url), { type: 'module' });"],
  ['state/cell.ts', "import type { Cell } from '../components/common/types.ts';\nexport type C = Cell;"],
  ['views/Frame.tsx', "import { useStore } from '../state/store.ts';\nexport const u = useStore;"],
  ['engine/lazy.ts', "export const load = () => import('./attention.ts');"],
  ['compute/hub/x.ts', "export const load = () => import('../../engine/checkpoint/load.ts');"],
  ['app/asset.ts', "export const u = new URL('models/', 'https://example.org/');"],
];

describe('eslint.config.js rejects a layer crossed in any way', () => {
  it.each(VIOLATIONS)('%s: %s', async (file, code, message) => {
    const errors = await layerErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(message);
  });

  it.each(ALLOWED)('allows %s: %s', async (file, code) => {
    expect(await layerErrors(file, code)).toEqual([]);
  });
});
