import type { Request, Response } from 'express';

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Sends a file written as it streams, under the name users see. Once its first
 * bytes are out a failure can no longer be answered as a problem: the only
 * honest answer left is a cut connection.
 */
export async function streamDownload(req: Request, res: Response, type: string, fileName: string, write: (out: Response) => Promise<unknown>): Promise<void> {
  res.type(type);
  res.attachment(fileName);
  try {
    await write(res);
  } catch (error) {
    if (!res.headersSent) throw error;
    req.log.error({ err: error, fileName }, 'download failed');
    res.destroy();
  }
}
