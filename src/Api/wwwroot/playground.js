// The playground: runs both variants of a task on one photograph and compares each result with the input.
// Plain script, no dependencies: it talks to the same /v1 endpoints as every other client.
"use strict";

const VARIANTS = ["baseline", "lightweight"];
const SAMPLES = {
  "denoise": [{ name: "noisy.png" }, { name: "noisy.jpg" }],
  "super-resolve": [{ name: "small.png" }],
  "inpaint": [{ name: "photo.png", mask: "mask.png" }, { name: "photo-with-alpha.png" }],
};

const $ = (selector, root = document) => root.querySelector(selector);
const state = { image: null, models: [] };

async function loadModels() {
  const response = await fetch("/v1/models");
  state.models = response.ok ? await response.json() : [];
}

/** The precisions the task's ready models are served in; a variant without the one chosen runs in fp32. */
function fillPrecisions() {
  const task = $("#task").value;
  const offered = new Set(state.models.filter(m => m.card?.task === task && m.availability === "ready").map(m => m.precision));
  const chosen = $("#precision").value;
  $("#precision").replaceChildren(...["fp32", "int8"].filter(p => offered.has(p) || p === "fp32").map(p => new Option(p, p)));
  if (offered.has(chosen)) $("#precision").value = chosen;
}

function precisionFor(task, variant) {
  const chosen = $("#precision").value;
  const served = state.models.some(m => m.card?.task === task && m.card.variant === variant && m.precision === chosen && m.availability === "ready");
  return served ? chosen : "fp32";
}

function fillSamples() {
  const task = $("#task").value;
  fillPrecisions();
  $("#sample").replaceChildren(...SAMPLES[task].map(sample => new Option(sample.name, sample.name)));
  $("#mask-tools").hidden = task !== "inpaint";
  return loadSample();
}

async function loadSample() {
  const sample = SAMPLES[$("#task").value].find(s => s.name === $("#sample").value);
  const image = await (await fetch(`/samples/${sample.name}`)).blob();
  const mask = sample.mask ? await (await fetch(`/samples/${sample.mask}`)).blob() : null;
  await showInput(image, mask);
  $("#input").dataset.sample = sample.name;
}

/** Shows the image and prepares the mask canvas at its natural size, painted from a mask file where one is given. */
async function showInput(image, maskFile) {
  state.image = image;
  const input = $("#input");
  input.src = URL.createObjectURL(image);
  await input.decode();
  $("#input-size").textContent = `${input.naturalWidth} × ${input.naturalHeight} px, ${(image.size / 1024).toFixed(0)} KB`;
  const canvas = $("#mask");
  canvas.width = input.naturalWidth;
  canvas.height = input.naturalHeight;
  canvas.hidden = $("#task").value !== "inpaint";
  const context = canvas.getContext("2d");
  context.clearRect(0, 0, canvas.width, canvas.height);
  if (maskFile) {
    // the file is white on black; the canvas keeps only the white, tinted, so the photograph shows through
    const bitmap = await createImageBitmap(maskFile);
    const scratch = new OffscreenCanvas(canvas.width, canvas.height);
    const scratchContext = scratch.getContext("2d");
    scratchContext.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const pixels = scratchContext.getImageData(0, 0, canvas.width, canvas.height);
    for (let i = 0; i < pixels.data.length; i += 4) {
      const hole = pixels.data[i] > 127;
      pixels.data.set(hole ? [255, 0, 80, 255] : [0, 0, 0, 0], i);
    }
    context.putImageData(pixels, 0, 0);
  }
}

function paintable(canvas) {
  let painting = false;
  const paint = event => {
    if (!painting) return;
    const box = canvas.getBoundingClientRect();
    const x = (event.clientX - box.left) * canvas.width / box.width;
    const y = (event.clientY - box.top) * canvas.height / box.height;
    const radius = Number($("#brush").value) * canvas.width / box.width / 2;
    const context = canvas.getContext("2d");
    context.fillStyle = "rgb(255, 0, 80)";
    context.beginPath();
    context.arc(x, y, radius, 0, 2 * Math.PI);
    context.fill();
  };
  canvas.addEventListener("pointerdown", event => { painting = true; canvas.setPointerCapture(event.pointerId); paint(event); });
  canvas.addEventListener("pointermove", paint);
  canvas.addEventListener("pointerup", () => { painting = false; });
}

