// The explorer page in a real browser (headless Chromium driven by puppeteer-core):
// it loads with no request leaving the machine, a typed word and Enter fill the
// neighbour list and the map, completion works from the keyboard, a click on the
// map recentres it, an analogy answers, an unseen word gets a subword vector, a
// bad word shows an error, and a phone-width window stacks the panels.
// Screenshots go to SHOTS (the build folder).
//
// With SWEEP (a folder of dim --sweep CSVs) it also checks the dimension evidence section.
//
//   node tests/browser/explorer.js   with WORDVEC, MODEL, SWEEP, CHROMIUM, SHOTS, NODE_PATH set
"use strict";
const { spawn } = require("child_process");
const fs = require("fs");
const path = require("path");
const puppeteer = require("puppeteer-core");

const { WORDVEC, MODEL, SWEEP, CHROMIUM = "/usr/bin/chromium", SHOTS } = process.env;
let passed = 0, failed = 0;
function check(name, condition, detail = "") {
  if (condition) { passed++; return; }
  failed++;
  console.error(`FAIL: ${name} ${detail}`);
}

// wordvec serve on a free port; resolves with the port once it logs its address.
function startServer() {
  const args = ["serve", "--vectors", MODEL, "--port", "0", ...(SWEEP ? ["--sweep", SWEEP] : [])];
  const server = spawn(WORDVEC, args, { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  const exited = new Promise((resolve) => server.on("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("serve did not start: " + log)), 60000);
    server.stderr.on("data", (chunk) => {
      log += chunk;
      const found = /on http:\/\/127\.0\.0\.1:(\d+)\//.exec(log);
      if (found) { clearTimeout(timer); resolve({ server, exited, port: Number(found[1]) }); }
    });
    server.on("exit", (code) => reject(new Error(`serve exited with ${code}: ${log}`)));
  });
}

const texts = (page, selector) => page.$$eval(selector, (els) => els.map((e) => e.textContent.trim()));

async function searchFor(page, word) {
  await page.click("#search", { clickCount: 3 });
  await page.keyboard.type(word);
  await page.keyboard.press("Enter");
  await page.waitForFunction((w) => document.getElementById("map-title").textContent.includes(w) ||
    document.getElementById("search-note").classList.contains("error"), { timeout: 20000 }, word);
}

async function main() {
  fs.mkdirSync(SHOTS, { recursive: true });
  const { server, exited, port } = await startServer();
  const origin = `http://127.0.0.1:${port}`;
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM, headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 860 });
    const outside = [], consoleErrors = [];
    page.on("request", (r) => { if (!r.url().startsWith(origin) && !r.url().startsWith("data:")) outside.push(r.url()); });
    page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
    page.on("pageerror", (e) => consoleErrors.push(e.message));

    // Loads: the model panel and the first word's neighbours.
    await page.goto(origin + "/", { waitUntil: "networkidle0" });
    await page.waitForSelector("#neighbors li", { timeout: 20000 });
    const modelLine = await page.$eval("#model-line", (e) => e.textContent);
    check("model line names words and dimension", /words · dimension \d+/.test(modelLine), modelLine);
    const info = await texts(page, "#info dd");
    check("model panel shows the suggestion", info.some((t) => /minimum entropy; 8\.33 ln N = \d+/.test(t)), info.join("|"));
    check("model panel says any word has a vector", info.includes("yes: character n-grams"), info.join("|"));

    // Search by typing and Enter.
    await searchFor(page, "france");
    const neighbours = await texts(page, "#neighbors li > span:first-child");
    check("20 neighbours of france", neighbours.length === 20, String(neighbours.length));
    const api = await (await fetch(`${origin}/api/nn?word=france&k=20`)).json();
    check("the list is the API's answer", JSON.stringify(neighbours) === JSON.stringify(api.neighbors.map((n) => n.word)),
      neighbours.join(" "));
    const scores = (await texts(page, "#neighbors .score")).map(Number);
    check("scores descend", scores.every((s, i) => i === 0 || s <= scores[i - 1]), scores.join(" "));
    await new Promise((resolve) => setTimeout(resolve, 500));  // past the completion delay
    check("no completions left open after Enter", (await texts(page, "#completions li")).length === 0);
    check("URL carries the word", (await page.evaluate(() => location.hash)) === "#france");
    const map = await page.$$eval("#map g[data-word]", (gs) => gs.map((g) => {
      const c = g.querySelector("circle");
      return { word: g.dataset.word, x: +c.getAttribute("cx"), y: +c.getAttribute("cy"), centre: g.classList.contains("centre") };
    }));
    check("map draws the word and 30 neighbours", map.length === 31, String(map.length));
    check("map centre is france", map.length > 0 && map[0].word === "france" && map[0].centre);
    const box = await page.$eval("#map", (s) => ({ width: s.viewBox.baseVal.width, height: s.viewBox.baseVal.height }));
    check("map points inside the drawing", map.every((p) => p.x >= 0 && p.x <= box.width && p.y >= 0 && p.y <= box.height),
      JSON.stringify(box));
    check("map points spread out", new Set(map.map((p) => `${Math.round(p.x)},${Math.round(p.y)}`)).size > 25);
    await page.screenshot({ path: path.join(SHOTS, "explorer-france.png") });

    // Completion from the keyboard: type a prefix, arrow down, Enter.
    await page.click("#search", { clickCount: 3 });
    await page.keyboard.type("germ");
    await page.waitForFunction(() => {
      const items = [...document.querySelectorAll("#completions li")];
      return items.length > 0 && items.every((li) => li.textContent.startsWith("germ"));
    }, { timeout: 10000 });
    const completions = await texts(page, "#completions li");
    check("completions start with the prefix", completions.length > 0 && completions.every((w) => w.startsWith("germ")), completions.join(" "));
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await page.waitForFunction((w) => document.getElementById("map-title").textContent.includes(w), { timeout: 20000 }, completions[0]);
    check("arrow and Enter search the completion", (await page.$eval("#search", (e) => e.value)) === completions[0]);

    // Click a word on the map: the map recentres on it.
    const target = await page.$$eval("#map g[data-word]", (gs) => gs[gs.length - 1].dataset.word);
    await page.click(`#map g[data-word="${target}"] circle`);
    await page.waitForFunction((w) => document.querySelector("#map g.centre")?.dataset.word === w, { timeout: 20000 }, target);
    check("click on the map recentres", (await page.$eval("#map-title", (e) => e.textContent)).includes(target));

    // Analogy: man : king :: woman : ?
    for (const [id, word] of [["a", "man"], ["b", "king"], ["c", "woman"]]) {
      await page.click(`#analogy-${id}`, { clickCount: 3 });
      await page.keyboard.type(word);
    }
    await page.keyboard.press("Enter");
    await page.waitForSelector("#analogy-results li", { timeout: 20000 });
    const answers = await texts(page, "#analogy-results li > span:first-child");
    const note = await page.$eval("#analogy-note", (e) => e.textContent);
    check("analogy answers", answers.length === 10 && note.startsWith("man is to king as woman is to " + answers[0]), note);
    check("analogy leaves out the question words", !answers.some((w) => ["man", "king", "woman"].includes(w)), answers.join(" "));
    await page.select("#analogy-method", "mul");
    await page.click("#analogy-form button");
    await page.waitForFunction(() => document.getElementById("analogy-results").children.length === 10, { timeout: 20000 });
    check("3CosMul answers too", (await texts(page, "#analogy-results li")).length === 10);
    await page.screenshot({ path: path.join(SHOTS, "explorer-analogy.png") });

    // An unseen word: the subword model still answers, and the page says how.
    await searchFor(page, "frnace");
    const oovNote = await page.$eval("#search-note", (e) => e.textContent);
    check("unseen word explained", oovNote.includes("not in the vocabulary"), oovNote);
    check("unseen word has neighbours", (await texts(page, "#neighbors li")).length === 20);
    // A word over the server's length limit: an error in the page, not a crash.
    await searchFor(page, "x".repeat(300));
    const error = await page.$eval("#search-note", (e) => ({ text: e.textContent, error: e.classList.contains("error") }));
    check("too long a word shows the server's error", error.error && /256/.test(error.text), JSON.stringify(error));

    // The dimension evidence: both charts load, a table row per vocabulary size,
    // and another score redraws the curves.
    if (SWEEP) {
      await page.waitForFunction(() => !document.getElementById("sweep-section").hidden &&
        document.getElementById("sweep-trend").complete && document.getElementById("sweep-curves").complete &&
        document.getElementById("sweep-trend").naturalWidth > 0, { timeout: 20000 });
      const sweep = await (await fetch(`${origin}/api/sweep`)).json();
      const rows = await page.$$eval("#sweep-table tr", (trs) => trs.length - 1);
      check("a table row per vocabulary size", rows === sweep.curves.length && rows > 0, `${rows} rows`);
      const metrics = await page.$$eval("#sweep-metric option", (os) => os.map((o) => o.value));
      check("a choice per score", metrics.length === sweep.metrics.length, metrics.join(" "));
      await page.select("#sweep-metric", "1");
      await page.waitForFunction(() => document.getElementById("sweep-curves").src.endsWith("metric=1") &&
        document.getElementById("sweep-curves").complete && document.getElementById("sweep-curves").naturalWidth > 0);
      const knees = await page.$$eval("#sweep-table tr td:nth-child(4)", (tds) => tds.map((td) => td.textContent));
      check("the table shows the chosen score's knees", JSON.stringify(knees) ===
        JSON.stringify(sweep.curves.map((c) => String(c.knee[0] || "–"))), knees.join(" "));
      await page.$eval("#sweep-section", (e) => e.scrollIntoView());
      await page.screenshot({ path: path.join(SHOTS, "explorer-sweep.png") });
    } else {
      check("no sweep section without --sweep", await page.$eval("#sweep-section", (e) => e.hidden));
    }

    // Answers out of order: a slow search followed at once by another must not
    // overwrite the later one (here the map request of the first is delayed).
    await page.setRequestInterception(true);
    const delay = (r) => {
      if (r.url().includes("/api/map") && r.url().includes("word=paris")) setTimeout(() => r.continue(), 1500);
      else r.continue();
    };
    page.on("request", delay);
    await page.evaluate(() => { search("paris"); search("berlin"); });
    await new Promise((resolve) => setTimeout(resolve, 2500));
    page.off("request", delay);
    await page.setRequestInterception(false);
    const title = await page.$eval("#map-title", (e) => e.textContent);
    check("the latest search wins", title.includes("berlin") && (await page.$eval("#search", (e) => e.value)) === "berlin", title);

    // Phone width: one column, the map below the lists, nothing wider than the screen.
    await page.setViewport({ width: 390, height: 844, isMobile: true });
    await searchFor(page, "water");
    const layout = await page.evaluate(() => ({
      columns: getComputedStyle(document.querySelector("main")).gridTemplateColumns.split(" ").length,
      scrollWidth: document.documentElement.scrollWidth,
      mapTop: document.getElementById("map").getBoundingClientRect().top,
      listTop: document.getElementById("neighbors").getBoundingClientRect().top,
    }));
    check("phone width stacks the panels", layout.columns === 1 && layout.mapTop > layout.listTop, JSON.stringify(layout));
    check("phone width has no sideways scrolling", layout.scrollWidth <= 390, String(layout.scrollWidth));
    await page.screenshot({ path: path.join(SHOTS, "explorer-phone.png"), fullPage: true });

    check("no request left the machine", outside.length === 0, outside.join(" "));
    check("no script errors", consoleErrors.every((e) => /status of 4\d\d/.test(e)), consoleErrors.join(" | "));
  } finally {
    await browser.close();
    server.kill("SIGINT");
  }
  const code = await exited;
  check("serve exits 0 on Ctrl-C", code === 0, String(code));
  console.log(`browser: ${passed} passed, ${failed} failed; screenshots in ${SHOTS}`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => { console.error("FAIL:", e.stack || e); process.exit(1); });
