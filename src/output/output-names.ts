/** Names of the files a run writes, by source frame number (4-digit minimum padding). */
const pad = (frame: number) => String(frame).padStart(4, '0');

export const imageName = (frame: number) => `mesh_${pad(frame)}.png`;
export const meshFileName = (frame: number, ext: string) => `mesh_${pad(frame)}.${ext}`;
export const VIDEO_NAME = 'render.mp4';
export const REPORT_NAME = 'render_report.json';
