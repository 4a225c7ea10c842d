// Upscale every *.png in a folder x4 with an UpscalerJS ESRGAN peer model,
// on the TensorFlow.js wasm backend in plain Node (no tfjs-node, no network).
//
//   node upscale.mjs --model esrgan-thick --in <dir> --out <dir> [--patch 64 --padding 8]
//
// See README.md for why things are wired the way they are.
import { createRequire } from 'node:module';
import { readFile, writeFile, readdir, mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';

// Everything is loaded through CommonJS `require` so that UpscalerJS, the model
// packages and this script share one instance of @tensorflow/tfjs(-core).
// (The packages' ESM builds use extension-less relative imports, which Node's
// ESM loader cannot resolve, so their CJS/UMD builds are the ones that work.)
const require = createRequire(import.meta.url);
const HERE = dirname(fileURLToPath(import.meta.url));
const NODE_MODULES = join(HERE, 'node_modules');

const MODELS = ['esrgan-thick', 'esrgan-medium', 'esrgan-slim'];
const SCALE = 4;

function fail(message) {
  console.error(`upscale.mjs: error: ${message}`);
  process.exit(1);
}

function parseCli() {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      in: { type: 'string' },
      out: { type: 'string' },
      patch: { type: 'string', default: '64' },
      padding: { type: 'string', default: '8' },
    },
    strict: true,
  });
  if (!MODELS.includes(values.model)) {
    fail(`--model must be one of ${MODELS.join(', ')} (got ${values.model ?? 'nothing'})`);
  }
  if (!values.in || !values.out) fail('both --in <dir> and --out <dir> are required');
  const patch = Number(values.patch);
  const padding = Number(values.padding);
  if (!Number.isInteger(patch) || patch <= 0) fail(`--patch must be a positive integer (got ${values.patch})`);
  if (!Number.isInteger(padding) || padding < 0 || 2 * padding >= patch) {
    fail(`--padding must be an integer >= 0 and < patch/2 (got ${values.padding})`);
  }
  return { model: values.model, inDir: values.in, outDir: values.out, patch, padding };
}

// tf.io handler that reads a layers-model (model.json + weight shards) from
// disk. In the browser UpscalerJS fetches weights from a CDN, and its Node
// entry (`upscaler/node`) relies on tfjs-node's `file://` loader; neither is
// available here, so we give UpscalerJS a ready IOHandler as the model `path`
// (it passes `path` straight to tf.loadLayersModel).
function fileModelHandler(tf, modelJsonPath) {
  return {
    load: async () => {
      const modelJson = JSON.parse(await readFile(modelJsonPath, 'utf8'));
      const dir = dirname(modelJsonPath);
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        // Same order as tfjs' own loaders: groups in manifest order, shards in order.
        const specs = [];
        const shards = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const p of group.paths) shards.push(await readFile(join(dir, p)));
        }
        const all = Buffer.concat(shards);
        return [specs, all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength)];
      });
    },
  };
}

async function setupTf() {
  const tf = require('@tensorflow/tfjs');
  const wasm = require('@tensorflow/tfjs-backend-wasm');
  // Point the wasm backend at the .wasm binaries shipped in node_modules (a
  // directory prefix, so the trailing slash matters); nothing is fetched.
  // In Node tfjs-backend-wasm never uses threads (WASM_HAS_MULTITHREAD_SUPPORT
  // is false there), so this runs on one core and results are deterministic.
  wasm.setWasmPaths(join(NODE_MODULES, '@tensorflow', 'tfjs-backend-wasm', 'dist') + '/');
  if (!(await tf.setBackend('wasm'))) fail('could not initialise the tfjs wasm backend');
  await tf.ready();
  return tf;
}

