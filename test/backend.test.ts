import * as tf from '@tensorflow/tfjs';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { automaticOrderFor, availableBackends, currentBackend, gpuFacts, useBackend } from '../src/backend';
import { detectSoftwareRenderer } from '../src/backends/wasm-training/software-renderer';

describe('useBackend in Node', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('lists the backends that start here, in preference order', async () => {
    expect(await availableBackends()).toEqual(['wasm', 'cpu']);
  });

  it('chooses wasm automatically (the fastest that trains) and says why', async () => {
    expect(await useBackend()).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(currentBackend()?.reason).toMatch(/wasm/i);
  });

  it('a named backend is used, with the reader named as the reason', async () => {
    expect(await useBackend('cpu')).toBe('cpu');
    expect(currentBackend()).toEqual({ name: 'cpu', reason: 'Chosen by you: CPU.' });
  });

  it('two switches asked for at once run one after the other: the last one wins, named and running', async () => {
    const engine = tf.engine() as unknown as { backendInstance: unknown; registry: Record<string, unknown> };
    expect(await Promise.all([useBackend('wasm'), useBackend('cpu'), availableBackends()])).toEqual(['wasm', 'cpu', ['wasm', 'cpu']]);
    expect(tf.getBackend()).toBe('cpu');
    expect(engine.backendInstance).toBe(engine.registry.cpu);
  });

  it('a tf.setBackend outside the queue that overlaps a switch does not leave tfjs naming one backend and running another', async () => {
    // A backend whose start-up takes a while, as wasm's or webgpu's does in a browser. tfjs names
    // it at once and installs it when the start-up ends, after the switch to cpu below has run:
    // without the repair in useBackend, tfjs would name cpu and run this one.
    const engine = tf.engine() as unknown as {
      backendInstance: unknown;
      registry: Record<string, unknown>;
      registryFactory: Record<string, { factory: () => tf.KernelBackend }>;
    };
    const cpuFactory = engine.registryFactory.cpu.factory;
    tf.registerBackend('slow-start', () => new Promise<tf.KernelBackend>((resolve) => setTimeout(() => resolve(cpuFactory()), 50)));
    try {
      const overlapping = tf.setBackend('slow-start');
      expect(await useBackend('cpu')).toBe('cpu');
      await overlapping;
      expect(tf.getBackend()).toBe('cpu');
      expect(engine.backendInstance).toBe(engine.registry.cpu);
    } finally {
      tf.removeBackend('slow-start');
    }
  });

  it('an unknown name is an error naming the choices', async () => {
    await expect(useBackend('tpu' as never)).rejects.toThrow(/'name' must be one of webgpu, webgl, wasm, cpu, got 'tpu'/);
  });

  it('wasm trains a convolution once useBackend has loaded it (the course kernels are registered)', async () => {
    await useBackend('wasm');
    const before = tf.memory().numTensors;
    const x = tf.randomNormal([2, 6, 6, 3]);
    const init = tf.randomNormal([3, 3, 3, 4]);
    const f = tf.variable(init);
    const grad = tf.grad((w: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same').sum())(f);
    expect(grad.shape).toEqual([3, 3, 3, 4]);
    tf.dispose([x, init, f, grad]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

const SWIFTSHADER = 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)';

describe('automaticOrderFor: only a software GPU backend goes behind WASM', () => {
  it('real GPUs keep the fastest-first order', () => {
    expect(automaticOrderFor({ webgpu: 'hardware', webgl: 'hardware' })).toEqual({
      order: ['webgpu', 'webgl', 'wasm', 'cpu'],
      reason: expect.stringMatching(/^Chosen automatically/),
    });
  });

  it('SwiftShader WebGL and no WebGPU (headless Chromium): WASM first, and the badge says why', () => {
    expect(automaticOrderFor({ webgpu: 'none', webgl: 'software', webglRenderer: SWIFTSHADER })).toEqual({
      order: ['wasm', 'webgl', 'cpu'],
      reason: 'WebGL runs on SwiftShader, a software renderer: WASM is faster here.',
    });
  });

  it('SwiftShader WebGL does not demote a real WebGPU adapter', () => {
    const { order, reason } = automaticOrderFor({ webgpu: 'hardware', webgl: 'software', webglRenderer: SWIFTSHADER });
    expect(order).toEqual(['webgpu', 'wasm', 'webgl', 'cpu']);
    expect(reason).toMatch(/WebGPU on a real GPU first; WebGL runs on SwiftShader/);
  });

  it('a fallback WebGPU adapter does not demote a real WebGL', () => {
    const { order, reason } = automaticOrderFor({ webgpu: 'fallback', webgl: 'hardware', webglRenderer: 'ANGLE (NVIDIA GeForce RTX 3060)' });
    expect(order).toEqual(['webgl', 'wasm', 'webgpu', 'cpu']);
    expect(reason).toMatch(/WebGL on a real GPU first; WebGPU's adapter is a fallback/);
  });

  it('both software: WASM ahead of both, both reasons given', () => {
    const { order, reason } = automaticOrderFor({ webgpu: 'fallback', webgl: 'software', webglRenderer: 'llvmpipe (LLVM 15.0.7, 256 bits)' });
    expect(order).toEqual(['wasm', 'webgpu', 'webgl', 'cpu']);
    expect(reason).toBe("WebGPU's adapter is a fallback (software) adapter; WebGL runs on llvmpipe, a software renderer: WASM is faster here.");
  });

  it('an API that cannot start is left out; an unknown one keeps its place', () => {
    expect(automaticOrderFor({ webgpu: 'none', webgl: 'none' }).order).toEqual(['wasm', 'cpu']);
    expect(automaticOrderFor({}).order).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
  });

  it('gpuFacts reads the renderer probe', () => {
    expect(gpuFacts({ webgl: SWIFTSHADER, webglSoftware: true }, true)).toEqual({ webgpu: 'none', webgl: 'software', webglRenderer: SWIFTSHADER });
    expect(gpuFacts({ webgl: 'Apple M2', webglSoftware: false, webgpuFallback: false }, true)).toMatchObject({ webgpu: 'hardware', webgl: 'hardware' });
    expect(gpuFacts({ webgpuFallback: true }, true)).toMatchObject({ webgpu: 'fallback', webgl: 'none' });
    expect(gpuFacts({ webgpuFallback: false }, false).webgpu).toBe('none');
    expect(gpuFacts(null, true)).toEqual({});
  });

  it('gpuFacts: a probe that threw is unknown, not "none"', () => {
    expect(gpuFacts({ webglError: 'context lost', webgpuError: 'adapter request failed' }, true)).toEqual({});
    expect(gpuFacts({ webglError: 'x', webgpuFallback: false }, true)).toEqual({ webgpu: 'hardware' });
    expect(gpuFacts({ webgl: SWIFTSHADER, webglSoftware: true, webgpuError: 'x' }, true)).toEqual({ webgl: 'software', webglRenderer: SWIFTSHADER });
    // without navigator.gpu WebGPU is known to be absent, whatever the probe said
    expect(gpuFacts({ webgpuError: 'x' }, false).webgpu).toBe('none');
  });
});

describe('a failing renderer probe keeps the GPU backends in the automatic order', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  function stubBrowser(getContext: () => unknown, requestAdapter: () => Promise<unknown>) {
    vi.stubGlobal('document', { createElement: () => ({ getContext }) });
    vi.stubGlobal('navigator', { gpu: { requestAdapter } });
  }

  it('probes that throw: both APIs keep their place ahead of WASM', async () => {
    stubBrowser(
      () => {
        throw new Error('WebGL blocked');
      },
      () => Promise.reject(new Error('GPU process crashed')),
    );
    const report = await detectSoftwareRenderer();
    expect(report).toEqual({ webglError: 'WebGL blocked', webgpuError: 'GPU process crashed' });
    expect(automaticOrderFor(gpuFacts(report, true)).order).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
  });

  it('no context and no adapter: both APIs are left out', async () => {
    stubBrowser(() => null, () => Promise.resolve(null));
    const report = await detectSoftwareRenderer();
    expect(report).toEqual({});
    expect(automaticOrderFor(gpuFacts(report, true)).order).toEqual(['wasm', 'cpu']);
  });
});
