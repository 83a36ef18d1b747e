// OCR for scanned CV pages, inside the parse worker (extract-worker.mjs): a page without a text layer is
// rendered to an image (pdf.js onto @napi-rs/canvas) and read by Tesseract (tesseract.js, WebAssembly)
// with its English model from the npm registry: nothing is downloaded at run time. The worker's time and
// memory limits still apply (the parent gives a read that needs OCR a longer budget, CV_OCR_TIMEOUT_MS).
// Plain JavaScript, like the worker that loads it.
import eng from '@tesseract.js-data/eng';
import { createWorker, OEM } from 'tesseract.js';
import { renderPageAsImage } from 'unpdf';

/** At most this many scanned pages are read; a CV's first pages hold what the profile needs. */
export const MAX_OCR_PAGES = 3;
/**
 * Rendered width in pixels: about 170 dpi for an A4 or Letter page. Tesseract reads body text well from
 * 150 dpi up; wider costs time roughly in proportion to the pixels.
 */
const RENDER_WIDTH = 1400;

// One Tesseract instance per parse worker, started on the first scan (its model takes seconds to load)
// and kept: a worker killed for its time limit takes it along.
let tesseract = null;

function reader() {
  tesseract ??= createWorker('eng', OEM.LSTM_ONLY, {
    langPath: eng.langPath,
    gzip: eng.gzip,
    cacheMethod: 'none', // never write the model to a cache folder (or fetch it)
    logger: () => {},
    errorHandler: () => {},
  }).catch((err) => {
    tesseract = null;
    throw err;
  });
  return tesseract;
}

/**
 * The text of the given pages (1-based numbers) of an open pdf.js document, and Tesseract's mean
 * confidence over them (0–100; words it could not read weigh in as 0).
 */
export async function ocrPages(pdf, pageNumbers) {
  const worker = await reader();
  const texts = [];
  const confidences = [];
  for (const n of pageNumbers.slice(0, MAX_OCR_PAGES)) {
    const png = await renderPageAsImage(pdf, n, {
      canvasImport: () => import('@napi-rs/canvas'),
      width: RENDER_WIDTH,
    });
    const { data } = await worker.recognize(Buffer.from(png));
    texts.push(data.text);
    if (data.text.trim()) confidences.push(data.confidence);
  }
  const confidence = confidences.length ? confidences.reduce((a, b) => a + b, 0) / confidences.length : 0;
  return { texts, confidence: Math.round(confidence) };
}
