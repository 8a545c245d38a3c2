// The JPEG location filter: GPS (Exif, XMP) goes, the orientation and the image data stay byte for byte.
import { describe, expect, it } from 'vitest';
import { MalformedJpeg, exifOrientation, stripJpegMetadata } from '../../../worker/documents/jpeg-filter';
import { contains, jpegWithLocation } from './fixtures';

describe('stripJpegMetadata', () => {
  it('removes the GPS IFD and the XMP block, keeps the orientation and copies the scan unchanged', () => {
    const { bytes, scan } = jpegWithLocation(6);
    expect(contains(bytes, 'GPS-56.9496N')).toBe(true);
    const out = stripJpegMetadata(bytes);
    expect(contains(out, 'GPS')).toBe(false);
    expect(contains(out, 'xmpmeta')).toBe(false);
    expect(contains(out, '56,57')).toBe(false);
    // The rebuilt Exif holds the orientation alone.
    const app1 = out.indexOf(0xe1, 2);
    expect(out[app1 - 1]).toBe(0xff);
    expect(exifOrientation(out.subarray(app1 + 3 + 6))).toBe(6);
    // Everything from the start of scan on is the original's, byte for byte.
    expect([...out.subarray(out.length - scan.length)]).toEqual(scan);
    expect([...out.subarray(0, 2)]).toEqual([0xff, 0xd8]);
  });

  it('writes no Exif at all when the photo had no orientation', () => {
    const { bytes } = jpegWithLocation(0);
    const out = stripJpegMetadata(bytes);
    expect(out.includes(0xe1)).toBe(false);
    expect(contains(out, 'Exif')).toBe(false);
  });

  it('refuses a JPEG whose segment runs past the end instead of guessing', () => {
    const { bytes } = jpegWithLocation();
    expect(() => stripJpegMetadata(bytes.subarray(0, 30))).toThrow(MalformedJpeg);
    expect(() => stripJpegMetadata(new Uint8Array([0xff, 0xd8, 0x00, 0x01]))).toThrow(MalformedJpeg);
  });
});