function loadPeerModel(tf, name) {
  // The CJS build of the package's x4 entry gives the model definition
  // (scale, input/output range, custom-layer setup) plus `_internals.path`,
  // the model.json location relative to the package root.
  const definition = require(`@upscalerjs/${name}/4x`);
  if (definition.scale !== SCALE) fail(`@upscalerjs/${name}/4x reports scale ${definition.scale}, expected ${SCALE}`);
  const modelJsonPath = join(NODE_MODULES, '@upscalerjs', name, definition._internals.path);
  // UpscalerJS's UMD bundle is the build that loads in Node with plain
  // @tensorflow/tfjs (it requires tfjs via CommonJS). It is not listed in the
  // package's "exports", hence the file path.
  const Upscaler = require(join(NODE_MODULES, 'upscaler', 'dist', 'browser', 'umd', 'upscaler.js'));
  return { upscaler: new Upscaler({ model: { ...definition, path: fileModelHandler(tf, modelJsonPath) } }), modelJsonPath };
}

// PNG (RGB or RGBA, 8-bit) -> float32 [h, w, 3] tensor in 0..255; alpha is dropped.
async function readPngAsTensor(tf, PNG, file) {
  const png = PNG.sync.read(await readFile(file)); // always decoded to RGBA
  const { width, height, data } = png;
  const rgb = new Float32Array(width * height * 3);
  for (let i = 0, j = 0; i < data.length; i += 4, j += 3) {
    rgb[j] = data[i];
    rgb[j + 1] = data[i + 1];
    rgb[j + 2] = data[i + 2];
  }
  return { tensor: tf.tensor3d(rgb, [height, width, 3], 'float32'), width, height };
}

async function writeRgbPng(PNG, file, values, width, height) {
  const rgb = Buffer.alloc(width * height * 3);
  for (let i = 0; i < rgb.length; i++) rgb[i] = Math.min(255, Math.max(0, Math.round(values[i])));
  // colorType 2 = 8-bit RGB without alpha, for both the data given and the file written.
  const options = { colorType: 2, inputColorType: 2, inputHasAlpha: false };
  await writeFile(file, PNG.sync.write({ width, height, data: rgb }, options));
}

async function main() {
  const opts = parseCli();
  const inStat = await stat(opts.inDir).catch(() => null);
  if (!inStat?.isDirectory()) fail(`input folder not found: ${opts.inDir}`);
  const names = (await readdir(opts.inDir)).filter((n) => n.toLowerCase().endsWith('.png')).sort();
  if (names.length === 0) fail(`no *.png files in ${opts.inDir}`);
  await mkdir(opts.outDir, { recursive: true });

  const { PNG } = require('pngjs');
  const tf = await setupTf();
  const t0 = performance.now();
  const { upscaler, modelJsonPath } = loadPeerModel(tf, opts.model);
  await upscaler.getModel(); // load weights now so the first image's time is just inference
  console.log(`model ${opts.model} x${SCALE} from ${modelJsonPath} (backend ${tf.getBackend()}) loaded in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  console.log(`patchSize ${opts.patch}, padding ${opts.padding}, ${names.length} image(s)`);

  let total = 0;
  for (const name of names) {
    const started = performance.now();
    const { tensor, width, height } = await readPngAsTensor(tf, PNG, join(opts.inDir, name)).catch((err) => {
      throw new Error(`${name}: cannot read as PNG: ${err.message}`);
    });
    const out = await upscaler.upscale(tensor, { output: 'tensor', patchSize: opts.patch, padding: opts.padding });
    tensor.dispose();
    const [oh, ow, oc] = out.shape;
    if (oh !== SCALE * height || ow !== SCALE * width || oc !== 3) {
      out.dispose();
      throw new Error(`${name}: model produced ${ow}x${oh}x${oc}, expected ${SCALE * width}x${SCALE * height}x3`);
    }
    const values = await out.data();
    out.dispose();
    await writeRgbPng(PNG, join(opts.outDir, name), values, ow, oh);
    const seconds = (performance.now() - started) / 1000;
    total += seconds;
    console.log(`${name}: ${width}x${height} -> ${ow}x${oh} in ${seconds.toFixed(2)} s`);
  }
  console.log(`done: ${names.length} image(s) in ${total.toFixed(2)} s`);
  await upscaler.dispose();
}

// Plain message by default; UPSCALE_DEBUG=1 prints the stack as well.
main().catch((err) => fail((process.env.UPSCALE_DEBUG ? err?.stack : err?.message) ?? String(err)));
