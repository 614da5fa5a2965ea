/**
 * A folder on disk (or a mounted network share) as the finance share, for the command line.
 * Each file is written to a temporary name first and then hard-linked to its real name: the link
 * fails when the name exists, so a create is exclusive, and a reader never sees half a file.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { FolderListing } from '../core/publication';
import { CreateFileOptions, Share, ShareConflictError, ShareError } from './share';
import { removeStaleTemporaries, temporaryPathFor } from './temporary-files';

export class FolderShare implements Share {
  readonly location: string;

  constructor(readonly root: string) {
    this.location = path.resolve(root);
  }

  private full(relative: string): string {
    const parts = relative.split('/').filter((p) => p !== '');
    if (parts.some((p) => p === '..')) throw new ShareError(`${relative}: a share path may not leave the share`);
    return path.join(this.location, ...parts);
  }

  async listFolder(folder: string): Promise<FolderListing | undefined> {
    let entries;
    try {
      entries = await fs.readdir(this.full(folder), { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new ShareError(`${this.full(folder)}: cannot be listed (${(error as Error).message})`);
    }
    const visible = entries.filter((e) => !e.name.startsWith('.'));
    return { files: visible.filter((e) => e.isFile()).map((e) => e.name).sort(), folders: visible.filter((e) => e.isDirectory()).map((e) => e.name).sort() };
  }

  async readFile(file: string): Promise<Uint8Array | undefined> {
    try {
      return new Uint8Array(await fs.readFile(this.full(file)));
    } catch (error) {
      // A folder where a file is expected is no such file (another hand can make one at a manifest's name).
      if (['ENOENT', 'EISDIR', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return undefined;
      throw new ShareError(`${this.full(file)}: cannot be read (${(error as Error).message})`);
    }
  }

  async createFile(file: string, bytes: Uint8Array, options: CreateFileOptions = {}): Promise<{ link: string }> {
    const target = this.full(file);
    const temporary = temporaryPathFor(target);
    try {
      await fs.mkdir(path.dirname(target), { recursive: true });
      await removeStaleTemporaries(path.dirname(target));
      await fs.writeFile(temporary, bytes, { flag: 'wx' });
      await fs.link(temporary, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new ShareConflictError(file, this.location);
      throw new ShareError(`${target}: cannot be written (${(error as Error).message})`);
    } finally {
      await fs.rm(temporary, { force: true });
    }
    options.onProgress?.(bytes.byteLength);
    return { link: target };
  }

  async removeFile(file: string): Promise<void> {
    const target = this.full(file);
    try {
      await fs.rm(target, { force: true });
      // An empty folder the publish made goes too (the period's own folder is version 1: an empty one takes no number).
      for (let folder = path.dirname(target); folder.startsWith(this.location + path.sep); folder = path.dirname(folder)) {
        if ((await fs.readdir(folder)).length > 0) break;
        await fs.rmdir(folder);
      }
    } catch (error) {
      throw new ShareError(`${target}: cannot be removed (${(error as Error).message})`);
    }
  }
}
