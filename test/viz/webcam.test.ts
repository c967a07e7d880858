import { describe, expect, it } from 'vitest';
import { webcamErrorMessage } from '../../src/viz/webcam';

describe('webcamErrorMessage', () => {
  it('explains a denied camera and what to do', () => {
    const m = webcamErrorMessage({ name: 'NotAllowedError', message: 'Permission denied' });
    expect(m).toMatch(/^The webcam was not allowed \(Permission denied\)\./);
    expect(m).toMatch(/Allow the camera/);
    expect(m).toMatch(/your own file/);
  });
  it('tells a missing camera, a busy one, an insecure page and no API apart', () => {
    expect(webcamErrorMessage({ name: 'NotFoundError' })).toMatch(/^No webcam was found/);
    expect(webcamErrorMessage({ name: 'NotReadableError' })).toMatch(/another program/);
    expect(webcamErrorMessage({ name: 'SecurityError' })).toMatch(/secure/);
    expect(webcamErrorMessage({ name: 'NoMediaDevices' })).toMatch(/navigator\.mediaDevices/);
  });
  it('still says something for anything else', () => {
    expect(webcamErrorMessage(null)).toMatch(/^The webcam could not be opened\. Or use/);
    expect(webcamErrorMessage({ name: 'WeirdError' })).toMatch(/\(WeirdError\)/);
  });
});
