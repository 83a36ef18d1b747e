/** Ranking metrics and the text-similarity baseline for `npm run eval:match`. */
export type Labelled = { score: number; label: boolean };

/** ROC-AUC as the probability that a random positive outranks a random negative (ties count half). */
export function rocAuc(items: readonly Labelled[]): number {
  const pos = items.filter((x) => x.label);
  const neg = items.filter((x) => !x.label);
  if (pos.length === 0 || neg.length === 0) return Number.NaN;
  let wins = 0;
  for (const p of pos) for (const n of neg) wins += p.score > n.score ? 1 : p.score === n.score ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}

/** Share of positives among the k best scored (ties broken by input order). */
export function precisionAt(items: readonly Labelled[], k: number): number {
  const top = [...items].sort((a, b) => b.score - a.score).slice(0, k);
  return top.length === 0 ? Number.NaN : top.filter((x) => x.label).length / top.length;
}

const words = (text: string) => text.toLowerCase().match(/[a-z0-9+#]+/g) ?? [];

/** TF-IDF cosine of one query document against each document (IDF over the documents and the query). */
export function tfidfCosine(query: string, docs: readonly string[]): number[] {
  const all = [query, ...docs].map(words);
  const df = new Map<string, number>();
  for (const doc of all) for (const w of new Set(doc)) df.set(w, (df.get(w) ?? 0) + 1);
  const vector = (doc: string[]) => {
    const tf = new Map<string, number>();
    for (const w of doc) tf.set(w, (tf.get(w) ?? 0) + 1);
    const v = new Map<string, number>();
    let norm = 0;
    for (const [w, n] of tf) {
      const x = (1 + Math.log(n)) * Math.log((all.length + 1) / ((df.get(w) ?? 0) + 1));
      v.set(w, x);
      norm += x * x;
    }
    return { v, norm: Math.sqrt(norm) || 1 };
  };
  const q = vector(all[0] ?? []);
  return all.slice(1).map((doc) => {
    const d = vector(doc);
    let dot = 0;
    for (const [w, x] of q.v) dot += x * (d.v.get(w) ?? 0);
    return dot / (q.norm * d.norm);
  });
}
