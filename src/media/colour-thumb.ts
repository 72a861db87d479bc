// media: per-frame colour detail thumbnail: 64x36 planar YUV 4:4:4 (Y, then U, then V plane), each sample the mean
// of a 5x5 block at 320x180 (area scale). Kept in YUV so that lossy chroma subsampling, which is linear there,
// averages out; RGB values would be clipped at saturated edges and no longer average out.

export const colourWidth = 64;
export const colourHeight = 36;
export const colourPlane = colourWidth * colourHeight;
export const colourBytes = colourPlane * 3;

/** The ffmpeg filter chain that makes it (scaled in the source's colour space, then converted to yuv444p). */
export const colourThumbChain = `scale=${colourWidth}:${colourHeight}:flags=area,format=yuv444p`;

/** BT.601 limited-range YUV to RGB, clamped, for display. */
export function colourThumbToRgb(yuv: Uint8Array): Uint8Array {
  const rgb = new Uint8Array(colourPlane * 3);
  for (let p = 0; p < colourPlane; p += 1) {
    const y = 1.164 * ((yuv[p]) - 16);
    const u = (yuv[colourPlane + p]) - 128;
    const v = (yuv[2 * colourPlane + p]) - 128;
    rgb[p * 3] = Math.max(0, Math.min(255, Math.round(y + 1.596 * v)));
    rgb[p * 3 + 1] = Math.max(0, Math.min(255, Math.round(y - 0.392 * u - 0.813 * v)));
    rgb[p * 3 + 2] = Math.max(0, Math.min(255, Math.round(y + 2.017 * u)));
  }
  return rgb;
}