/** The painted mask as the API takes it: a PNG of the image's size, white where painted; null when nothing is. */
async function maskPng() {
  const canvas = $("#mask");
  const painted = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  const out = new OffscreenCanvas(canvas.width, canvas.height);
  const context = out.getContext("2d");
  const pixels = context.createImageData(canvas.width, canvas.height);
  let any = false;
  for (let i = 0; i < painted.length; i += 4) {
    const hole = painted[i + 3] > 0;
    any ||= hole;
    pixels.data.set(hole ? [255, 255, 255, 255] : [0, 0, 0, 255], i);
  }
  context.putImageData(pixels, 0, 0);
  return any ? await out.convertToBlob({ type: "image/png" }) : null;
}

/** The input with the painted hole over it, as the comparisons show it for inpainting. */
async function inputWithHole() {
  const input = $("#input");
  const canvas = new OffscreenCanvas(input.naturalWidth, input.naturalHeight);
  const context = canvas.getContext("2d");
  context.drawImage(input, 0, 0);
  context.drawImage($("#mask"), 0, 0);
  return URL.createObjectURL(await canvas.convertToBlob({ type: "image/png" }));
}

function fact(list, term, value) {
  const dt = document.createElement("dt");
  const dd = document.createElement("dd");
  dt.textContent = term;
  dd.textContent = value;
  list.append(dt, dd);
}

function describeModel(list, modelId, precision) {
  const card = state.models.find(model => model.id === modelId)?.card;
  if (!card) return;
  fact(list, "network", card.network);
  fact(list, "parameters", card.parameters.toLocaleString("en"));
  for (const quality of card.quality) {
    fact(list, quality.condition, `${quality.value.toFixed(2)} (${quality.reference}: ${quality.referenceValue.toFixed(2)})`);
  }
  const other = card.precisions.find(p => p.precision === precision);
  for (const [score, values] of Object.entries(other?.validation ?? {})) {
    fact(list, `${precision} ${score}`, `${values.int8.toFixed(2)} (fp32: ${values.fp32.toFixed(2)})`);
  }
}

function uploadForm(mask) {
  const form = new FormData();
  form.append("image", state.image, "image");
  if (mask) form.append("mask", mask, "mask.png");
  return form;
}

async function problemText(response) {
  const problem = await response.json().catch(() => ({}));
  return `${response.status} ${problem.code ?? ""}: ${problem.detail ?? problem.title ?? ""}`;
}

/** The synchronous endpoint's answer: the image and what its headers say. */
async function restoreNow(task, variant, precision, mask) {
  const response = await fetch(`/v1/${task}?variant=${variant}&precision=${precision}`, { method: "POST", body: uploadForm(mask) });
  if (response.status === 413) {
    const problem = await response.clone().json().catch(() => ({}));
    if (problem.detail?.includes("/v1/jobs/")) return { tooLarge: true };
  }
  if (!response.ok) return { problem: await problemText(response) };
  return {
    image: await response.blob(),
    model: response.headers.get("X-Model-Id"),
    precision: response.headers.get("X-Model-Precision"),
    provider: response.headers.get("X-Execution-Provider"),
    timing: response.headers.get("Server-Timing"),
  };
}

