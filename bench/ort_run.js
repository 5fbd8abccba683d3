// Times ONNX Runtime (onnxruntime-node) on one model, one thread, the same
// raw input files the edge-aotc timer reads. Called by run_bench.py:
//
//   node ort_run.js SPEC.json
//
// SPEC: {"model": "m.onnx", "warmup": 3, "runs": 30,
//        "inputs": [{"name": "input", "shape": [1,3,224,224],
//                    "dtype": "float32", "file": "in0.bin"}, ...],
//        "outputs": ["out0.bin", ...]}          (outputs optional)
// Session: intraOpNumThreads 1, interOpNumThreads 1, sequential execution,
// all graph optimisations (as /work/shared/tools/ort_bench.js). Each run is
// timed alone with process.hrtime around `await session.run(feeds)`.
// Prints one JSON object on stdout.
const fs = require('fs');
const path = require('path');

function fail(msg) {
  console.log(JSON.stringify({ok: false, error: String(msg)}));
  process.exit(1);
}

let ort;
try {
  ort = require('onnxruntime-node');
} catch (e) {
  fail('onnxruntime-node not loadable: ' + e.message.split('\n')[0]);
}

const ARRAYS = {
  float32: [Float32Array, 'float32'], float64: [Float64Array, 'float64'],
  int64: [BigInt64Array, 'int64'], int32: [Int32Array, 'int32'],
  int16: [Int16Array, 'int16'], int8: [Int8Array, 'int8'],
  uint8: [Uint8Array, 'uint8'], uint16: [Uint16Array, 'uint16'],
  bool: [Uint8Array, 'bool'],
};

(async () => {
  const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const session = await ort.InferenceSession.create(spec.model, {
    intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const feeds = {};
  for (const inp of spec.inputs) {
    const kind = ARRAYS[inp.dtype];
    if (!kind) fail('unsupported input dtype ' + inp.dtype);
    const buf = fs.readFileSync(inp.file);
    const copy = new Uint8Array(buf.length);
    copy.set(buf);  // own, aligned buffer
    const data = new kind[0](copy.buffer, 0, buf.length / kind[0].BYTES_PER_ELEMENT);
    feeds[inp.name] = new ort.Tensor(kind[1], data, inp.shape);
  }
  let result;
  for (let i = 0; i < spec.warmup; i++) result = await session.run(feeds);
  const times = [];
  for (let i = 0; i < spec.runs; i++) {
    const t = process.hrtime.bigint();
    result = await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  if (!result) result = await session.run(feeds);
  (spec.outputs || []).forEach((file, k) => {
    const t = result[session.outputNames[k]];
    const d = t.data;
    fs.writeFileSync(file, Buffer.from(d.buffer, d.byteOffset, d.byteLength));
  });
  const sorted = [...times].sort((a, b) => a - b);
  const n = sorted.length;
  const median = n % 2 ? sorted[n >> 1] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
  let version = null;
  try {
    version = require('onnxruntime-node/package.json').version;
  } catch (e) {}
  console.log(JSON.stringify({
    ok: true, ort_version: version, runs: n, warmup: spec.warmup,
    median_ms: median, min_ms: sorted[0],
    mean_ms: times.reduce((a, b) => a + b, 0) / n, max_ms: sorted[n - 1],
    output_names: session.outputNames, times_ms: times,
  }));
})().catch(fail);
