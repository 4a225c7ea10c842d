// The playground in a real browser: for denoising, inpainting with the sample's mask (both through the job API, which
// `run` makes them too large for) and super-resolution (in int8, which only the baseline is served in), it runs both
// variants and checks that each answers an image that differs from the input, in the precision it should, with its
// Server-Timing shown; then that Swagger UI renders its operations; and that
// neither page raised an error (a Content-Security-Policy violation is one). Screenshots go to the results folder.
//
//   node playground.mjs <service url> <results folder>
import { mkdirSync } from "node:fs";
import puppeteer from "puppeteer-core";

const [base, results] = process.argv.slice(2);
const RUN_TIMEOUT_MS = 180_000;
const LEAST_MEAN_DIFFERENCE = 0.5; // in 8-bit levels: a restoration changes the photograph, an echo does not
// [task, sample, whether the page must have taken the job API, precision chosen]
const CASES = [["denoise", "noisy.png", true, "fp32"], ["inpaint", "photo.png", true, "fp32"], ["super-resolve", "small.png", false, "int8"]];
const INT8_VARIANTS = { "super-resolve": ["baseline"] }; // the others fall back to fp32 and say so

mkdirSync(results, { recursive: true });
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  // root in CI needs no sandbox; the closed network refuses what chromium would fetch in the background
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const failures = [];
try {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", error => errors.push(error.message));
  // The API's own 4xx (a 413 that sends an image to the job API) are answers, not faults; a missing asset is one.
  page.on("console", message => message.type() === "error" && !message.text().startsWith("Failed to load resource")
    && errors.push(message.text()));
  page.on("response", response => response.status() >= 400 && !new URL(response.url()).pathname.startsWith("/v1/")
    && errors.push(`${response.status()} for ${response.url()}`));
  await page.setViewport({ width: 1400, height: 1200 });
  await page.goto(`${base}/`, { waitUntil: "load" });
  await page.waitForSelector("body[data-ready=true]");

  for (const [task, sample, asJob, precision] of CASES) {
    await page.select("#task", task);
    await page.waitForFunction(name => document.querySelector("#input").dataset.sample === name, {}, sample);
    await page.select("#precision", precision);
    await page.click("#run");
    await page.waitForFunction(
      name => document.querySelectorAll(`.result[data-task="${name}"]`).length === 2
        && [...document.querySelectorAll(".result")].every(result => result.dataset.state !== "running"),
      { timeout: RUN_TIMEOUT_MS }, task);
    const outcomes = await page.$$eval(".result", views => views.map(view => ({
      variant: view.dataset.variant,
      state: view.dataset.state,
      problem: view.querySelector(".problem").textContent,
      timing: [...view.querySelectorAll(".facts dt")].some(term => term.textContent === "Server-Timing"),
      provider: [...view.querySelectorAll(".facts dt")].find(term => term.textContent === "provider")?.nextElementSibling.textContent,
      precision: [...view.querySelectorAll(".facts dt")].find(term => term.textContent === "precision")?.nextElementSibling.textContent,
    })));
    const differences = await page.evaluate(() => [...document.querySelectorAll(".result")].map(view => {
      const after = view.querySelector(".after");
      const width = after.naturalWidth, height = after.naturalHeight;
      const pixels = image => {
        const canvas = new OffscreenCanvas(width, height);
        const context = canvas.getContext("2d");
        context.drawImage(image, 0, 0, width, height);
        return context.getImageData(0, 0, width, height).data;
      };
      const [input, output] = [pixels(view.querySelector(".before")), pixels(after)];
      let sum = 0;
      for (let i = 0; i < input.length; i += 4) {
        sum += Math.abs(input[i] - output[i]) + Math.abs(input[i + 1] - output[i + 1]) + Math.abs(input[i + 2] - output[i + 2]);
      }
      return sum / (3 * width * height);
    }));
    await page.screenshot({ path: `${results}/playground-${task}.png`, fullPage: true });
    outcomes.forEach((outcome, index) => {
      const label = `${task} ${outcome.variant}`;
      const served = precision === "fp32" || (INT8_VARIANTS[task] ?? []).includes(outcome.variant) ? precision : "fp32";
      if (outcome.state !== "done") failures.push(`${label}: ${outcome.state} ${outcome.problem}`);
      else if (!outcome.precision?.startsWith(served)) failures.push(`${label}: ran in ${outcome.precision}, not ${served}`);
      else if (!outcome.timing) failures.push(`${label}: no Server-Timing shown`);
      else if ((outcome.provider === "(job)") !== asJob) failures.push(`${label}: ${asJob ? "not" : ""} run as a job (${outcome.provider})`);
      else if (!(differences[index] >= LEAST_MEAN_DIFFERENCE)) failures.push(`${label}: the output differs from the input by ${differences[index]} levels`);
      else console.log(`${label} (${outcome.precision}): done, differs from the input by ${differences[index].toFixed(2)} levels on average`);
    });
  }
  // Swagger UI under the same Content-Security-Policy: its page renders the operations without an error.
  await page.goto(`${base}/swagger/index.html`, { waitUntil: "load" });
  await page.waitForSelector(".swagger-ui .opblock", { timeout: RUN_TIMEOUT_MS });
  const document = await (await fetch(`${base}/swagger/v1/swagger.json`)).json();
  const documented = Object.values(document.paths).reduce((sum, path) => sum + Object.keys(path).length, 0);
  const rendered = await page.$$eval(".swagger-ui .opblock", blocks => blocks.length);
  await page.screenshot({ path: `${results}/swagger-ui.png` });
  if (rendered !== documented) failures.push(`Swagger UI renders ${rendered} of the document's ${documented} operations`);
  else console.log(`Swagger UI: all ${rendered} operations rendered`);
  failures.push(...errors.map(error => `page error: ${error}`));
} finally {
  await browser.close();
}
for (const failure of failures) console.error(`FAILED ${failure}`);
process.exit(failures.length ? 1 : 0);
