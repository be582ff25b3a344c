// Shows every page of ?file=… with pdf.js's PDFPageView (text layer and structure tree
// layer, as a viewer does), then sets window.harness: {done, error, structText}.
// structText is pdf.js's own reading of the PDF: getStructTree() matched to
// getTextContent({includeMarkedContent: true}), [role, text] per element, in tree order.
import * as pdfjsLib from "./node_modules/pdfjs-dist/build/pdf.mjs";
import { EventBus, PDFPageView } from "./node_modules/pdfjs-dist/web/pdf_viewer.mjs";

pdfjsLib.GlobalWorkerOptions.workerSrc = "./node_modules/pdfjs-dist/build/pdf.worker.mjs";
window.harness = { done: false, error: null, structText: [] };

async function pageTexts(page) {
  // The text of each marked-content id ("p12R_mc3") on the page, in content order.
  const content = await page.getTextContent({ includeMarkedContent: true });
  const texts = new Map();
  const open = [];
  for (const item of content.items) {
    if (item.type === "beginMarkedContent" || item.type === "beginMarkedContentProps") {
      open.push(item);
    } else if (item.type === "endMarkedContent") {
      open.pop();
    } else if (item.str !== undefined) {
      if (open.some(mark => mark.tag === "Artifact")) continue;  // skipped by readers
      const id = open.findLast(mark => mark.id)?.id || "untagged";
      texts.set(id, (texts.get(id) || "") + item.str + (item.hasEOL ? "\n" : ""));
    }
  }
  return texts;
}

function walk(node, texts, out) {
  if (!node) return;
  if (node.type === "content") {
    return;
  }
  if (node.role) {
    const own = (node.children || []).filter(k => k.type === "content").map(k => texts.get(k.id) || "").join("");
    out.push([node.role, own]);
  }
  for (const kid of node.children || []) walk(kid, texts, out);
}

async function main() {
  const file = new URLSearchParams(location.search).get("file");
  const pdf = await pdfjsLib.getDocument({ url: file }).promise;
  const eventBus = new EventBus();
  const container = document.getElementById("viewer");
  let rendered = 0;
  eventBus.on("textlayerrendered", () => { rendered += 1; });
  const views = [];
  for (let number = 1; number <= pdf.numPages; number++) {
    const page = await pdf.getPage(number);
    const view = new PDFPageView({
      container, id: number, scale: 1, defaultViewport: page.getViewport({ scale: 1 }), eventBus,
    });
    view.setPdfPage(page);
    views.push(view);
    await view.draw();
    const texts = await pageTexts(page);
    const out = [];
    walk(await page.getStructTree(), texts, out);
    if (texts.has("untagged")) out.push(["(untagged)", texts.get("untagged")]);
    window.harness.structText.push(...out);
  }
  while (rendered < pdf.numPages) await new Promise(r => setTimeout(r, 20));
  for (const view of views) await view.structTreeLayer?.render();
  await new Promise(r => setTimeout(r, 50));
  window.harness.done = true;
}

main().catch(error => { window.harness.error = String(error && error.stack || error); });
