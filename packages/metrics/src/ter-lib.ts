// Translation edit rate of one hypothesis against one reference: Tercom's greedy shifts plus a
// beam-limited edit distance, reproducing sacreBLEU's `lib_ter.py` decision for decision.
// Words are compared as integer ids. Candidate shifts only recompute the edit-distance rows after
// the first word they change (sacreBLEU caches rows in a prefix trie to the same effect).

const MAX_SHIFT_SIZE = 10;
const MAX_SHIFT_DIST = 50;
const BEAM_WIDTH = 25;
const MAX_SHIFT_CANDIDATES = 1000;
const INF = 1 << 30;

const OP_NOP = 0;
const OP_SUB = 1;
const OP_INS = 2;
const OP_DEL = 3;
const OP_UNDEF = 4;

/** Beam-limited edit distance between hypotheses of one length and a fixed reference. */
class BeamEditDistance {
  private readonly nRef: number;
  private readonly nHyp: number;
  private readonly minJ: Int32Array;
  private readonly maxJ: Int32Array;
  /** Full matrices of the last hypothesis computed with `full` (rows of nRef+1). */
  readonly cost: Int32Array;
  readonly op: Uint8Array;
  private readonly rowA: Int32Array;
  private readonly rowB: Int32Array;

  constructor(
    private readonly ref: Int32Array,
    nHyp: number,
  ) {
    this.nRef = ref.length;
    this.nHyp = nHyp;
    const ratio = nHyp ? this.nRef / nHyp : 1;
    const beam = BEAM_WIDTH < ratio / 2 ? Math.ceil(ratio / 2 + BEAM_WIDTH) : BEAM_WIDTH;
    this.minJ = new Int32Array(nHyp + 1);
    this.maxJ = new Int32Array(nHyp + 1);
    for (let i = 1; i <= nHyp; i++) {
      const diag = Math.floor(i * ratio);
      this.minJ[i] = Math.max(0, diag - beam);
      this.maxJ[i] = i === nHyp ? this.nRef + 1 : Math.min(this.nRef + 1, diag + beam);
    }
    const w = this.nRef + 1;
    this.cost = new Int32Array((nHyp + 1) * w);
    this.op = new Uint8Array((nHyp + 1) * w);
    for (let j = 0; j < w; j++) {
      this.cost[j] = j;
      this.op[j] = OP_INS;
    }
    this.rowA = new Int32Array(w);
    this.rowB = new Int32Array(w);
  }

  /** Fills the full matrix for `hyp` from row `from` on (rows before it must already hold `hyp`'s prefix). */
  full(hyp: Int32Array, from = 1): number {
    const w = this.nRef + 1;
    const { cost, op, ref } = this;
    for (let i = from; i <= this.nHyp; i++) {
      const base = i * w;
      const prev = base - w;
      cost.fill(INF, base, base + w);
      op.fill(OP_UNDEF, base, base + w);
      const h = hyp[i - 1]!;
      for (let j = this.minJ[i]!; j < this.maxJ[i]!; j++) {
        if (j === 0) {
          cost[base] = cost[prev]! + 1;
          op[base] = OP_DEL;
          continue;
        }
        let best = cost[base + j]!;
        let bestOp = op[base + j]!;
        const sub = cost[prev + j - 1]! + (h === ref[j - 1] ? 0 : 1);
        if (best > sub) {
          best = sub;
          bestOp = h === ref[j - 1] ? OP_NOP : OP_SUB;
        }
        const del = cost[prev + j]! + 1;
        if (best > del) {
          best = del;
          bestOp = OP_DEL;
        }
        const ins = cost[base + j - 1]! + 1;
        if (best > ins) {
          best = ins;
          bestOp = OP_INS;
        }
        cost[base + j] = best;
        op[base + j] = bestOp;
      }
    }
    return cost[this.nHyp * w + this.nRef]!;
  }

  /** The edit operations (hypothesis → reference) of the full matrix, first to last. */
  trace(): number[] {
    const w = this.nRef + 1;
    const out: number[] = [];
    let i = this.nHyp;
    let j = this.nRef;
    while (i > 0 || j > 0) {
      const o = this.op[i * w + j]!;
      out.push(o);
      if (o === OP_SUB || o === OP_NOP) {
        i--;
        j--;
      } else if (o === OP_INS) j--;
      else if (o === OP_DEL) i--;
      else throw new Error('TER: edit distance left the beam');
    }
    return out.reverse();
  }

  /** Edit distance of `hyp`, whose first `same` words equal those of the hypothesis in the full matrix. */
  distanceFrom(hyp: Int32Array, same: number): number {
    const w = this.nRef + 1;
    const { ref } = this;
    if (same >= this.nHyp) return this.cost[this.nHyp * w + this.nRef]!;
    let prev = this.rowA;
    let cur = this.rowB;
    prev.set(this.cost.subarray(same * w, same * w + w));
    for (let i = same + 1; i <= this.nHyp; i++) {
      cur.fill(INF);
      const h = hyp[i - 1]!;
      for (let j = this.minJ[i]!; j < this.maxJ[i]!; j++) {
        if (j === 0) {
          cur[0] = prev[0]! + 1;
          continue;
        }
        let best = cur[j]!;
        const sub = prev[j - 1]! + (h === ref[j - 1] ? 0 : 1);
        if (best > sub) best = sub;
        const del = prev[j]! + 1;
        if (best > del) best = del;
        const ins = cur[j - 1]! + 1;
        if (best > ins) best = ins;
        cur[j] = best;
      }
      const t = prev;
      prev = cur;
      cur = t;
    }
    return prev[this.nRef]!;
  }
}

