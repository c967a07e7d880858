/**
 * A webcam snapshot input for a cell: a "Start webcam" button, a live preview,
 * and a "Use this frame" button that freezes the current frame into a canvas.
 * It works as an Observable `viewof`: its `value` is the last snapshot (a
 * `<canvas>`, or null before the first) and it fires `input` on each new one.
 * Frames stay in the page: nothing is sent anywhere. A refused or missing
 * camera shows a sentence saying why (`webcamErrorMessage`, pure and tested).
 */

/**
 * A reader-facing sentence for a failed `getUserMedia`, by the error's name
 * (the DOMException names in the Media Capture spec).
 *
 * @example
 * webcamErrorMessage({ name: 'NotAllowedError', message: 'Permission denied' });
 * // 'The webcam was not allowed (Permission denied). Allow the camera for this site in the browser's address bar and press Start webcam again; or use a photo or your own file.'
 */
export function webcamErrorMessage(error: unknown): string {
  const name = (error as { name?: string } | null)?.name ?? '';
  const detail = (error as { message?: string } | null)?.message;
  const why = detail ? ` (${detail})` : '';
  const fallback = 'or use a photo or your own file.';
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
      return `The webcam was not allowed${why}. Allow the camera for this site in the browser's address bar and press Start webcam again; ${fallback}`;
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return `No webcam was found${why}. Plug one in and press Start webcam again; ${fallback}`;
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return `The webcam could not be started${why}: another program may be using it. Close it and press Start webcam again; ${fallback}`;
    case 'SecurityError':
      return `The browser blocks the webcam on this page${why}: cameras need a secure (https or localhost) page. ${fallback[0].toUpperCase()}${fallback.slice(1)}`;
    case 'NoMediaDevices':
      return `This browser gives pages no camera access (navigator.mediaDevices is missing; cameras need a secure https or localhost page). ${fallback[0].toUpperCase()}${fallback.slice(1)}`;
    default:
      return `The webcam could not be opened${why || (name ? ` (${name})` : '')}. ${fallback[0].toUpperCase()}${fallback.slice(1)}`;
  }
}

/** The webcam input element: `value` is the last snapshot; `stop()` turns the camera off. */
export interface WebcamInput extends HTMLElement {
  value: HTMLCanvasElement | null;
  stop(): void;
}

/**
 * The webcam input (browser only). Call `stop()` when the cell is
 * invalidated, so the camera light goes off:
 *
 * @example
 * // a cell:  viewof snapshot = { const cam = vn.viz.webcamInput(); invalidation.then(() => cam.stop()); return cam; }
 */
export function webcamInput({ width = 320 }: { width?: number } = {}): WebcamInput {
  const root = document.createElement('div') as unknown as WebcamInput;
  root.className = 'vn-webcam';
  root.value = null;
  const bar = document.createElement('div');
  bar.style.cssText = 'display:flex;gap:.5rem;flex-wrap:wrap;align-items:center;margin:.25rem 0';
  const button = (text: string) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = text;
    b.className = 'vn-btn';
    b.style.cssText = 'border:1px solid currentColor;border-radius:4px;padding:.1rem .6rem';
    return b;
  };
  const start = button('Start webcam');
  const snap = button('Use this frame');
  const stopBtn = button('Stop webcam');
  snap.disabled = true;
  stopBtn.disabled = true;
  const status = document.createElement('span');
  status.setAttribute('role', 'status');
  status.style.fontSize = '0.9em';
  status.textContent = 'The camera stays off until you press Start webcam; frames never leave this page.';
  bar.append(start, snap, stopBtn, status);
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.style.cssText = `max-width:100%;width:${width}px;display:none;margin-right:.5rem`;
  const still = document.createElement('div');
  still.style.display = 'inline-block';
  root.append(bar, video, still);
  let stream: MediaStream | null = null;

  root.stop = () => {
    stream?.getTracks().forEach((t) => t.stop());
    stream = null;
    video.srcObject = null;
    video.style.display = 'none';
    snap.disabled = true;
    stopBtn.disabled = true;
    start.disabled = false;
  };

  start.addEventListener('click', async () => {
    start.disabled = true;
    status.textContent = 'Asking for the camera…';
    try {
      if (!navigator.mediaDevices?.getUserMedia) throw Object.assign(new Error(''), { name: 'NoMediaDevices' });
      stream = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 640 } }, audio: false });
      video.srcObject = stream;
      await video.play();
      video.style.display = '';
      snap.disabled = false;
      stopBtn.disabled = false;
      status.textContent = 'Press Use this frame to detect on the current frame.';
    } catch (e) {
      root.stop();
      status.textContent = webcamErrorMessage(e);
      status.style.color = 'var(--vp-c-danger-1, #c00)';
    }
  });

  snap.addEventListener('click', () => {
    if (!video.videoWidth || !video.videoHeight) {
      status.textContent = 'The camera has not sent a frame yet; wait a moment and press Use this frame again.';
      return;
    }
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext('2d')!.drawImage(video, 0, 0);
    canvas.style.cssText = `max-width:100%;width:${Math.min(width, 160)}px`;
    still.replaceChildren(canvas.cloneNode() as HTMLCanvasElement);
    (still.firstChild as HTMLCanvasElement).getContext('2d')!.drawImage(canvas, 0, 0);
    root.value = canvas;
    status.style.color = '';
    status.textContent = `Frame taken (${canvas.width}x${canvas.height}); the cells below use it when "webcam" is chosen.`;
    root.dispatchEvent(new Event('input', { bubbles: true }));
  });

  stopBtn.addEventListener('click', () => {
    root.stop();
    status.textContent = 'Camera off.';
  });

  return root;
}
