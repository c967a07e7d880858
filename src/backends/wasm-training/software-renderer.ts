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
  /**
   * Set when probing WebGL threw: whether WebGL works here is then unknown,
   * which is not the same as "no WebGL context" (webgl left out, no error).
   */
  webglError?: string;
  /** Set when requestAdapter threw: unknown, unlike an adapter of `null`. */
  webgpuError?: string;
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
    } catch (e) {
      report.webglError = errorText(e);
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
    } catch (e) {
      report.webgpuError = errorText(e);
    }
  }
  return report;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** How the badge names a software renderer: its family when known, else the renderer string as given. */
function softwareRendererName(renderer: string): string {
  return /swiftshader/i.test(renderer) ? 'SwiftShader' : /llvmpipe/i.test(renderer) ? 'llvmpipe' : renderer;
}

/**
 * One phrase per GPU API that runs in software, WebGPU first; empty when
 * neither does. The backend chooser builds its reason from these.
 */
export function softwareGpuPhrases(report: Pick<RendererReport, 'webgl' | 'webglSoftware' | 'webgpuFallback'>): string[] {
  const phrases: string[] = [];
  if (report.webgpuFallback) phrases.push(`WebGPU's adapter is a fallback (software) adapter`);
  if (report.webglSoftware) phrases.push(report.webgl ? `WebGL runs on ${softwareRendererName(report.webgl)}, a software renderer` : 'WebGL runs on a software renderer');
  return phrases;
}

/**
 * Why a backend chooser should put wasm ahead of the GPU backends, or `null`
 * when no GPU API runs in software: the sentence the badge shows when no real
 * GPU is left to come first.
 *
 * @example
 * softwareGpuReason({ webgl: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)))', webglSoftware: true });
 * // "WebGL runs on SwiftShader, a software renderer: WASM is faster here"
 */
export function softwareGpuReason(report: Pick<RendererReport, 'webgl' | 'webglSoftware' | 'webgpuFallback'>): string | null {
  const phrases = softwareGpuPhrases(report);
  return phrases.length ? `${phrases.join('; ')}: WASM is faster here` : null;
}
