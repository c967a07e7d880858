import { describe, expect, it } from 'vitest';
import { detectSoftwareRenderer, isSoftwareRenderer, softwareGpuReason } from '../../../src/backends/wasm-training';

// Renderer strings as Chromium reports them (WEBGL_debug_renderer_info).
describe('software renderer detection', () => {
  it('recognises SwiftShader and llvmpipe, not real GPUs', () => {
    expect(isSoftwareRenderer('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)')).toBe(true);
    expect(isSoftwareRenderer('llvmpipe (LLVM 15.0.7, 256 bits)')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)')).toBe(false);
    expect(isSoftwareRenderer('Apple M1')).toBe(false);
  });

  it('gives the badge a reason only for software GPUs', () => {
    expect(softwareGpuReason({ webgl: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)))', webglSoftware: true })).toBe(
      'WebGL runs on SwiftShader, a software renderer: WASM is faster here',
    );
    expect(softwareGpuReason({ webgl: 'llvmpipe (LLVM 15.0.7, 256 bits)', webglSoftware: true })).toContain('llvmpipe');
    expect(softwareGpuReason({ webgpuFallback: true })).toContain('fallback');
    expect(softwareGpuReason({ webgl: 'Apple M1', webglSoftware: false, webgpuFallback: false })).toBeNull();
    expect(softwareGpuReason({ webglSoftware: true })).toBe('WebGL runs on a software renderer: WASM is faster here');
    // both in software: both named, WebGPU first
    expect(softwareGpuReason({ webgpuFallback: true, webgl: 'llvmpipe (LLVM 15.0.7, 256 bits)', webglSoftware: true })).toBe(
      "WebGPU's adapter is a fallback (software) adapter; WebGL runs on llvmpipe, a software renderer: WASM is faster here",
    );
  });

  it('reports nothing in Node (no document, no navigator.gpu)', async () => {
    expect(await detectSoftwareRenderer()).toEqual({});
  });
});