/** The same through the job API, for an image larger than the service restores while a client waits. */
async function restoreAsJob(task, variant, precision, mask, progress) {
  const created = await fetch(`/v1/jobs/${task}?variant=${variant}&precision=${precision}`, { method: "POST", body: uploadForm(mask) });
  if (!created.ok) return { problem: await problemText(created) };
  const location = created.headers.get("Location");
  let status = await created.json();
  while (status.state === "queued" || status.state === "running") {
    const eta = status.etaSeconds == null ? "" : `, about ${Math.ceil(status.etaSeconds)} s left`;
    progress.textContent = `as a job, ${status.state}: ${status.tilesDone} of ${status.tilesTotal} tiles${eta}`;
    await new Promise(resolve => setTimeout(resolve, 500));
    status = await (await fetch(location)).json();
  }
  const result = await fetch(`${location}/result`);
  const outcome = result.ok
    ? { image: await result.blob(), model: status.modelId, precision: status.precision, provider: "(job)", timing: `job of ${status.tilesTotal} tiles` }
    : { problem: await problemText(result) };
  await fetch(location, { method: "DELETE" });
  return outcome;
}

async function runVariant(task, variant, mask, inputView, view) {
  const started = performance.now();
  const precision = precisionFor(task, variant);
  let outcome = await restoreNow(task, variant, precision, mask);
  if (outcome.tooLarge) outcome = await restoreAsJob(task, variant, precision, mask, $(".progress", view));
  $(".progress", view).textContent = "";
  if (outcome.problem) {
    $(".problem", view).hidden = false;
    $(".problem", view).textContent = outcome.problem;
    view.dataset.state = "failed";
    return;
  }
  const after = $(".after", view);
  const before = $(".before", view);
  after.src = URL.createObjectURL(outcome.image);
  before.src = inputView;
  await Promise.all([after.decode(), before.decode()]);
  // the input is shown at the output's size, so that a 4x enlargement is compared with its own input
  before.width = after.naturalWidth;
  before.height = after.naturalHeight;
  fitClip(view);
  const facts = $(".facts", view);
  fact(facts, "model", outcome.model);
  const chosen = $("#precision").value;
  fact(facts, "precision", outcome.precision === chosen ? outcome.precision : `${outcome.precision} (this variant is not served in ${chosen})`);
  fact(facts, "provider", outcome.provider);
  fact(facts, "round trip", `${(performance.now() - started).toFixed(0)} ms`);
  fact(facts, "Server-Timing", outcome.timing);
  fact(facts, "output", `${after.naturalWidth} × ${after.naturalHeight} px`);
  describeModel(facts, outcome.model, outcome.precision);
  view.dataset.state = "done";
}

/** Keeps the clipped result exactly over the input, whatever width the page gives the comparison. */
function fitClip(view) {
  const width = $(".before", view).getBoundingClientRect().width;
  $(".after", view).style.width = `${width}px`;
  $(".after-clip", view).style.width = `${$(".split", view).value}%`;
}

async function run(event) {
  event.preventDefault();
  const task = $("#task").value;
  const results = $("#results");
  results.replaceChildren();
  const mask = task === "inpaint" ? await maskPng() : null;
  const inputView = task === "inpaint" ? await inputWithHole() : $("#input").src;
  await Promise.all(VARIANTS.map(variant => {
    const view = $("#result-template").content.firstElementChild.cloneNode(true);
    view.dataset.variant = variant;
    view.dataset.task = task;
    $(".variant", view).textContent = variant;
    $(".split", view).addEventListener("input", () => fitClip(view));
    results.append(view);
    return runVariant(task, variant, mask, inputView, view);
  }));
}

window.addEventListener("DOMContentLoaded", async () => {
  paintable($("#mask"));
  $("#task").addEventListener("change", fillSamples);
  $("#sample").addEventListener("change", loadSample);
  $("#upload").addEventListener("change", async event => {
    if (!event.target.files[0]) return;
    await showInput(event.target.files[0], null);
    $("#input").dataset.sample = event.target.files[0].name;
  });
  $("#clear-mask").addEventListener("click", () => { const c = $("#mask"); c.getContext("2d").clearRect(0, 0, c.width, c.height); });
  $("#controls").addEventListener("submit", run);
  window.addEventListener("resize", () => document.querySelectorAll(".result").forEach(fitClip));
  await loadModels();
  await fillSamples();
  document.body.dataset.ready = "true";
});