function performShift(words: Int32Array, start: number, length: number, target: number): Int32Array {
  const out = new Int32Array(words.length);
  let k = 0;
  const put = (from: number, to: number) => {
    from = Math.min(from, words.length);
    to = Math.min(to, words.length);
    for (let i = from; i < to; i++) out[k++] = words[i]!;
  };
  if (target < start) {
    put(0, target);
    put(start, start + length);
    put(target, start);
    put(start + length, words.length);
  } else if (target > start + length) {
    put(0, start);
    put(start + length, target);
    put(start, start + length);
    put(target, words.length);
  } else {
    put(0, start);
    put(start + length, length + target);
    put(start, start + length);
    put(length + target, words.length);
  }
  return out;
}

/**
 * Number of edits (shifts + insertions, deletions, substitutions) turning `hyp` into `ref`,
 * as sacreBLEU's `translation_edit_rate`. Words are integer ids.
 */
export function translationEditRate(hyp: Int32Array, ref: Int32Array): number {
  const nRef = ref.length;
  const nHyp = hyp.length;
  if (nRef === 0) return nHyp;
  const ed = new BeamEditDistance(ref, nHyp);
  let words = hyp;
  let shifts = 0;
  let checked = 0;
  let computedFor: Int32Array | undefined;
  for (;;) {
    // --- one round of sacreBLEU's _shift ---
    let preScore: number;
    if (computedFor === words) preScore = ed.cost[nHyp * (nRef + 1) + nRef]!;
    else preScore = ed.full(words);
    computedFor = words;
    const trace = ed.trace();
    // Alignment of the flipped trace (reference rewritten into hypothesis).
    const align = new Int32Array(nRef).fill(-2);
    const hypErr: number[] = [];
    const refErr: number[] = [];
    let posHyp = -1;
    let posRef = -1;
    for (const o of trace) {
      if (o === OP_NOP || o === OP_SUB) {
        posHyp++;
        posRef++;
        align[posRef] = posHyp;
        const e = o === OP_SUB ? 1 : 0;
        hypErr.push(e);
        refErr.push(e);
      } else if (o === OP_DEL) {
        // A deletion from the hypothesis is an insertion when flipped.
        posHyp++;
        hypErr.push(1);
      } else {
        posRef++;
        align[posRef] = posHyp;
        refErr.push(1);
      }
    }
    // Prefix sums for the error windows.
    const hypErrSum = new Int32Array(hypErr.length + 1);
    for (let i = 0; i < hypErr.length; i++) hypErrSum[i + 1] = hypErrSum[i]! + hypErr[i]!;
    const refErrSum = new Int32Array(refErr.length + 1);
    for (let i = 0; i < refErr.length; i++) refErrSum[i + 1] = refErrSum[i]! + refErr[i]!;
    const winSum = (sums: Int32Array, a: number, b: number) =>
      sums[Math.min(b, sums.length - 1)]! - sums[Math.min(a, sums.length - 1)]!;

    let best: { delta: number; length: number; negStart: number; negIdx: number; words: Int32Array } | undefined;
    outer: for (let startH = 0; startH < nHyp; startH++) {
      for (let startR = 0; startR < nRef; startR++) {
        if (Math.abs(startR - startH) > MAX_SHIFT_DIST) continue;
        let length = 0;
        while (words[startH + length] === ref[startR + length] && length < MAX_SHIFT_SIZE) {
          length++;
          // --- candidate (startH, startR, length) ---
          let skip = false;
          if (winSum(hypErrSum, startH, startH + length) === 0) skip = true;
          else if (winSum(refErrSum, startR, startR + length) === 0) skip = true;
          else {
            const a = align[startR]!;
            if (startH <= a && a < startH + length) skip = true;
          }
          if (!skip) {
            let prevIdx = -1;
            for (let offset = -1; offset < length; offset++) {
              let idx: number;
              if (startR + offset === -1) idx = 0;
              else if (startR + offset < nRef && align[startR + offset]! !== -2) idx = align[startR + offset]! + 1;
              else break;
              if (idx === prevIdx) continue;
              prevIdx = idx;
              const shifted = performShift(words, startH, length, idx);
              let same = 0;
              while (same < nHyp && shifted[same] === words[same]) same++;
              const delta = preScore - ed.distanceFrom(shifted, same);
              checked++;
              if (
                !best ||
                delta > best.delta ||
                (delta === best.delta &&
                  (length > best.length ||
                    (length === best.length &&
                      (-startH > best.negStart || (-startH === best.negStart && -idx > best.negIdx)))))
              ) {
                best = { delta, length, negStart: -startH, negIdx: -idx, words: shifted };
              }
            }
          }
          if (checked >= MAX_SHIFT_CANDIDATES) break outer;
          if (nHyp === startH + length || nRef === startR + length) break;
        }
      }
    }
    if (checked >= MAX_SHIFT_CANDIDATES) break;
    if (!best || best.delta <= 0) break;
    shifts++;
    words = best.words;
  }
  const distance = computedFor === words ? ed.cost[nHyp * (nRef + 1) + nRef]! : ed.full(words);
  return shifts + distance;
}
