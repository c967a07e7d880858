/**
 * What the GPU backends would run on. A "GPU" backend that is really a
 * software rasteriser (SwiftShader, llvmpipe) trains a small CNN ~30x slower
 * than wasm with the course's training kernels (2,120 ms vs ~70 ms a step,
 * measured on a 2-core machine), so backend selection needs to know.
 */
export interface RendererReport {
  /** WebGL's unmasked renderer string, when a WebGL context could be made. */
  webgl?: string;
  /** True when that renderer is a software rasteriser. */
  webglSoftware?: boolean;
  /** True when the WebGPU adapter says it is a fallback (software) adapter. */
  webgpuFallback?: boolean;
  /** WebGPU adapter description, when the browser exposes it. */
  webgpu?: string;
}

const SOFTWARE = /swiftshader|llvmpipe|softpipe|software|microsoft basic render/i;

/**
 * True when a WebGL renderer string names a software rasteriser.
 *
 * @example
 * isSoftwareRenderer('llvmpipe (LLVM 15.0.7, 256 bits)'); // true
 */
export function isSoftwareRenderer(renderer: string): boolean {
  return SOFTWARE.test(renderer);
}

/**
 * Probes WebGL's renderer and WebGPU's adapter without creating a tfjs
 * backend. Returns `{}` outside a browser.
 *
 * @example
 * const r = await detectSoftwareRenderer();
 * // headless Chromium: { webgl: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device ...))', webglSoftware: true, ... }
 */
export async function detectSoftwareRenderer(): Promise<RendererReport> {
  const report: RendererReport = {};
  if (typeof document !== 'undefined') {
    try {
      const canvas = document.createElement('canvas');
      const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
      if (gl) {
        const ext = gl.getExtension('WEBGL_debug_renderer_info');
        const name = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
        report.webgl = name;
        report.webglSoftware = isSoftwareRenderer(name);
        gl.getExtension('WEBGL_lose_context')?.loseContext();
      }
    } catch {
      // No WebGL: nothing to report.
    }
  }
  const gpu = (globalThis.navigator as unknown as { gpu?: { requestAdapter: () => Promise<unknown> } } | undefined)?.gpu;
  if (gpu) {
    try {
      const adapter = (await gpu.requestAdapter()) as
        | { isFallbackAdapter?: boolean; info?: { isFallbackAdapter?: boolean; description?: string; vendor?: string; architecture?: string } }
        | null;
      if (adapter) {
        const info = adapter.info;
        const desc = [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ');
        if (desc) report.webgpu = desc;
        report.webgpuFallback = Boolean(adapter.isFallbackAdapter ?? info?.isFallbackAdapter) || isSoftwareRenderer(desc);
      }
    } catch {
      // No adapter: WebGPU is unavailable, which the caller learns separately.
    }
  }
  return report;
}

/**
 * Why a backend chooser should put wasm ahead of the GPU backends, or `null`
 * when a real GPU is there. Meant for the backend badge.
 *
 * @example
 * softwareGpuReason({ webgl: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)))', webglSoftware: true });
 * // "WebGL runs on SwiftShader, a software renderer: WASM is faster here"
 */
export function softwareGpuReason(report: RendererReport): string | null {
  if (report.webgpuFallback) return `WebGPU's adapter is a fallback (software) adapter: WASM is faster here`;
  if (report.webglSoftware && report.webgl) {
    const name = /swiftshader/i.test(report.webgl) ? 'SwiftShader' : /llvmpipe/i.test(report.webgl) ? 'llvmpipe' : report.webgl;
    return `WebGL runs on ${name}, a software renderer: WASM is faster here`;
  }
  return null;
}
