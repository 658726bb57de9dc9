/*
 * The benchmark page of scripts/bench_training.py: TensorFlow.js and ConvNetJS train the models of the
 * train page's manifest on its MNIST digits (in order), and window.bench reports training samples per second.
 * Never part of the site: the script serves it, with the libraries, from a temporary folder.
 */
(function () {
  "use strict";
  const T = window.lenetTrainer;

  function batchOf(data, n, batch, x, y) {  // digits n .. n+batch (wrapping), as floats and one-hot labels
    y.fill(0);
    for (let b = 0; b < batch; b++) {
      const i = (n + b) % data.count;
      for (let j = 0; j < 784; j++) x[b * 784 + j] = data.images[i * 784 + j] / 255;
      y[b * 10 + data.labels[i]] = 1;
    }
  }

  async function timeSteps(step, seconds, batch) {
    for (let i = 0; i < 3; i++) await step(i * batch);  // warm up: compile, allocate
    const t0 = performance.now();
    let samples = 0;
    while (performance.now() - t0 < seconds * 1000) {
      await step(samples);
      samples += batch;
    }
    const s = (performance.now() - t0) / 1000;
    return { samples: samples, seconds: s, samples_per_second: samples / s };
  }

  async function tfjs(model, backend, seconds, batch) {
    await T.ready;
    if (backend === "wasm") tf.wasm.setWasmPaths("/bench-libs/@tensorflow/tfjs-backend-wasm/dist/");
    if (!(await tf.setBackend(backend)) || tf.getBackend() !== backend) return { error: backend + " backend unavailable" };
    await tf.ready();
    const spec = T.manifest.models[model];
    const opt = T.manifest.optimizer;
    const m = tf.sequential();
    spec.layers.forEach((l, i) => {
      const first = i === 0 ? { inputShape: spec.input_shape } : {};
      if (l.type === "Conv2D") m.add(tf.layers.conv2d(Object.assign(first, { filters: l.filters, kernelSize: l.kernel_size,
        strides: l.strides, padding: l.padding, activation: l.activation })));
      else if (l.type === "AveragePooling2D") m.add(tf.layers.averagePooling2d({ poolSize: l.pool_size, strides: l.strides }));
      else if (l.type === "MaxPooling2D") m.add(tf.layers.maxPooling2d({ poolSize: l.pool_size, strides: l.strides }));
      else if (l.type === "Flatten") m.add(tf.layers.flatten());
      else if (l.type === "Dense") m.add(tf.layers.dense({ units: l.units, activation: l.activation }));
      else throw new Error("no " + l.type);
    });
    m.compile({ optimizer: tf.train.adam(opt.learning_rate, opt.beta_1, opt.beta_2, opt.epsilon),
      loss: "categoricalCrossentropy" });
    const x = new Float32Array(batch * 784), y = new Float32Array(batch * 10);
    const step = async (n) => {
      batchOf(T.data.train, n, batch, x, y);
      const xs = tf.tensor4d(x, [batch, 28, 28, 1]), ys = tf.tensor2d(y, [batch, 10]);
      await m.trainOnBatch(xs, ys);
      xs.dispose();
      ys.dispose();
    };
    try {
      return Object.assign(await timeSteps(step, seconds, batch), { backend: tf.getBackend() });
    } catch (error) {
      return { error: String(error.message || error).split("\n")[0] };
    } finally {
      m.dispose();
    }
  }

  async function convnet(model, seconds, batch) {
    await T.ready;
    const spec = T.manifest.models[model];
    const opt = T.manifest.optimizer;
    const defs = [{ type: "input", out_sx: spec.input_shape[1], out_sy: spec.input_shape[0], out_depth: spec.input_shape[2] }];
    spec.layers.forEach((l, i) => {
      const activation = l.activation === "linear" ? undefined : l.activation;
      if (l.type === "Conv2D") defs.push({ type: "conv", sx: l.kernel_size[1], sy: l.kernel_size[0], filters: l.filters,
        stride: l.strides[0], pad: l.pad[0], activation: activation });
      else if (l.type.endsWith("Pooling2D")) defs.push({ type: "pool", sx: l.pool_size[1], sy: l.pool_size[0], stride: l.strides[0] });
      else if (l.type === "Dense" && i === spec.layers.length - 1) defs.push({ type: "softmax", num_classes: l.units });
      else if (l.type === "Dense") defs.push({ type: "fc", num_neurons: l.units, activation: activation });
    });
    const net = new convnetjs.Net();
    net.makeLayers(defs);
    const trainer = new convnetjs.Trainer(net, { method: "adam", learning_rate: opt.learning_rate, batch_size: batch,
      beta1: opt.beta_1, beta2: opt.beta_2, eps: opt.epsilon, l2_decay: 0 });
    const vol = new convnetjs.Vol(28, 28, 1, 0.0);
    const data = T.data.train;
    const step = async (n) => {
      for (let b = 0; b < batch; b++) {
        const i = (n + b) % data.count;
        for (let j = 0; j < 784; j++) vol.w[j] = data.images[i * 784 + j] / 255;
        trainer.train(vol, data.labels[i]);
      }
    };
    return timeSteps(step, seconds, batch);
  }

  window.bench = { tfjs: tfjs, convnet: convnet };
})();
